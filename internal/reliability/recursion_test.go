package reliability

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/cwlog/cwlog/slogcw"
	"github.com/cwlog/cwlog/zapcw"
)

// recurLogger is one adapter's logger writing to a Shipper: record logs an
// ordinary record, report logs an error the Shipper handed to OnError.
type recurLogger struct {
	record func(writer, i int)
	report func(err error)
}

// recurText pads each record to about 300 bytes as encoded, so that a
// 1 MiB buffer holds about 3,300 of them.
var recurText = strings.Repeat("x", 200)

// recurAdapters builds, for each adapter, a logger writing to s.
var recurAdapters = []struct {
	name string
	make func(s *core.Shipper) *recurLogger
}{
	{"slogcw", func(s *core.Shipper) *recurLogger {
		log := slog.New(slogcw.NewHandler(s, nil))
		return &recurLogger{
			record: func(w, i int) { log.Info(recurText, "writer", w, "i", i) },
			report: func(err error) { log.Error("cwlog reported an error", "err", err) },
		}
	}},
	{"logruscw", func(s *core.Shipper) *recurLogger {
		log := shiptest.QuietLogrus()
		log.AddHook(logruscw.NewHook(s, nil))
		return &recurLogger{
			record: func(w, i int) { log.WithField("writer", w).WithField("i", i).Info(recurText) },
			// Error, not Fatal or Panic: those flush, and exit or panic.
			report: func(err error) { log.WithError(err).Error("cwlog reported an error") },
		}
	}},
	{"zapcw", func(s *core.Shipper) *recurLogger {
		// zap prints the errors Write returns (ErrClosed once closed) to
		// its ErrorOutput; they are expected here.
		log := zap.New(zapcw.NewCore(s, nil, zapcore.DebugLevel), zap.ErrorOutput(zapcore.AddSync(io.Discard)))
		return &recurLogger{
			record: func(w, i int) { log.Info(recurText, zap.Int("writer", w), zap.Int("i", i)) },
			// Error, not above: entries above ErrorLevel flush.
			report: func(err error) { log.Error("cwlog reported an error", zap.Error(err)) },
		}
	}},
}

// recurReports counts what OnError receives. It never touches t: OnError
// may run on the Shipper's reporter goroutine after the test has ended.
type recurReports struct {
	calls          atomic.Int64
	retries        atomic.Int64
	droppedReports atomic.Int64 // *core.DroppedError reports
	droppedEvents  atomic.Int64 // the sum of their Counts
	others         atomic.Int64
	// inside is how many OnError calls are running; overlaps counts calls
	// that began while another one ran (OnError must be called one at a
	// time, from one goroutine).
	inside   atomic.Int32
	overlaps atomic.Int64
	// logging is set while OnError is inside the adapter's log call.
	logging atomic.Bool
	// closed is set when Close has returned; afterClose counts calls
	// made after that.
	closed     atomic.Bool
	afterClose atomic.Int64
}

func (r *recurReports) count(err error) {
	r.calls.Add(1)
	if r.closed.Load() {
		r.afterClose.Add(1)
	}
	var (
		re *core.RetryError
		de *core.DroppedError
	)
	switch {
	case errors.As(err, &re):
		r.retries.Add(1)
	case errors.As(err, &de):
		r.droppedReports.Add(1)
		r.droppedEvents.Add(int64(de.Count))
	default:
		r.others.Add(1)
	}
}

// recurWatchdog panics, after printing every goroutine's stack, if the test is
// still running after d: a deadlock then fails clearly, naming where each
// goroutine waits, rather than at the 10-minute test timeout.
func recurWatchdog(t *testing.T, d time.Duration) {
	name := t.Name()
	timer := time.AfterFunc(d, func() {
		buf := make([]byte, 64<<20)
		buf = buf[:runtime.Stack(buf, true)]
		fmt.Fprintf(os.Stderr, "\n=== %s still running after %v: deadlock? All goroutines:\n%s\n", name, d, buf)
		panic(fmt.Sprintf("%s: still running after %v (goroutine stacks above)", name, d))
	})
	t.Cleanup(func() { timer.Stop() })
}

