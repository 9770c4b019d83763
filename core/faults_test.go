package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

func TestThrottlingStormLosesNothing(t *testing.T) {
	srv, s, errs := start(t, nil, nil)
	srv.SetFault("PutLogEvents", cwlogtest.Fault{Kind: cwlogtest.FaultThrottle})
	want := padded("storm", 5000)
	addAll(t, s, want[:2500], 4)
	// Long enough for the SDK's own retries and its retry quota to give up
	// many times over; the Shipper must not.
	time.Sleep(time.Second)
	srv.SetFault("PutLogEvents", cwlogtest.Fault{})
	addAll(t, s, want[2500:], 4)
	checkDelivers(t, srv, s, want)
	st := s.Stats()
	if st.Retries == 0 {
		t.Fatal("no retries counted during the storm")
	}
	var re *core.RetryError
	if len(errs.All()) == 0 || !errors.As(errs.All()[0], &re) {
		t.Fatalf("the storm was not reported: %v", errs.All())
	}
	checkBalanced(t, st)
}

func TestIntermittentFaultsLoseNothing(t *testing.T) {
	faults := []cwlogtest.Fault{
		{Kind: cwlogtest.FaultThrottle},
		{Kind: cwlogtest.FaultInternal},
		{Kind: cwlogtest.FaultUnavailable},
		{Kind: cwlogtest.FaultDrop},
		{Kind: cwlogtest.FaultUnrecognizedClient},
	}
	for _, f := range faults {
		t.Run(f.Kind.String(), func(t *testing.T) {
			srv, s, _ := start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy, Seed: 7}, nil)
			srv.SetFaultRate("PutLogEvents", 0.3, f)
			want := padded(f.Kind.String(), 10_000)
			addAll(t, s, want, 4)
			checkDelivers(t, srv, s, want)
			checkBalanced(t, s.Stats())
		})
	}
}

func TestCallTimeoutIsRetried(t *testing.T) {
	srv, s, _ := start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy}, func(c *core.Config) { c.CallTimeout = 100 * time.Millisecond })
	srv.FailNext("PutLogEvents", 3, cwlogtest.Fault{Delay: time.Second})
	want := msgs("slow", 50)
	mustAddAll(t, s, want)
	checkDelivers(t, srv, s, want)
}

func TestGroupAndStreamMissingAtStart(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	s, _ := newShipper(t, srv, func(c *core.Config) { c.RetentionDays = 30 })
	want := msgs("created", 100)
	mustAddAll(t, s, want)
	checkDelivers(t, srv, s, want)
	ops := map[string]int{}
	for _, c := range srv.Calls() {
		ops[c.Op]++
	}
	if ops["CreateLogGroup"] != 1 || ops["CreateLogStream"] < 1 || ops["PutRetentionPolicy"] != 1 {
		t.Fatalf("calls %v; want one CreateLogGroup, CreateLogStream and PutRetentionPolicy", ops)
	}
}

func TestStreamAndGroupDeletedMidRun(t *testing.T) {
	for _, tc := range []struct {
		what        string
		concurrency int
	}{{"stream", 1}, {"group", 1}, {"stream", 4}, {"group", 4}} {
		what := tc.what
		t.Run(fmt.Sprintf("%s/concurrency-%d", what, tc.concurrency), func(t *testing.T) {
			srv, s, _ := start(t, nil, func(c *core.Config) {
				c.Concurrency = tc.concurrency
				c.MaxBatchEvents = 2 // several uploads in flight meet the missing stream
			})
			mustAddAll(t, s, msgs("before", 10))
			shiptest.Flush(t, s)
			if what == "stream" {
				srv.DeleteStream(group, stream)
			} else {
				srv.DeleteGroup(group)
			}
			want := msgs("after", 10)
			mustAddAll(t, s, want)
			checkDelivers(t, srv, s, want)
		})
	}
}

func TestSkipCreateWaitsForTheStream(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	srv.CreateGroup(group)
	s, errs := newShipper(t, srv, func(c *core.Config) { c.SkipCreateStream = true })
	mustAdd(t, s, core.Event{Message: "waiting"})
	deadline := time.Now().Add(5 * time.Second)
	for len(errs.All()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if len(errs.All()) == 0 {
		t.Fatal("the missing stream was not reported")
	}
	srv.CreateStream(group, stream)
	checkDelivers(t, srv, s, []string{"waiting"})
	for _, c := range srv.Calls() {
		if c.Op == "CreateLogStream" || c.Op == "CreateLogGroup" {
			t.Fatalf("%s called despite SkipCreateStream", c.Op)
		}
	}
}

// TestRefusedBatchIsolatesTheEventAtFault runs a Shipper left at the
// service's 1 MiB event limit against an endpoint that still has the old
// 256 KiB one: the batch holding the large event is refused whole, and only
// that event may be lost, counted and reported.
func TestRefusedBatchIsolatesTheEventAtFault(t *testing.T) {
	srv, s, errs := start(t, &cwlogtest.Options{MaxEventBytes: 256 << 10, Tokens: cwlogtest.TokensLegacy}, func(c *core.Config) { c.FlushInterval = time.Hour })
	want := msgs("small", 50)
	for i, m := range want {
		mustAdd(t, s, core.Event{Message: m})
		if i == 20 {
			mustAdd(t, s, core.Event{Message: strings.Repeat("L", 300<<10)})
		}
	}
	checkDelivers(t, srv, s, want)
	st := s.Stats()
	if st.RejectedInvalid != 1 || st.Delivered != 50 {
		t.Fatalf("stats %+v, want 1 invalid and 50 delivered", st)
	}
	checkBalanced(t, st)
	var rej *core.RejectedError
	for _, err := range errs.All() {
		if errors.As(err, &rej) && rej.Invalid == 1 && strings.Contains(err.Error(), "too large") {
			return
		}
	}
	t.Fatalf("the refused event was not reported with the service's reason: %v", errs.All())
}
