package writercw_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

const testGroup = "writercw-tests"

var streamSeq atomic.Int64

// newStream returns a stream name no other test uses.
func newStream() string { return fmt.Sprintf("stream-%d", streamSeq.Add(1)) }

// start starts a local endpoint and a Shipper uploading to a new stream on
// it, which it returns; edit, when not nil, may change the Config.
func start(t testing.TB, edit func(*core.Config)) (*cwlogtest.Server, *core.Shipper, string) {
	t.Helper()
	stream := newStream()
	srv, s := shiptest.Start(t, testGroup, stream, func(_ *cwlogtest.Server, c *core.Config) {
		if edit != nil {
			edit(c)
		}
	})
	return srv, s, stream
}

// stored closes s, so that everything it was given is settled, and returns
// the stream's events, failing t if any was dropped or rejected.
func stored(t testing.TB, srv *cwlogtest.Server, s *core.Shipper, stream string) []cwlogtest.Event {
	t.Helper()
	shiptest.Close(t, s)
	if st := s.Stats(); st.Dropped != 0 || st.Rejected != 0 {
		t.Fatalf("shipper lost events: %+v", st)
	}
	return srv.Events(testGroup, stream)
}

func messages(evs []cwlogtest.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Message
	}
	return out
}

// newShipperOn starts a Shipper uploading to a new stream on srv; edit,
// when not nil, may change the Config.
func newShipperOn(t testing.TB, srv *cwlogtest.Server, edit func(*core.Config)) *core.Shipper {
	t.Helper()
	return shiptest.On(t, srv, testGroup, newStream(), edit)
}
