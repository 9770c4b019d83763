package slogcw_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

const testGroup = "slogcw-tests"

var streamSeq atomic.Int64

// newStream returns a stream name no other test uses.
func newStream() string { return fmt.Sprintf("stream-%d", streamSeq.Add(1)) }

// newShipper starts a Shipper uploading to stream on srv (see
// shiptest.On); mod may change the Config.
func newShipper(t testing.TB, srv *cwlogtest.Server, stream string, mod func(*core.Config)) *core.Shipper {
	t.Helper()
	return shiptest.On(t, srv, testGroup, stream, mod)
}

// start starts a local endpoint and a Shipper uploading to a new stream on
// it, which it returns.
func start(t testing.TB) (*cwlogtest.Server, *core.Shipper, string) {
	t.Helper()
	stream := newStream()
	srv, s := shiptest.Start(t, testGroup, stream, nil)
	return srv, s, stream
}

// stored closes s, so that everything it was given is settled, and returns
// the stream's events.
func stored(t testing.TB, srv *cwlogtest.Server, s *core.Shipper, stream string) []cwlogtest.Event {
	t.Helper()
	shiptest.Close(t, s)
	if st := s.Stats(); st.Dropped != 0 || st.Rejected != 0 {
		t.Fatalf("shipper lost events: %+v", st)
	}
	return srv.Events(testGroup, stream)
}
