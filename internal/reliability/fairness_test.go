package reliability

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

// fairMessage returns a unique message of about 1 KiB: 1,026 bytes as the
// buffer counts it, so that a 1 MiB buffer, or batch, holds 1,022.
func fairMessage(writer, i int) string {
	return fmt.Sprintf("w%02d %09d %s", writer, i, fairPad)
}

var fairPad = strings.Repeat("x", 1000-len("w00 000000000 "))

// TestBlockServesWaitersInArrivalOrder is the regression test for
// starvation under the Block policy: 16 goroutines add as fast as they
// can into a 1 MiB buffer drained at the pace of a 50 ms round trip.
// Before waiting Adds were admitted in arrival order, one goroutine got 1
// event in 10 s while another got 75,827.
//
// The bounds, from what admission in arrival order guarantees:
//
//   - Round trips per wait. An Add that must wait has at most the 15 other
//     goroutines' Adds ahead of it, one event each, and nobody arriving
//     later may take room first. The buffer is one batch (1 MiB: 1,022 of
//     these events), so everything it held when the Add began is gone once
//     the upload then in flight and the next one, which takes all that is
//     queued, have settled: by then the Add is let in. So at most 3
//     PutLogEvents calls reach the endpoint while an Add waits: the one not
//     yet sent when it began, the next, and the one the worker starts as it
//     lets the Add in, before the goroutine runs again. We allow 5 more for
//     a goroutine the scheduler leaves aside for that many round trips
//     after that (2 cores kept busy by other processes made it 1 more):
//     8. Waiting behind later arrivals, as Adds did when woken by a
//     broadcast, spans 13 to 32 round trips in this setting.
//
//   - The longest Add. A round trip takes about 50 ms plus the time to
//     encode, send and decode a 1 MiB body, a few tens of ms more under
//     the race detector: an Add let in within 2 round trips waits a few
//     hundred milliseconds. 2 s is several times that, for a loaded
//     2-core machine. Starvation breaks it: the starved Add waits until
//     the others stop, at the end of the run.
//
//   - The least share. Waiting Adds are let in in arrival order, and
//     while Adds wait for room an Add that finds room yields before it
//     returns, so the writers take turns at the room an upload frees
//     instead of the one running when it ends taking it all. Without that
//     yield the least writer got 0.03 to 0.13 of the mean on 2 cores; with
//     it, 0.83 to 0.95 with or without the race detector. A fifth of the
//     mean leaves room for a loaded machine.
func TestBlockServesWaitersInArrivalOrder(t *testing.T) {
	const (
		writers   = 16
		duration  = 6 * time.Second
		maxWait   = 2 * time.Second
		maxRounds = 8
		// longWait: the Adds that may have waited for room; the quicker
		// ones cannot span a round trip.
		longWait = 40 * time.Millisecond
	)
	recurWatchdog(t, 60*time.Second)
	// DiscardEvents: the endpoint counts what it stores without keeping
	// tens of MiB of messages.
	srv := cwlogtest.Start(t, &cwlogtest.Options{DiscardEvents: true})
	srv.CreateStream(group, stream)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Delay: 50 * time.Millisecond})
	errs := &errorLog{}
	cfg := config(srv.Client(), errs)
	cfg.BufferLimit = 1 << 20 // MaxBatchBytes: one batch in flight fills it
	cfg.FullPolicy = core.Block
	s := shiptest.New(t, cfg)

	type span struct{ start, end time.Time }
	added := make([]int, writers)
	longest := make([]time.Duration, writers)
	waits := make([][]span, writers) // the Adds that took longWait or more
	var failed atomic.Int64
	stop := time.Now().Add(duration)
	shiptest.Concurrently(writers, func(w int) {
		for i := 0; time.Now().Before(stop); i++ {
			msg := fairMessage(w, i)
			start := time.Now()
			err := s.Add(core.Event{Message: msg})
			end := time.Now()
			d := end.Sub(start)
			longest[w] = max(longest[w], d)
			if d >= longWait {
				waits[w] = append(waits[w], span{start, end})
			}
			if err != nil {
				if failed.Add(1) <= 5 {
					t.Errorf("writer %d: Add %d: %v", w, i, err)
				}
				return
			}
			added[w]++
		}
	})

	total := 0
	for _, n := range added {
		total += n
	}
	mean := float64(total) / writers
	least := mean / 5
	for w, n := range added {
		if float64(n) < least {
			t.Errorf("writer %d added %d events in %v; the mean is %.0f, and each must get at least a fifth of it",
				w, n, duration, mean)
		}
	}
	worst := slices.Max(longest)
	if worst > maxWait {
		t.Errorf("an Add waited %v for room; with waiters served in arrival order none should wait %v", worst, maxWait)
	}
	// The calls' times are when they reached the endpoint, read from the
	// same monotonic clock as the Adds'.
	calls := srv.CallsOf(cwlogtest.OpPutLogEvents)
	rounds, longWaits := 0, 0
	var roundsSpan span
	for _, ws := range waits {
		longWaits += len(ws)
		for _, sp := range ws {
			n := 0
			for _, c := range calls {
				if c.Time.After(sp.start) && c.Time.Before(sp.end) {
					n++
				}
			}
			if n > rounds {
				rounds, roundsSpan = n, sp
			}
		}
	}
	if rounds > maxRounds {
		t.Errorf("an Add waited %v, while %d PutLogEvents calls were made; with waiters served in arrival order at most %d are",
			roundsSpan.end.Sub(roundsSpan.start).Round(time.Millisecond), rounds, maxRounds)
	}
	t.Logf("%d events added in %v by %d writers (mean %.0f, least %d = %.2f of the mean, most %d); longest Add %v; "+
		"%d Adds took %v or more, spanning up to %d of the %d calls; per writer %v",
		total, duration, writers, mean, slices.Min(added), float64(slices.Min(added))/mean, slices.Max(added),
		worst.Round(time.Millisecond), longWaits, longWait, rounds, len(calls), added)

	shiptest.Close(t, s)
	st := s.Stats()
	checkBalanced(t, st)
	checkCalls(t, srv)
	if st.Added != uint64(total) || st.Delivered != uint64(total) || st.Dropped != 0 {
		t.Errorf("%d Adds succeeded; stats %+v: want all of them delivered, none dropped", total, st)
	}
	if got := srv.EventCount(group, stream); got != total {
		t.Errorf("the endpoint stored %d events; %d were added", got, total)
	}
}

