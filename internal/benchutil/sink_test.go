package benchutil

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestCountAcrossReads counts in blocks of every size the reader gives,
// with separators cut between two reads.
func TestCountAcrossReads(t *testing.T) {
	body := strings.Repeat(`{"message":"{x\"{","timestamp":1},`, 3000) // over one 32 KiB block
	want := int64(strings.Count(body, `{"`))
	for _, tc := range []struct {
		name string
		r    io.Reader
	}{
		{"whole", strings.NewReader(body)},
		{"one-byte", iotest.OneByteReader(strings.NewReader(body))},
		{"half", iotest.HalfReader(strings.NewReader(body))},
		{"data-eof", iotest.DataErrReader(strings.NewReader(body))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := count(tc.r, objectStart); got != want || err != nil {
				t.Errorf("count = %d, %v; want %d", got, err, want)
			}
		})
	}
}
