package core_test

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

// TestDeliveredMessagesAreReleased checks that once its events are
// delivered, a Shipper that keeps running, with its queue blocks, chunk
// slices and request buffers kept for reuse, holds no reference to their
// messages: each message's memory is collected. Concurrency 1 and 4 reuse
// differently.
func TestDeliveredMessagesAreReleased(t *testing.T) {
	for _, conc := range []int{1, 4} {
		t.Run("concurrency-"+strconv.Itoa(conc), func(t *testing.T) {
			_, s, _ := start(t, &cwlogtest.Options{DiscardEvents: true}, func(c *core.Config) {
				c.Concurrency = conc
				c.FlushInterval = time.Hour
			})
			const n = 3000
			var freed atomic.Int64
			for i := range n {
				// Each message in memory of its own, watched for collection.
				b := []byte(strings.Repeat("x", 100) + string(rune('a'+i%26)))
				runtime.AddCleanup(&b[0], func(*atomic.Int64) { freed.Add(1) }, &freed)
				mustAdd(t, s, core.Event{Time: time.Now(), Message: unsafe.String(&b[0], len(b))})
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := s.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for freed.Load() < n && time.Now().Before(deadline) {
				runtime.GC()
				time.Sleep(10 * time.Millisecond)
			}
			if got := freed.Load(); got < n {
				t.Fatalf("%d of %d delivered messages still held", n-got, n)
			}
		})
	}
}