// TestOnErrorLoggingIntoTheSameShipper is the regression test for an
// OnError that logs through an adapter into the very Shipper reporting the
// error, with CloudWatch down and the buffer overflowing. OnError used to
// be called from Add, once per drop, on the goroutine that logged: every
// drop called OnError, whose log call dropped again and called OnError...
// until "fatal error: stack overflow", or, short of that, concurrent and
// nested OnError calls, one per dropped event; under Block it waited on
// itself.
// Now every report goes to the Shipper's reporter goroutine, one at a
// time, and drops are summed up at most once a second.
//
// The nine cases run at once, each on its own endpoint: most of their time
// is Close waiting out its deadline. They are started from goroutines of
// their own rather than with t.Parallel, which -parallel (GOMAXPROCS by
// default, 2 on small CI machines) would spread over four rounds; testing
// allows Run to be called from several goroutines at once.
func TestOnErrorLoggingIntoTheSameShipper(t *testing.T) {
	var cases sync.WaitGroup
	for _, ad := range recurAdapters {
		for _, policy := range []core.FullPolicy{core.DropNewest, core.DropOldest, core.Block} {
			cases.Add(1)
			go func() {
				defer cases.Done()
				t.Run(ad.name+"/"+policy.String(), func(t *testing.T) {
					recurWatchdog(t, 30*time.Second)
					testOnErrorLogsIntoItsShipper(t, ad.make, policy)
				})
			}()
		}
	}
	cases.Wait()
}

