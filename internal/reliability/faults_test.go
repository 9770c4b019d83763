package reliability

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

const (
	matrixEvents  = 100_000
	matrixWriters = 8
)

// mode is how the Shipper and the endpoint treat sequence tokens.
type mode int

const (
	// chained: Concurrency 1 against an endpoint that checks tokens. Every
	// accepted event must be stored exactly once, each writer's events in
	// the order it added them.
	chained mode = iota
	// parallel: Concurrency 4 against an endpoint that ignores tokens.
	// Every accepted event must be stored at least once; duplicates are
	// counted, and must be explained by calls stored whose answer was lost.
	parallel
	// detected: the default, adaptive Concurrency against an endpoint that
	// checks tokens. The first call finds that out; as chained after it.
	detected
	// adaptive: the default Concurrency against an endpoint that ignores
	// tokens; as parallel.
	adaptive
)

func (m mode) String() string { return [...]string{"chained", "parallel", "detected", "adaptive"}[m] }

// checksTokens reports whether the mode's endpoint checks tokens, so that
// every event must be stored exactly once and in each writer's order.
func (m mode) checksTokens() bool { return m == chained || m == detected }

// env is one scenario's world.
type env struct {
	srv      *cwlogtest.Server
	shippers []*core.Shipper
	clients  []*cloudwatchlogs.Client
	errs     *errorLog
	// saved holds the messages of streams deleted during the run, copied
	// out just before the deletion.
	savedMu sync.Mutex
	saved   []string
}

type scenario struct {
	name string
	mode mode
	// shippers is how many Shippers share the stream (default 1); the
	// writers are split between them.
	shippers int
	// client builds each Shipper's client; default srv.Client(), which has
	// the SDK's default retryer.
	client func(*cwlogtest.Server) *cloudwatchlogs.Client
	edit   func(*core.Config)
	// faults runs before the events are added; during runs while they
	// are added and uploaded, and the Shippers are closed after it returns.
	faults func(*cwlogtest.Server)
	during func(t *testing.T, e *env)
	// after checks more once everything is closed.
	after func(t *testing.T, e *env, r *row)
	// tolerate are call outcomes beyond acceptable that the scenario
	// causes on purpose.
	tolerate []string
}

// row is one line of the summary table.
type row struct {
	name       string
	mode       mode
	events     int
	calls      int
	retries    uint64
	duplicates int
	wall       time.Duration
	outcomes   map[string]int
}

// everyNth returns a fault function that faults a fixed, spread-out
// fraction of the PutLogEvents calls (pct out of 100), cycling through
// kinds, so the mix is exact and the same on every run.
func everyNth(pct int, kinds ...cwlogtest.Fault) func(op string, n int) cwlogtest.Fault {
	return func(op string, n int) cwlogtest.Fault {
		if op != cwlogtest.OpPutLogEvents {
			return cwlogtest.Fault{}
		}
		// A multiplicative hash spreads the faulted calls without a
		// shared generator.
		h := uint32(n) * 2654435761
		if int(h%100) >= pct {
			return cwlogtest.Fault{}
		}
		return kinds[int(h/100)%len(kinds)]
	}
}

var (
	throttle    = cwlogtest.Fault{Kind: cwlogtest.FaultThrottle}
	internal    = cwlogtest.Fault{Kind: cwlogtest.FaultInternal}
	unavailable = cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable}
	dropConn    = cwlogtest.Fault{Kind: cwlogtest.FaultDrop}
)

// storm throttles every PutLogEvents call for d.
func storm(d time.Duration) func(*testing.T, *env) {
	return func(t *testing.T, e *env) {
		time.Sleep(d)
		e.srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{})
	}
}

// holdUploads throttles every PutLogEvents call and returns once no call
// that slipped through before is still being stored: with Concurrency 1
// that is when a throttled call is answered, or nothing is uploading.
func holdUploads(t *testing.T, e *env) {
	before := len(e.srv.CallsOf(cwlogtest.OpPutLogEvents))
	e.srv.SetFault(cwlogtest.OpPutLogEvents, throttle)
	ok := waitFor(30*time.Second, func() bool {
		for _, c := range e.srv.CallsOf(cwlogtest.OpPutLogEvents)[before:] {
			if c.Outcome == cwlogtest.CodeThrottling {
				return true
			}
		}
		for _, s := range e.shippers {
			if s.Stats().Pending != 0 {
				return false
			}
		}
		return true
	})
	if !ok {
		t.Error("uploads could not be held")
	}
}

// deleteMidRun waits until about frac of the events are stored, then
// deletes what del deletes, saving the stream's events first. Uploads are
// held meanwhile, so no batch lands between the copy and the deletion.
func deleteMidRun(e *env, t *testing.T, frac float64, del func()) {
	if !waitFor(60*time.Second, func() bool { return e.srv.EventCount(group, stream) >= int(frac*matrixEvents) }) {
		t.Errorf("only %d events stored; never reached %.0f%%", e.srv.EventCount(group, stream), frac*100)
		return
	}
	holdUploads(t, e)
	e.savedMu.Lock()
	e.saved = append(e.saved, e.srv.Messages(group, stream)...)
	e.savedMu.Unlock()
	del()
	e.srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{})
}

