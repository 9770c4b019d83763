//go:build !race

package testutil

import (
	"strconv"
	"strings"
	"testing"
)

func TestDecodeAllocations(t *testing.T) {
	const n = 1000
	var b strings.Builder
	b.WriteString(`{"logGroupName":"g","logStreamName":"s","logEvents":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"timestamp":` + strconv.FormatInt(1700000000000+int64(i), 10) + `,"message":"` + strings.Repeat("x", 100) + `"}`)
	}
	b.WriteString(`]}`)
	body := []byte(b.String())
	decodeRequest(body) // warm the pool
	// One string per message; the rest is per request (the request, the
	// events slice, the names), a handful whatever the batch length.
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := decodeRequest(body); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > n+8 {
		t.Fatalf("%v allocations decoding %d events, want at most %d", allocs, n, n+8)
	}
}
