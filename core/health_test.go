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

// setupBackoff has transient failures retried after at most 10 ms, and
// failures that will not end by themselves after 10 ms doubling to 60 ms
// (six times MaxBackoff), each wait at least half its step.
func setupBackoff(c *core.Config) {
	c.MinBackoff = time.Millisecond
	c.MaxBackoff = 10 * time.Millisecond
}

// setupErrors returns the *SetupError of each *RetryError reported.
func setupErrors(errs *shiptest.Errors) []*core.SetupError {
	var out []*core.SetupError
	for _, re := range reported[*core.RetryError](errs) {
		var se *core.SetupError
		if errors.As(re, &se) {
			out = append(out, se)
		}
	}
	return out
}

func TestSetupFailureReportedOncePerCauseAndRecovery(t *testing.T) {
	srv, s, errs := start(t, nil, setupBackoff)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultAccessDenied})
	mustAddAll(t, s, msgs("denied", 5))
	waitFor(t, "five denied calls", func() bool { return putCalls(srv) >= 5 })

	h := s.Health()
	var se *core.SetupError
	if h.State != core.Failing || !errors.As(h.LastError, &se) || h.LastErrorAt.IsZero() {
		t.Fatalf("Health = %+v, want Failing with a *SetupError", h)
	}
	t.Log(errs.All()[0])
	if got := setupErrors(errs); len(got) != 1 || !strings.Contains(got[0].Error(), "logs:PutLogEvents") {
		t.Fatalf("reported %v, want one SetupError naming logs:PutLogEvents", errs.All())
	}

	// Slowly: waits from 10 ms doubling to 60 ms, each at least half its
	// step, allow 1 + 3 + w/30ms calls in a window w; twice that is the
	// bound. Retrying at the transient pace (at most 10 ms) makes over
	// 60 in the window.
	before := putCalls(srv)
	window := 600 * time.Millisecond
	time.Sleep(window)
	if n, limit := putCalls(srv)-before, 2*(4+int(window/(30*time.Millisecond))); n > limit {
		t.Fatalf("%d calls in %v while failing, want at most %d", n, window, limit)
	}

	// A new cause is a new report.
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultUnrecognizedClient})
	waitFor(t, "a second cause reported", func() bool { return len(setupErrors(errs)) == 2 })
	if got := setupErrors(errs)[1].Error(); !strings.Contains(got, "credentials refused") {
		t.Fatalf("second report %q, want credentials refused", got)
	}

	srv.ClearFaults()
	waitFor(t, "delivery", func() bool { return s.Stats().Delivered == 5 })
	waitFor(t, "the recovery reported", func() bool { return len(reported[*core.Recovered](errs)) == 1 })
	r := reported[*core.Recovered](errs)[0]
	if r.Waited != 5 || r.Failures < 5 || r.Outage <= 0 {
		t.Fatalf("Recovered = %+v, want 5 events waited after 5 or more failures", r)
	}
	if h := s.Health(); h.State != core.Delivering || h.LastDelivered.IsZero() || h.LastError == nil {
		t.Fatalf("Health after recovery = %+v", h)
	}
	if n := len(setupErrors(errs)); n != 2 {
		t.Fatalf("%d setup reports, want 2", n)
	}
	checkDelivers(t, srv, s, msgs("denied", 5))
}

func TestRetryReportsSayAttemptAndNext(t *testing.T) {
	srv, s, errs := start(t, nil, nil)
	srv.FailNext(cwlogtest.OpPutLogEvents, 3, cwlogtest.Fault{Kind: cwlogtest.FaultThrottle})
	mustAddAll(t, s, msgs("throttled", 3))
	waitFor(t, "delivery", func() bool { return s.Stats().Delivered == 3 })
	waitFor(t, "the recovery reported", func() bool { return len(reported[*core.Recovered](errs)) == 1 })

	retries := reported[*core.RetryError](errs)
	if len(retries) != 3 {
		t.Fatalf("%d retry reports, want 3: %v", len(retries), errs.All())
	}
	for i, re := range retries {
		text := re.Error()
		if re.Attempt != i+1 || re.Next <= 0 || strings.Contains(text, "maximum number of attempts") ||
			!strings.Contains(text, "next in") || !strings.Contains(text, "Rate exceeded") {
			t.Errorf("report %d = %q (attempt %d, next %v)", i, text, re.Attempt, re.Next)
		}
	}
	if r := reported[*core.Recovered](errs)[0]; r.Failures != 3 {
		t.Errorf("Recovered = %+v, want 3 failures", r)
	}
	if h := s.Health(); h.State != core.Delivering || h.LastError == nil {
		t.Errorf("Health = %+v", h)
	}
	checkDelivers(t, srv, s, msgs("throttled", 3))
}

