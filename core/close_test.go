package core_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

func TestCloseDeliversEverything(t *testing.T) {
	srv, s, _ := start(t, nil, func(c *core.Config) { c.FlushInterval = time.Hour })
	want := padded("tail", 7000)
	addAll(t, s, want, 4)
	checkDelivers(t, srv, s, want)
	checkBalanced(t, s.Stats())
}

func TestCloseWithExpiringContextReportsUndelivered(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	srv.SetFault("PutLogEvents", cwlogtest.Fault{Kind: cwlogtest.FaultThrottle})
	const n = 3000
	mustAddAll(t, s, padded("stuck", n))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := s.Close(ctx)
	if took := time.Since(start); took > 300*time.Millisecond+200*time.Millisecond {
		t.Fatalf("Close took %v with a 300ms deadline", took)
	}
	var ue *core.UndeliveredError
	if !errors.As(err, &ue) || ue.Count != n || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close = %v, want UndeliveredError{Count: %d} wrapping DeadlineExceeded", err, n)
	}
	st := s.Stats()
	if st.DroppedClose != n || st.Delivered != 0 {
		t.Fatalf("stats %+v, want %d dropped at close", st, n)
	}
	checkBalanced(t, st)
	// Close is idempotent and keeps its answer.
	if err2 := s.Close(context.Background()); !errors.As(err2, &ue) || ue.Count != n {
		t.Fatalf("second Close = %v", err2)
	}
}

func TestCloseCancelsAnInFlightCall(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	srv.SetFault("PutLogEvents", cwlogtest.Fault{Delay: time.Hour})
	mustAdd(t, s, core.Event{Message: "in flight"})
	time.Sleep(100 * time.Millisecond) // let the call start
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	var ue *core.UndeliveredError
	if err := s.Close(ctx); !errors.As(err, &ue) || ue.Count != 1 {
		t.Fatalf("Close = %v, want 1 undelivered", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("Close took %v", took)
	}
}

func TestAfterClose(t *testing.T) {
	_, s, _ := start(t, nil, nil)
	mustAdd(t, s, core.Event{Message: "last"})
	shiptest.Close(t, s)
	if err := s.Add(core.Event{Message: "late"}); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("Add after Close = %v, want ErrClosed", err)
	}
	if err := s.TryAdd(core.Event{Message: "late"}); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("TryAdd after Close = %v, want ErrClosed", err)
	}
	if err := s.Flush(context.Background()); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("Flush after Close = %v, want ErrClosed", err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatalf("second Close = %v", err)
	}
	if st := s.Stats(); st.Added != 1 || st.Delivered != 1 {
		t.Fatalf("stats %+v: late events must not count as added", st)
	}
}

func TestFlushHonoursItsContext(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	srv.SetFault("PutLogEvents", cwlogtest.Fault{Kind: cwlogtest.FaultThrottle})
	mustAdd(t, s, core.Event{Message: "held"})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Flush(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Flush = %v, want DeadlineExceeded", err)
	}
	srv.SetFault("PutLogEvents", cwlogtest.Fault{})
	checkDelivers(t, srv, s, []string{"held"})
}

func TestAddAfterCloseIsCounted(t *testing.T) {
	_, s, _ := start(t, nil, nil)
	mustAdd(t, s, core.Event{Message: "before"})
	shiptest.Close(t, s)
	for _, e := range []core.Event{{Message: "after"}, {Message: ""}, {Message: strings.Repeat("x", 3<<20)}} {
		if err := s.Add(e); !errors.Is(err, core.ErrClosed) {
			t.Fatalf("Add after Close = %v, want ErrClosed", err)
		}
	}
	st := s.Stats()
	if st.AfterClose != 6 || st.Added != 1 { // the long one is 4 events
		t.Fatalf("stats %+v; want 6 refused after Close, 1 added", st)
	}
	checkBalanced(t, st)
}

func TestSecondCloseDoesNotAbortTheFirst(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Delay: 300 * time.Millisecond})
	want := msgs("close", 100)
	mustAddAll(t, s, want)
	first := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		first <- s.Close(ctx)
	}()
	// An empty message is refused as such until Close begins.
	waitFor(t, "the first Close to begin", func() bool { return errors.Is(s.Add(core.Event{}), core.ErrClosed) })
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Close(expired); !errors.Is(err, context.Canceled) {
		t.Fatalf("second Close with an ended context = %v, want context.Canceled", err)
	}
	if err := <-first; err != nil {
		t.Fatalf("first Close = %v", err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatalf("third Close = %v, want the first's result", err)
	}
	checkExactlyOnce(t, srv, want)
}
