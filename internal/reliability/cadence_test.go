package reliability

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/logging"
	"go.uber.org/zap"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/cwlog/cwlog/slogcw"
	"github.com/cwlog/cwlog/zapcw"
)

// cadenceMargin is what a loaded machine, under the race detector, may add
// to how long an event waits before it is stored: the worker's timer firing
// late, the goroutines being scheduled late, the SDK building and signing
// the request and the endpoint decoding it.
const cadenceMargin = time.Second

// callsBefore counts the PutLogEvents calls that reached srv before end.
func callsBefore(srv *cwlogtest.Server, end time.Time) int {
	n := 0
	for _, c := range srv.CallsOf(cwlogtest.OpPutLogEvents) {
		if c.Time.Before(end) {
			n++
		}
	}
	return n
}

// TestTrickleWaitsForFlushInterval adds 100 events a second for 10 s to a
// Shipper with the default configuration, on an endpoint that takes 20 ms,
// then 100 ms, to answer. The partial batch must linger until its oldest
// event has waited FlushInterval: about one call a second, not one per
// round trip (before batches waited to fill, 20 ms of latency made 94
// calls in 3 s). And it must not linger longer: no event may wait much
// more than FlushInterval to be stored. The two latencies run at once,
// each on its own endpoint.
func TestTrickleWaitsForFlushInterval(t *testing.T) {
	t.Parallel()
	const (
		rate   = 100 // events a second
		events = 10 * rate
	)
	fi := core.DefaultFlushInterval // what the zero FlushInterval means
	cadenceConcurrently(t, []time.Duration{20 * time.Millisecond, 100 * time.Millisecond}, time.Duration.String, func(t *testing.T, latency time.Duration) {
		srv := cwlogtest.Start(t, nil)
		srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Delay: latency})
		errs := &errorLog{}
		// The default configuration: only what is required, and an
		// OnError that collects. The stream does not exist yet.
		s := shiptest.New(t, core.Config{
			Client:    srv.Client(),
			LogGroup:  group,
			LogStream: stream,
			OnError:   errs.add,
		})

		ticker := time.NewTicker(time.Second / rate)
		defer ticker.Stop()
		start := time.Now()
		for i := range events {
			<-ticker.C
			if err := s.Add(core.Event{Message: "trickle/" + string(appendID(nil, i))}); err != nil {
				t.Fatalf("Add %d: %v", i, err)
			}
		}
		end := time.Now()
		// A ticker drops ticks when the receiver lags, so on a loaded
		// machine the trickle may take longer than 10 s: the bounds
		// are taken over the time it did take.
		window := end.Sub(start)

		shiptest.Close(t, s)
		during := callsBefore(srv, end)

		// The upper bound. The first event starts the queue's linger,
		// and after each take of the queue the next event pushed
		// starts a new one, so takes are at least FlushInterval apart
		// and the first comes FlushInterval after the first event: at
		// most window/FlushInterval takes. Each take is one call
		// (1000 events of ~40 bytes never fill a batch), except the
		// first: the stream does not exist yet, so it is answered
		// ResourceNotFound and resent once the Shipper has created
		// the stream (+1). That is the strict bound; +2 is slack for
		// phase (the timer and the ticker drift against each other,
		// and the window is a little longer than a whole number of
		// intervals) which still fails a return to one call per round
		// trip by far (94 calls in 3 s at 20 ms).
		maxCalls := int(window/fi) + 3
		// The lower bound: a partial batch is sent once its oldest
		// event has waited FlushInterval, so consecutive takes are
		// FlushInterval plus the tick the next event takes to arrive
		// (10 ms) apart, plus the worker's timer firing late. The
		// first take is one interval in (9 or 10 takes in 10 s, plus
		// the resend); -2 leaves room for timers late by ~200 ms
		// each on a loaded machine. An event held twice as long
		// would halve the count.
		minCalls := int(window/fi) - 2
		if during > maxCalls {
			t.Errorf("%d PutLogEvents calls in %v of a %d/s trickle; want at most %d (one per FlushInterval %v, +1 for the create-stream resend, +2 slack for phase)",
				during, window.Round(time.Millisecond), rate, maxCalls, fi)
		}
		if during < minCalls {
			t.Errorf("%d PutLogEvents calls in %v; want at least %d: the partial batch waited longer than FlushInterval %v",
				during, window.Round(time.Millisecond), minCalls, fi)
		}

		// Better than counting: how long each event waited, from the
		// time Add gave it (zero Time means the time of Add) to the
		// endpoint storing it. A partial batch is sent when its oldest
		// event has waited FlushInterval; the call then takes the
		// latency, twice for the first batch (ResourceNotFound, then
		// the resend); cadenceMargin covers the rest. The events of
		// the last partial batch were sent by Close, earlier.
		stored := srv.Events(group, stream)
		if len(stored) != events {
			t.Fatalf("stored %d of %d events", len(stored), events)
		}
		limit := fi + 2*latency + cadenceMargin
		var longest time.Duration
		late := 0
		for _, e := range stored {
			waited := time.Duration(e.IngestionTime-e.Timestamp) * time.Millisecond
			longest = max(longest, waited)
			if waited > limit {
				late++
			}
		}
		if late > 0 {
			t.Errorf("%d events waited more than FlushInterval %v + 2×latency %v + margin %v to be stored, the longest %v",
				late, fi, latency, cadenceMargin, longest)
		}

		msgs := srv.Messages(group, stream)
		for i, m := range msgs {
			if want := "trickle/" + string(appendID(nil, i)); m != want {
				t.Fatalf("event %d stored as %q, want %q", i, m, want)
			}
		}
		st := s.Stats()
		checkBalanced(t, st)
		checkCalls(t, srv)
		if st.Delivered != events {
			t.Errorf("Delivered %d of %d", st.Delivered, events)
		}
		cadenceNoErrors(t, errs)
		t.Logf("latency %v: %d calls in %v (bounds %d..%d), %d in all; longest wait to be stored %v (limit %v)",
			latency, during, window.Round(time.Millisecond), minCalls, maxCalls,
			len(srv.CallsOf(cwlogtest.OpPutLogEvents)), longest, limit)
	})
}