func testOnErrorLogsIntoItsShipper(t *testing.T, makeLogger func(*core.Shipper) *recurLogger, policy core.FullPolicy) {
	const (
		writers   = 3
		perWriter = 5000 // 15,000 records of ~300 bytes: 4 buffers' worth
		// closeDeadline is Close's context. CloudWatch stays down, so
		// Close gives up at the deadline; it may overrun it only by the
		// time the in-flight call takes to see the cancellation (at once:
		// the endpoint is local and answers 503 without delay) and the
		// worker to count what is left. closeBound allows 8 s of
		// scheduling on a loaded machine under -race on top.
		closeDeadline = 2 * time.Second
		closeBound    = closeDeadline + 8*time.Second
	)
	srv := cwlogtest.Start(t, nil)
	srv.CreateStream(group, stream)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})

	reports := &recurReports{}
	var logger atomic.Pointer[recurLogger]
	var closing atomic.Bool
	cfg := config(srv.Client(), nil)
	cfg.BufferLimit = 1 << 20 // the least allowed: MaxBatchBytes, 1 MiB by default
	cfg.FullPolicy = policy
	cfg.MinBackoff, cfg.MaxBackoff = time.Millisecond, 20*time.Millisecond
	cfg.OnError = func(err error) {
		if reports.inside.Add(1) > 1 {
			reports.overlaps.Add(1)
		}
		defer reports.inside.Add(-1)
		reports.count(err)
		// Also during and after Close, where the log call is refused
		// with ErrClosed.
		if l := logger.Load(); l != nil {
			reports.logging.Store(true)
			l.report(err)
			reports.logging.Store(false)
		}
	}
	created := time.Now()
	s := shiptest.New(t, cfg)
	l := makeLogger(s)
	logger.Store(l) // before any record is logged, so before any error

	var wg sync.WaitGroup
	var running atomic.Int32
	for w := range writers {
		wg.Add(1)
		running.Add(1)
		go func() {
			defer wg.Done()
			defer running.Add(-1)
			for i := 0; i < perWriter && !closing.Load(); i++ {
				l.record(w, i)
			}
		}()
	}

	// Let the buffer overflow and OnError see it: the writers finish
	// (dropping), or, under Block, fill the buffer and wait, and OnError
	// waits with them in its own log call. Under Block nobody waits for
	// the writers before Close, which must release them.
	ready := func() bool {
		st := s.Stats()
		if reports.retries.Load() == 0 {
			return false
		}
		if policy == core.Block {
			return st.PendingBytes > uint64(cfg.BufferLimit-4096) && reports.logging.Load()
		}
		return running.Load() == 0 && reports.droppedReports.Load() > 0
	}
	if !waitFor(10*time.Second, ready) {
		t.Errorf("the scene never set: stats %+v, %d writers running, OnError: %d retries, %d drop reports, in a log call: %v",
			s.Stats(), running.Load(), reports.retries.Load(), reports.droppedReports.Load(), reports.logging.Load())
	}
	blockedWriters := running.Load()
	if policy == core.Block && blockedWriters != writers {
		t.Errorf("%d of %d writers still waiting under Block with CloudWatch down; all should be", blockedWriters, writers)
	}
	onErrorWaiting := reports.logging.Load()

	closing.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), closeDeadline)
	defer cancel()
	start := time.Now()
	err := s.Close(ctx)
	took := time.Since(start)
	reports.closed.Store(true)
	if took > closeBound {
		t.Errorf("Close took %v with a %v deadline; the bound is %v", took, closeDeadline, closeBound)
	}

	writersDone := make(chan struct{})
	go func() { wg.Wait(); close(writersDone) }()
	select {
	case <-writersDone:
	case <-time.After(5 * time.Second):
		buf := make([]byte, 8<<20)
		t.Fatalf("%d logging goroutines still running 5s after Close returned:\n%s", running.Load(), buf[:runtime.Stack(buf, true)])
	}

	st := s.Stats()
	checkBalanced(t, st)
	var ue *core.UndeliveredError
	switch {
	case st.DroppedClose == 0:
		// CloudWatch is down: the buffer cannot have been emptied.
		t.Errorf("nothing counted as undelivered at Close with CloudWatch down (Close = %v, stats %+v)", err, st)
	case !errors.As(err, &ue) || !errors.Is(err, context.DeadlineExceeded) || uint64(ue.Count) != st.DroppedClose:
		t.Errorf("Close = %v, want an UndeliveredError for the %d events left, wrapping DeadlineExceeded", err, st.DroppedClose)
	}
	if reports.retries.Load() == 0 {
		t.Errorf("OnError never got a *core.RetryError with CloudWatch down")
	}
	if n := reports.overlaps.Load(); n > 0 {
		t.Errorf("OnError was called %d times while another call ran; reports must come one at a time", n)
	}
	if policy == core.Block {
		if st.DroppedFull != 0 || reports.droppedReports.Load() != 0 {
			t.Errorf("Block dropped %d events (%d DroppedError reports)", st.DroppedFull, reports.droppedReports.Load())
		}
		// Each writer was waiting in Add when Close began, and is
		// refused with ErrClosed, counted here.
		if st.AfterClose < uint64(blockedWriters) {
			t.Errorf("AfterClose %d, but %d writers were waiting in Add when Close began", st.AfterClose, blockedWriters)
		}
	} else {
		// Every drop is reported in the end: Close's last report sums up
		// the drops since the one before. When Close's deadline passes it
		// does not wait for the reporter, so that report may come just
		// after Close returns.
		if !waitFor(5*time.Second, func() bool { return uint64(reports.droppedEvents.Load()) == st.DroppedFull }) {
			t.Errorf("DroppedError reports sum to %d events; Stats.DroppedFull is %d", reports.droppedEvents.Load(), st.DroppedFull)
		}
		// Drops are summed up, at most one report a second: the first at
		// once, the next a second after it and so on, plus one at Close.
		// Read the count before the clock, so that a report arriving in
		// between cannot make the bound too small.
		n := reports.droppedReports.Load()
		bound := int64(time.Since(created)/time.Second) + 2
		if n == 0 || n > bound {
			t.Errorf("%d DroppedError reports for %d events dropped in %v; want 1..%d (one a second, plus one at Close)",
				n, st.DroppedFull, time.Since(created).Round(time.Millisecond), bound)
		}
		// Far fewer reports than drops: one per drop is what the recursion
		// came from.
		if st.DroppedFull < 1000 {
			t.Errorf("only %d events dropped; the buffer was meant to overflow several times", st.DroppedFull)
		}
	}
	if n := reports.afterClose.Load(); n > 0 {
		// Close's context ended, so Close did not wait for the reporter.
		t.Logf("note: OnError was called %d times after Close returned (Close's deadline had passed)", n)
	}
	t.Logf("%v: Close returned %v after it began (%v deadline); stats %+v; OnError: %d calls (%d retries, %d DroppedError reports for %d events, %d other); %d writers and OnError (%v) waiting at Close",
		policy, took.Round(time.Millisecond), closeDeadline, st, reports.calls.Load(), reports.retries.Load(),
		reports.droppedReports.Load(), reports.droppedEvents.Load(), reports.others.Load(), blockedWriters, onErrorWaiting)
}