// TestBlockedAddsAreRefusedAtClose: with CloudWatch down and the buffer
// full, Adds waiting under Block must not wait forever: Close refuses
// each with core.ErrClosed, counts it in Stats.AfterClose (not in Added),
// and returns by its deadline.
func TestBlockedAddsAreRefusedAtClose(t *testing.T) {
	const (
		waiters       = 4
		closeDeadline = 500 * time.Millisecond
		// The in-flight call sees the cancellation at once (the endpoint
		// is local and answers at once); the rest is scheduling.
		closeBound = closeDeadline + 5*time.Second
	)
	recurWatchdog(t, 30*time.Second)
	srv := cwlogtest.Start(t, nil)
	srv.CreateStream(group, stream)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	errs := &errorLog{}
	cfg := config(srv.Client(), errs)
	cfg.BufferLimit = 1 << 20
	cfg.FullPolicy = core.Block
	s := shiptest.New(t, cfg)

	// Fill the buffer exactly: 1,022 events of 1,026 bytes leave 4 bytes.
	// Nothing is ever delivered, so nothing frees room.
	fill := cfg.BufferLimit / (len(fairMessage(0, 0)) + 26)
	for i := range fill {
		if err := s.Add(core.Event{Message: fairMessage(0, i)}); err != nil {
			t.Fatalf("Add %d of %d: %v", i, fill, err)
		}
	}

	results := make(chan error, waiters)
	for w := range waiters {
		go func() { results <- s.Add(core.Event{Message: fairMessage(1+w, 0)}) }()
	}
	// Wait until every one of them waits for room. Were one not there yet
	// when Close begins, it would get ErrClosed all the same, counted
	// alike; this makes sure the test exercises the waiting ones.
	if !waitFor(5*time.Second, func() bool { return fairWaitingAdds() == waiters }) {
		t.Logf("only %d of %d Adds seen waiting in core.(*Shipper).waitForRoom; going on", fairWaitingAdds(), waiters)
	}
	select {
	case err := <-results:
		t.Fatalf("Add returned %v with the buffer full and CloudWatch down; it should wait", err)
	case <-time.After(100 * time.Millisecond):
	}

	ctx, cancel := context.WithTimeout(context.Background(), closeDeadline)
	defer cancel()
	start := time.Now()
	err := s.Close(ctx)
	took := time.Since(start)
	if took > closeBound {
		t.Errorf("Close took %v with a %v deadline", took, closeDeadline)
	}
	var ue *core.UndeliveredError
	if !errors.As(err, &ue) || ue.Count != fill {
		t.Errorf("Close = %v, want an UndeliveredError for the %d buffered events", err, fill)
	}
	for range waiters {
		if err := shiptest.Within(t, 5*time.Second, results, "a waiting Add had not returned 5s after Close returned"); !errors.Is(err, core.ErrClosed) {
			t.Errorf("a waiting Add returned %v at Close, want core.ErrClosed", err)
		}
	}
	st := s.Stats()
	checkBalanced(t, st)
	if st.AfterClose != waiters || st.Added != uint64(fill) || st.DroppedClose != uint64(fill) || st.Delivered != 0 {
		t.Errorf("stats %+v: want AfterClose %d, Added and DroppedClose %d, nothing delivered", st, waiters, fill)
	}
	if errs.retries() == 0 {
		t.Errorf("no RetryError reported with CloudWatch down")
	}
}

// fairWaitingAdds counts the goroutines waiting for room in a Shipper.
func fairWaitingAdds() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "core.(*Shipper).waitForRoom(")
		}
		buf = make([]byte, 2*len(buf))
	}
}
