package core_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
)

const (
	group  = "app/test"
	stream = "instance-1"
)

// errorLog collects what a Shipper reports through OnError.
type errorLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *errorLog) add(err error) {
	l.mu.Lock()
	l.errs = append(l.errs, err)
	l.mu.Unlock()
}

func (l *errorLog) all() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

// newShipper starts a Shipper on srv with short timings, letting edit
// change the Config. The Shipper is closed at the end of the test.
func newShipper(t testing.TB, srv *testutil.Server, edit func(*core.Config)) (*core.Shipper, *errorLog) {
	t.Helper()
	errs := &errorLog{}
	cfg := core.Config{
		Client:        srv.Client(),
		LogGroup:      group,
		LogStream:     stream,
		FlushInterval: 20 * time.Millisecond,
		MinBackoff:    time.Millisecond,
		MaxBackoff:    20 * time.Millisecond,
		CallTimeout:   5 * time.Second,
		OnError:       errs.add,
	}
	if edit != nil {
		edit(&cfg)
	}
	s, err := core.New(cfg)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Close(ctx)
	})
	return s, errs
}

// ready creates the group and stream on srv, as an operator would.
func ready(srv *testutil.Server) {
	srv.CreateGroup(group)
	srv.CreateStream(group, stream)
}

func mustAdd(t testing.TB, s *core.Shipper, e core.Event) {
	t.Helper()
	if err := s.Add(e); err != nil {
		t.Fatalf("Add(%q): %v", e.Message, err)
	}
}

func mustClose(t testing.TB, s *core.Shipper) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// checkExactlyOnce fails t unless the stream holds each of want exactly once.
func checkExactlyOnce(t testing.TB, srv *testutil.Server, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, m := range srv.Messages(group, stream) {
		seen[m]++
	}
	missing, dup := 0, 0
	for _, m := range want {
		switch seen[m] {
		case 0:
			missing++
		case 1:
		default:
			dup++
		}
	}
	if missing > 0 || dup > 0 || len(srv.Messages(group, stream)) != len(want) {
		t.Fatalf("stored %d events for %d sent: %d missing, %d duplicated",
			len(srv.Messages(group, stream)), len(want), missing, dup)
	}
}

// checkBalanced fails t unless every added event is accounted for.
func checkBalanced(t testing.TB, st core.Stats) {
	t.Helper()
	if st.Added != st.Delivered+st.Rejected+st.Dropped || st.Pending != 0 {
		t.Fatalf("stats do not add up: %+v", st)
	}
}

func msgs(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%06d", prefix, i)
	}
	return out
}