func scenarios() []scenario {
	slow := cwlogtest.Fault{Delay: 200 * time.Millisecond}
	lost := []cwlogtest.Fault{
		{Kind: cwlogtest.FaultUnavailable, AfterStore: true},
		{Kind: cwlogtest.FaultDrop, AfterStore: true},
	}
	shortCalls := func(c *core.Config) {
		// A 500-event batch is encoded, sent and stored well inside
		// 50ms even under the race detector; 10,000 are not.
		c.CallTimeout = 50 * time.Millisecond
		c.MaxBatchEvents = 500
	}
	credentials := func(t *testing.T, e *env) {
		e.srv.SetFault(cwlogtest.AnyOp, cwlogtest.Fault{Kind: cwlogtest.FaultUnrecognizedClient})
		time.Sleep(500 * time.Millisecond)
		e.srv.SetFault(cwlogtest.AnyOp, cwlogtest.Fault{Kind: cwlogtest.FaultAccessDenied})
		time.Sleep(500 * time.Millisecond)
		e.srv.SetFault(cwlogtest.AnyOp, cwlogtest.Fault{})
	}
	var out []scenario
	for _, m := range []mode{chained, parallel, detected, adaptive} {
		out = append(out,
			scenario{name: "throttle 30%", mode: m,
				faults: func(srv *cwlogtest.Server) { srv.SetFaultFunc(everyNth(30, throttle)) }},
			scenario{name: "throttle storm 4s", mode: m,
				faults: func(srv *cwlogtest.Server) { srv.SetFault(cwlogtest.OpPutLogEvents, throttle) },
				during: storm(4 * time.Second),
				after:  checkRetryQuota},
			scenario{name: "5xx 20%", mode: m,
				faults: func(srv *cwlogtest.Server) { srv.SetFaultFunc(everyNth(20, internal, unavailable)) }},
			scenario{name: "dropped connections 10%", mode: m,
				faults: func(srv *cwlogtest.Server) { srv.SetFaultFunc(everyNth(10, dropConn)) }},
			scenario{name: "200ms latency > 50ms timeout 10%", mode: m, edit: shortCalls,
				faults: func(srv *cwlogtest.Server) { srv.SetFaultFunc(everyNth(10, slow)) },
				// A call cut off by its timeout while its body was still
				// being sent reaches the endpoint truncated; the client
				// has gone and never sees the answer.
				tolerate: []string{cwlogtest.CodeSerialization}},
			scenario{name: "responses lost after store 10%", mode: m,
				faults: func(srv *cwlogtest.Server) { srv.SetFaultFunc(everyNth(10, lost...)) },
				after:  checkLostResponses},
			scenario{name: "credentials rejected 1s", mode: m, during: credentials},
		)
	}
	// Deleting needs the Shipper's one call in flight to be known, and
	// racing needs tokens: these run chained.
	out = append(out,
		scenario{name: "stream deleted mid-run x2", mode: chained,
			during: func(t *testing.T, e *env) {
				deleteMidRun(e, t, 0.3, func() { e.srv.DeleteStream(group, stream) })
				deleteMidRun(e, t, 0.6, func() { e.srv.DeleteStream(group, stream) })
			}},
		scenario{name: "group deleted mid-run", mode: chained,
			during: func(t *testing.T, e *env) {
				deleteMidRun(e, t, 0.4, func() { e.srv.DeleteGroup(group) })
			}},
		scenario{name: "two Shippers racing on one stream", mode: chained, shippers: 2},
		scenario{name: "two Shippers racing on one stream", mode: detected, shippers: 2},
	)
	return out
}

// checkRetryQuota shows that a storm long enough to drain the SDK's
// client-side retry quota many times over leaves the user's client intact:
// the Shipper's calls never draw on it. The default retryer holds 500
// tokens and a throttled retry costs 5, so 100 SDK retries would empty it.
func checkRetryQuota(t *testing.T, e *env, r *row) {
	if r.retries <= 100 {
		t.Errorf("only %d retries during the storm; it should outlast the SDK's quota of 100", r.retries)
	}
	// The Shippers' own client, which has the SDK's default retryer, as
	// a user would build it: a throttled call of the user's is retried by
	// the SDK and succeeds, because the quota is untouched.
	e.srv.FailNext(cwlogtest.OpDescribeLogStreams, 1, throttle)
	_, err := e.clients[0].DescribeLogStreams(context.Background(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group)})
	if err != nil {
		t.Fatalf("user call on the Shipper's client after the storm: %v", err)
	}
}