// TestSDKLogsRoutedBackIdle routes the SDK's logs of the Shipper's own
// calls (every request and response) through an adapter into the Shipper
// that made them, at the default FlushInterval, and logs one record. Each
// call then queues the logs of itself, which are uploaded by the next
// call, which logs itself: the loop never ends, but it must turn once per
// FlushInterval. Before batches waited to fill it turned once per round
// trip: 300+ calls in 3 s for one record.
//
// shiptest.StartSelfLogging wires the same loop, but with a 10 ms
// FlushInterval and throttling, to look for deadlocks; here the
// configuration is the default one. The three adapters run at once, each
// on its own endpoint.
func TestSDKLogsRoutedBackIdle(t *testing.T) {
	t.Parallel()
	const idle = 5 * time.Second
	fi := core.DefaultFlushInterval
	type adapter struct {
		name string
		// wire returns the SDK's logger and, once given the Shipper, a
		// function logging one user record through the adapter.
		wire func() (logging.Logger, func(*core.Shipper) func())
	}
	adapters := []adapter{
		{"slogcw", func() (logging.Logger, func(*core.Shipper) func()) {
			h := &shiptest.LateHandler{}
			l := slog.New(h)
			return slogcw.NewSDKLogger(l), func(s *core.Shipper) func() {
				h.Set(slogcw.NewHandler(s, &slogcw.Options{Level: slog.LevelDebug}))
				return func() { l.Info("user entry") }
			}
		}},
		{"zapcw", func() (logging.Logger, func(*core.Shipper) func()) {
			c := &shiptest.LateCore{}
			l := zap.New(c)
			return zapcw.NewSDKLogger(l), func(s *core.Shipper) func() {
				c.Set(zapcw.NewCore(s, nil, zap.DebugLevel))
				return func() { l.Info("user entry") }
			}
		}},
		{"logruscw", func() (logging.Logger, func(*core.Shipper) func()) {
			l := shiptest.QuietLogrus()
			return logruscw.NewSDKLogger(l), func(s *core.Shipper) func() {
				l.AddHook(logruscw.NewHook(s, nil))
				return func() { l.Info("user entry") }
			}
		}},
	}
	cadenceConcurrently(t, adapters, func(a adapter) string { return a.name }, func(t *testing.T, a adapter) {
		srv := cwlogtest.Start(t, nil)
		sdk, bind := a.wire()
		client := srv.Client(func(o *cloudwatchlogs.Options) {
			o.Logger = sdk
			o.ClientLogMode = aws.LogRequest | aws.LogResponse
		})
		errs := &errorLog{}
		s := shiptest.New(t, core.Config{
			Client:    client,
			LogGroup:  group,
			LogStream: stream,
			OnError:   errs.add,
		})
		logUser := bind(s)

		start := time.Now()
		logUser()
		time.Sleep(idle)
		end := start.Add(idle)
		// The record is sent FlushInterval after it was logged, and
		// every call after FlushInterval after the previous one's
		// request was logged (the oldest event it leaves queued): at
		// most idle/FlushInterval = 5 takes begin within idle. The
		// first call is answered ResourceNotFound and resent once the
		// stream is created (+1), which makes 6. Calls are counted by
		// their arrival time, so a late wake-up from Sleep adds none.
		maxCalls := int(idle/fi) + 1
		during := callsBefore(srv, end)
		if during > maxCalls {
			t.Errorf("%d PutLogEvents calls in %v after one record with the SDK's logs routed back; want at most %d (one per FlushInterval %v, +1 for the create-stream resend)",
				during, idle, maxCalls, fi)
		}
		if !storedUserEntry(srv.Messages(group, stream)) {
			t.Errorf("the user record was not stored within %v (FlushInterval %v)", idle, fi)
		}

		closed := make(chan error, 1)
		closeStart := time.Now()
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			closed <- s.Close(ctx)
		}()
		if err := shiptest.Within(t, 15*time.Second, closed, "Close did not return within 15 s with a 10 s deadline"); err != nil {
			t.Errorf("Close: %v", err)
		}
		closeTook := time.Since(closeStart)

		sdkStored := 0
		for _, m := range srv.Messages(group, stream) {
			if strings.Contains(m, "Request\\n") || strings.Contains(m, "Response\\n") {
				sdkStored++
			}
		}
		if sdkStored == 0 {
			t.Error("no SDK log was stored: the SDK's logs were not routed back into the Shipper, so the test proves nothing")
		}
		st := s.Stats()
		checkBalanced(t, st)
		checkCalls(t, srv)
		cadenceNoErrors(t, errs)
		t.Logf("%s: %d PutLogEvents calls in %v idle (at most %d), %d in all; %d SDK log entries stored, %d refused after Close; Close took %v",
			a.name, during, idle, maxCalls, len(srv.CallsOf(cwlogtest.OpPutLogEvents)), sdkStored, st.AfterClose, closeTook.Round(time.Millisecond))
	})
}

