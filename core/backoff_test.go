package core_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

// Retries in these tests wait by a backoff from 10 ms doubling to 100 ms,
// each wait at least half its step (the jitter keeps half). Over a window
// w, a batch failing on every call therefore makes at most
// 1 + 4 + w/50ms calls: four steps before the cap, then one per 50 ms at
// the most. Each bound below allows twice that; a Shipper retrying
// without waiting makes thousands.
func backoff(c *core.Config) {
	c.MinBackoff = 10 * time.Millisecond
	c.MaxBackoff = 100 * time.Millisecond
}

// checkBacksOff waits for window and fails t if srv saw more
// PutLogEvents calls than backing off allows, during what.
func checkBacksOff(t *testing.T, srv *cwlogtest.Server, window time.Duration, what string) {
	t.Helper()
	time.Sleep(window)
	if n, limit := putCalls(srv), 2*(1+4+int(window/(50*time.Millisecond))); n > limit {
		t.Fatalf("%d PutLogEvents calls in %v %s, want at most %d", n, window, what, limit)
	}
}

// putCalls counts the PutLogEvents calls srv has seen.
func putCalls(srv *cwlogtest.Server) int { return len(srv.CallsOf(cwlogtest.OpPutLogEvents)) }

// reported returns the errors of type E among what OnError received.
func reported[E error](errs *shiptest.Errors) []E {
	var out []E
	for _, err := range errs.All() {
		var e E
		if errors.As(err, &e) {
			out = append(out, e)
		}
	}
	return out
}

// waitFor polls cond for up to 10 s, a bound no healthy run comes near.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestStreamStillMissingAfterCreateBacksOff(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultNotFound})
	s, errs := newShipper(t, srv, backoff)
	mustAdd(t, s, core.Event{Message: "hello"})
	checkBacksOff(t, srv, 2*time.Second, "with the stream never showing")
	var nf *types.ResourceNotFoundException
	if len(reported[*core.RetryError](errs)) == 0 || !errors.As(reported[*core.RetryError](errs)[0], &nf) {
		t.Fatalf("the missing stream was not reported as a retry: %v", errs.All())
	}
	srv.ClearFaults()
	shiptest.Close(t, s)
	if st := s.Stats(); st.Delivered != 1 {
		t.Fatalf("not delivered once the stream showed: %+v", st)
	}
}

func TestBadTokenBeyondFirstResendBacksOff(t *testing.T) {
	srv, s, errs := start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy}, backoff)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultBadToken})
	mustAdd(t, s, core.Event{Message: "hello"})
	checkBacksOff(t, srv, 2*time.Second, "of token races")
	var bad *types.InvalidSequenceTokenException
	retries := reported[*core.RetryError](errs)
	if len(retries) == 0 || !errors.As(retries[0], &bad) {
		t.Fatalf("the token race was not reported: %v", errs.All())
	}
	srv.ClearFaults()
	checkDelivers(t, srv, s, []string{"hello"})
}

func TestBatchRefusedOnEveryCallBacksOff(t *testing.T) {
	srv, s, errs := start(t, nil, backoff)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultInvalidParameter})
	want := msgs("refused", 10_000)
	mustAddAll(t, s, want)
	checkBacksOff(t, srv, 3*time.Second, "for one batch refused on every call")
	if len(reported[*core.RetryError](errs)) == 0 {
		t.Fatal("the refusals were not reported")
	}
	srv.ClearFaults()
	shiptest.Close(t, s)
	st := s.Stats()
	checkBalanced(t, st)
	if st.Delivered+st.RejectedInvalid != 10_000 || st.Delivered == 0 {
		t.Fatalf("after the refusals stopped: %+v", st)
	}
	if got := srv.EventCount(group, stream); uint64(got) != st.Delivered {
		t.Fatalf("stored %d, Delivered %d", got, st.Delivered)
	}
}

func TestBodyTooLargeShrinksBatches(t *testing.T) {
	srv, s, errs := start(t, nil, backoff)
	const limit = 64 << 10
	srv.SetMaxBodyBytes(limit)
	var want []string
	for i, m := range msgs("body", 2000) {
		m += strings.Repeat("x", 400+i%100)
		want = append(want, m)
		mustAdd(t, s, core.Event{Message: m})
	}
	huge := strings.Repeat("h", limit) // alone it still makes too large a body
	mustAdd(t, s, core.Event{Message: huge})
	defer func() {
		if t.Failed() {
			t.Log(errs.All())
		}
	}()
	checkDelivers(t, srv, s, want)
	st := s.Stats()
	checkBalanced(t, st)
	if st.RejectedInvalid != 1 {
		t.Fatalf("the event too large for the endpoint was not rejected alone: %+v", st)
	}
	shrunk := false
	for _, err := range errs.All() {
		shrunk = shrunk || strings.Contains(err.Error(), "too large; batches are now cut at")
	}
	if !shrunk {
		t.Fatalf("the smaller batches were not reported: %v", errs.All())
	}
	// About 1 MB in bodies of at most 64 KiB: some 16 calls, and a few
	// refused ones while the limit is found. Ten times that means the
	// stream is being cut event by event.
	if n := putCalls(srv); n > 200 {
		t.Fatalf("%d PutLogEvents calls for 2,000 events", n)
	}
}