// checkLostResponses checks that every duplicate is a batch the endpoint
// stored while its answer was lost, and that chained mode had none.
func checkLostResponses(t *testing.T, e *env, r *row) {
	lostStored := 0
	for _, c := range e.srv.CallsOf(cwlogtest.OpPutLogEvents) {
		if c.Fault.AfterStore && c.Outcome != cwlogtest.OutcomeOK {
			lostStored += c.Stored
		}
	}
	if lostStored == 0 {
		t.Fatal("no answer was lost after a store; the scenario tested nothing")
	}
	switch r.mode {
	case chained, detected:
		if r.outcomes[cwlogtest.CodeDataAlreadyAccepted] == 0 {
			t.Error("no resend was recognised as DataAlreadyAccepted")
		}
	case parallel, adaptive:
		if r.duplicates != lostStored {
			t.Errorf("%d duplicates, but %d events were stored by calls whose answer was lost", r.duplicates, lostStored)
		}
	}
}

func TestFaultMatrix(t *testing.T) {
	var rows []*row
	for _, sc := range scenarios() {
		t.Run(sc.mode.String()+"/"+sc.name, func(t *testing.T) {
			rows = append(rows, runScenario(t, sc))
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-9s %-36s %8s %6s %8s %5s %8s  %s\n", "mode", "scenario", "events", "calls", "retries", "dups", "wall", "PutLogEvents outcomes")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-9s %-36s %8d %6d %8d %5d %8s  %v\n", r.mode, r.name, r.events, r.calls, r.retries, r.duplicates, r.wall.Round(10*time.Millisecond), r.outcomes)
	}
	t.Log(b.String())
}

func runScenario(t *testing.T, sc scenario) *row {
	opts := &cwlogtest.Options{Seed: 1}
	if sc.mode.checksTokens() {
		opts.Tokens = cwlogtest.TokensLegacy
	}
	srv := cwlogtest.Start(t, opts)
	srv.CreateStream(group, stream)
	e := &env{srv: srv, errs: &errorLog{}}
	nShippers := max(sc.shippers, 1)
	for range nShippers {
		client := srv.Client()
		if sc.client != nil {
			client = sc.client(srv)
		}
		e.clients = append(e.clients, client)
		cfg := config(client, e.errs)
		// Batches of 1,000 make a run of 100 calls or more, so that a
		// fault rate hits many batches.
		cfg.MaxBatchEvents = 1000
		switch sc.mode {
		case chained:
			cfg.Concurrency = 1
		case parallel:
			cfg.Concurrency = 4
		}
		if sc.edit != nil {
			sc.edit(&cfg)
		}
		e.shippers = append(e.shippers, shiptest.New(t, cfg))
	}
	if sc.faults != nil {
		sc.faults(srv)
	}

	start := time.Now()
	during := make(chan struct{})
	go func() {
		defer close(during)
		if sc.during != nil {
			sc.during(t, e)
		}
	}()
	runs := make([]*produced, nShippers)
	shiptest.Concurrently(nShippers, func(i int) {
		runs[i] = produce(e.shippers[i], fmt.Sprintf("s%d", i), matrixEvents/nShippers, matrixWriters/nShippers)
	})
	<-during
	for _, s := range e.shippers {
		shiptest.Close(t, s)
	}
	wall := time.Since(start)

	r := &row{name: sc.name, mode: sc.mode, wall: wall, outcomes: checkCalls(t, srv, sc.tolerate...)}
	stored := append(e.saved, srv.Messages(group, stream)...)
	for i, s := range e.shippers {
		st := s.Stats()
		checkBalanced(t, st)
		p := runs[i]
		n := p.acceptedCount()
		if p.refused != 0 || n != len(p.accepted) {
			t.Errorf("shipper %d: Add refused %d of %d events", i, p.refused, len(p.accepted))
		}
		if st.Added != uint64(n) || st.Delivered != uint64(n) {
			t.Errorf("shipper %d: %d accepted, Stats Added %d Delivered %d (rejected %d, dropped %d)",
				i, n, st.Added, st.Delivered, st.Rejected, st.Dropped)
		}
		v := judge(p, stored)
		if v.missing != 0 || v.unknown != 0 {
			t.Errorf("shipper %d: %d accepted events never stored, %d stored events never accepted", i, v.missing, v.unknown)
		}
		if sc.mode.checksTokens() {
			if v.duplicates != 0 {
				t.Errorf("shipper %d: %d duplicates with chained tokens", i, v.duplicates)
			}
			if v.outOfOrder != 0 {
				t.Errorf("shipper %d: %d events stored before an earlier event of the same writer", i, v.outOfOrder)
			}
		}
		r.events += n
		r.retries += st.Retries
		r.duplicates += v.duplicates
	}
	r.calls = len(srv.CallsOf(cwlogtest.OpPutLogEvents))
	if r.duplicates > 0 {
		t.Logf("%d duplicates stored (at-least-once)", r.duplicates)
	}
	if sc.after != nil {
		sc.after(t, e, r)
	}
	return r
}