// cadenceConcurrently runs fn for every case as a subtest named by name,
// all at once, each from a goroutine of its own, and returns when all are
// done. The cases mostly sleep, so running them together keeps the wall
// time at that of the longest. t.Parallel would not: -parallel defaults to
// GOMAXPROCS, 2 on small CI machines, and would run three cases in two
// rounds. testing allows Run to be called from several goroutines at once.
func cadenceConcurrently[C any](t *testing.T, cases []C, name func(C) string, fn func(*testing.T, C)) {
	shiptest.Concurrently(len(cases), func(i int) {
		t.Run(name(cases[i]), func(t *testing.T) { fn(t, cases[i]) })
	})
}

// storedUserEntry reports whether msgs hold the user record.
func storedUserEntry(msgs []string) bool {
	for _, m := range msgs {
		if strings.Contains(m, `user entry`) {
			return true
		}
	}
	return false
}

// cadenceNoErrors fails t if the Shipper reported anything through OnError:
// on an endpoint without faults, the create-stream resend is not reported
// and nothing is retried, dropped or rejected.
func cadenceNoErrors(t *testing.T, errs *errorLog) {
	t.Helper()
	errs.mu.Lock()
	defer errs.mu.Unlock()
	if errs.retry != 0 || errs.dropped != 0 || len(errs.other) != 0 || len(errs.rejected) != 0 {
		t.Errorf("OnError saw %d retries, %d dropped, %d rejections, others %v", errs.retry, errs.dropped, len(errs.rejected), errs.other)
	}
}
