package shiptest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

// CheckSDKLogCadence logs one record with logUser into s, whose Shipper
// has the default FlushInterval and routes the SDK's request logs of its
// own calls back into itself, then stays idle for 3 s, and closes s.
//
// Each upload logs its request, which the next upload carries: the loop
// never ends, but it must turn once per FlushInterval. An upload is taken
// no sooner than FlushInterval after its oldest event arrived: for the
// first that is the record, logged after the window opened, and for each
// later one an event that arrived after the previous upload was taken, as
// every event queued before then was taken with it (a few small events, a
// fraction of a batch). So uploads are taken FlushInterval apart or more,
// the first FlushInterval into the window: at most 3s/1s = 3 within it.
// The first finds no stream and is resent once the stream is created (+1):
// at most 4 PutLogEvents calls arrive in the window. The bound is exact,
// so the margin is nil; calls are counted by their arrival, so a late
// wake-up from the idle sleep adds none. Turning once per round trip, the
// loop would make hundreds.
//
// It fails t unless the record is stored within the window, the SDK's
// request logs are stored, Close delivers within its deadline and
// Stats balance: Added = Delivered + Rejected + Dropped.
func CheckSDKLogCadence(t testing.TB, srv *cwlogtest.Server, s *core.Shipper, group, stream string, logUser func()) {
	t.Helper()
	const idle = 3 * time.Second
	maxCalls := int(idle/core.DefaultFlushInterval) + 1

	start := time.Now()
	logUser()
	time.Sleep(idle)
	end := start.Add(idle)

	calls := 0
	for _, c := range srv.CallsOf(cwlogtest.OpPutLogEvents) {
		if !c.Time.After(end) {
			calls++
		}
	}
	if calls > maxCalls {
		t.Errorf("%d PutLogEvents calls in %v after one record; want at most %d (one per FlushInterval, +1 resend once the stream is created)", calls, idle, maxCalls)
	}
	if !slices.ContainsFunc(srv.Messages(group, stream), func(m string) bool { return strings.Contains(m, "user entry") }) {
		t.Errorf("the record was not stored within %v", idle)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	sdk := 0
	for _, m := range srv.Messages(group, stream) {
		if strings.Contains(m, `Request\n`) && strings.Contains(m, "X-Amz-Target: Logs_20140328.PutLogEvents") {
			sdk++
		}
	}
	if sdk == 0 {
		t.Error("no SDK request log of a PutLogEvents call was stored")
	}
	if st := s.Stats(); st.Added != st.Delivered+st.Rejected+st.Dropped {
		t.Errorf("stats do not balance: Added %d != Delivered %d + Rejected %d + Dropped %d", st.Added, st.Delivered, st.Rejected, st.Dropped)
	}
	t.Logf("%d PutLogEvents calls in %v (at most %d); %d SDK request logs stored", calls, idle, maxCalls, sdk)
}
