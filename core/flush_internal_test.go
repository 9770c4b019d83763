package core

import (
	"context"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/cwlog/cwlog/cwlogtest"
)

func newTestShipper(t *testing.T, srv *cwlogtest.Server, edit func(*Config)) *Shipper {
	t.Helper()
	cfg := Config{Client: srv.Client(), LogGroup: "g", LogStream: "s", OnError: func(error) {}}
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Close(ctx)
	})
	return s
}

// TestTimedOutFlushLeavesNoWaiter: a Flush whose context ends takes its
// waiter with it, so that it neither piles up nor keeps forcing partial
// batches out.
func TestTimedOutFlushLeavesNoWaiter(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	s := newTestShipper(t, srv, func(c *Config) { c.FlushInterval = time.Hour })
	if err := s.Add(Event{Message: "m"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 100_000 {
		if err := s.Flush(ctx); err != context.Canceled {
			t.Fatalf("Flush = %v", err)
		}
	}
	s.mu.Lock()
	n := len(s.flushes)
	s.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d flush waiters left behind", n)
	}
}

// TestTruncateKeepsOnlyThePrefix: the kept event must not pin the whole
// message it was cut from.
func TestTruncateKeepsOnlyThePrefix(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	s := newTestShipper(t, srv, func(c *Config) {
		c.FlushInterval = time.Hour
		c.OversizePolicy = Truncate
		c.MaxMessageBytes = 100
	})
	long := strings.Repeat("x", 1<<20)
	if err := s.Add(Event{Message: long}); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	kept := s.queue.head.es[s.queue.hi].msg
	s.mu.Unlock()
	if len(kept) != 100 || unsafe.StringData(kept) == unsafe.StringData(long) {
		t.Fatalf("kept %d bytes, sharing the original's memory: %v", len(kept), unsafe.StringData(kept) == unsafe.StringData(long))
	}
}