// A single failed call is a blip, not an outage: no recovery report.
func TestOneFailureIsNotAnOutage(t *testing.T) {
	srv, s, errs := start(t, nil, nil)
	srv.FailNext(cwlogtest.OpPutLogEvents, 1, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	mustAddAll(t, s, msgs("blip", 2))
	checkDelivers(t, srv, s, msgs("blip", 2))
	if n, r := len(reported[*core.RetryError](errs)), len(reported[*core.Recovered](errs)); n != 1 || r != 0 {
		t.Fatalf("%d retry and %d recovery reports, want 1 and 0", n, r)
	}
}

func TestCreatingIsNotARetry(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	s, errs := newShipper(t, srv, nil)
	mustAddAll(t, s, msgs("fresh", 3))
	checkDelivers(t, srv, s, msgs("fresh", 3))
	if st := s.Stats(); st.Created != 2 || st.Retries != 0 || len(errs.All()) != 0 {
		t.Fatalf("Created %d, Retries %d, reports %v; want 2, 0, none", st.Created, st.Retries, errs.All())
	}
}

func TestMissingWithCreationOffNamesWhatIsMissing(t *testing.T) {
	tests := []struct {
		name          string
		hasGroup      bool
		edit          func(*core.Config)
		want, notWant string
		create        func(*cwlogtest.Server)
	}{
		{"group, both flags", false, func(c *core.Config) { c.SkipCreateGroup, c.SkipCreateStream = true, true },
			"log group app/test does not exist and SkipCreateGroup is set; create it and the stream (aws logs create-log-group --log-group-name app/test && aws logs create-log-stream --log-group-name app/test --log-stream-name instance-1)",
			"log stream instance-1 does not", func(srv *cwlogtest.Server) { srv.CreateGroup(group); srv.CreateStream(group, stream) }},
		{"group", false, func(c *core.Config) { c.SkipCreateGroup = true },
			"log group app/test does not exist and SkipCreateGroup is set",
			"log stream", func(srv *cwlogtest.Server) { srv.CreateGroup(group) }},
		{"stream", true, func(c *core.Config) { c.SkipCreateStream = true },
			"log stream instance-1 does not exist in log group app/test and SkipCreateStream is set; create it (aws logs create-log-stream --log-group-name app/test --log-stream-name instance-1)",
			"log group app/test does not", func(srv *cwlogtest.Server) { srv.CreateStream(group, stream) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := cwlogtest.Start(t, nil)
			if tt.hasGroup {
				srv.CreateGroup(group)
			}
			s, errs := newShipper(t, srv, func(c *core.Config) { setupBackoff(c); tt.edit(c) })
			mustAddAll(t, s, msgs("waiting", 2))
			waitFor(t, "a setup report", func() bool { return len(setupErrors(errs)) > 0 })
			text := setupErrors(errs)[0].Error()
			if !strings.Contains(text, tt.want) || strings.Contains(text, tt.notWant) {
				t.Fatalf("report %q, want it to contain %q and not %q", text, tt.want, tt.notWant)
			}
			if s.Health().State != core.Failing {
				t.Fatalf("Health = %+v, want Failing", s.Health())
			}
			tt.create(srv) // an operator fixes it while the program runs
			waitFor(t, "delivery", func() bool { return s.Stats().Delivered == 2 })
			waitFor(t, "the recovery reported", func() bool { return len(reported[*core.Recovered](errs)) == 1 })
			if n := len(setupErrors(errs)); n != 1 {
				t.Fatalf("%d setup reports, want 1: %v", n, errs.All())
			}
		})
	}
}

func TestCreateDeniedNamesTheAction(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	srv.CreateGroup(group)
	srv.SetFault(cwlogtest.OpCreateLogStream, cwlogtest.Fault{Kind: cwlogtest.FaultAccessDenied})
	s, errs := newShipper(t, srv, setupBackoff)
	mustAddAll(t, s, msgs("denied", 1))
	waitFor(t, "a setup report", func() bool { return len(setupErrors(errs)) > 0 })
	se := setupErrors(errs)[0]
	if se.Op != "CreateLogStream" || !strings.Contains(se.Error(), "logs:CreateLogStream") {
		t.Fatalf("report %q (op %s), want it to name logs:CreateLogStream", se.Error(), se.Op)
	}
	var re *core.RetryError
	if !errors.As(errs.All()[0], &re) || re.Op != "CreateLogStream" {
		t.Fatalf("first report %v, want a RetryError for CreateLogStream", errs.All()[0])
	}
	t.Log(errs.All()[0])
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var ue *core.UndeliveredError
	if err := s.Close(ctx); !errors.As(err, &ue) || ue.Count != 1 {
		t.Fatalf("Close = %v, want 1 event undelivered", err)
	}
}

// Reports quote the service's answer, not the SDK's wrapping of it, and
// keep what the Shipper says around it.
func TestReportsQuoteTheServiceNotTheSDK(t *testing.T) {
	srv, s, errs := start(t, nil, nil)
	srv.FailNext(cwlogtest.OpPutLogEvents, 1, cwlogtest.Fault{Kind: cwlogtest.FaultInvalidParameter})
	srv.FailNext(cwlogtest.OpPutLogEvents, 1, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	mustAddAll(t, s, msgs("quoted", 2))
	checkDelivers(t, srv, s, msgs("quoted", 2))
	texts := ""
	for _, err := range errs.All() {
		texts += err.Error() + "\n"
	}
	for _, want := range []string{"batch refused as invalid, halving it", "InvalidParameterException", "ServiceUnavailable"} {
		if !strings.Contains(texts, want) {
			t.Errorf("reports do not say %q:\n%s", want, texts)
		}
	}
	for _, unwanted := range []string{"operation error", "exceeded maximum number of attempts"} {
		if strings.Contains(texts, unwanted) {
			t.Errorf("reports carry the SDK's %q:\n%s", unwanted, texts)
		}
	}
}
