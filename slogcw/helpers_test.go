package slogcw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
)

const testGroup = "slogcw-tests"

var streamSeq atomic.Int64

// newStream returns a stream name no other test uses.
func newStream() string { return fmt.Sprintf("stream-%d", streamSeq.Add(1)) }

// newShipper returns a Shipper uploading to stream on srv through the real
// SDK client; mod may change the Config. It is closed when the test ends,
// and must then have delivered everything.
func newShipper(t testing.TB, srv *testutil.Server, stream string, mod func(*core.Config)) *core.Shipper {
	t.Helper()
	cfg := core.Config{
		Client:        srv.Client(),
		LogGroup:      testGroup,
		LogStream:     stream,
		FlushInterval: 10 * time.Millisecond,
		OnError:       func(err error) { t.Logf("shipper: %v", err) },
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := core.New(cfg)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	t.Cleanup(func() {
		if err := closeShipper(s); err != nil && err != core.ErrClosed {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func closeShipper(s *core.Shipper) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return s.Close(ctx)
}

// stored closes s, so that everything it was given is settled, and returns
// the stream's events.
func stored(t testing.TB, srv *testutil.Server, s *core.Shipper, stream string) []testutil.Event {
	t.Helper()
	if err := closeShipper(s); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if st := s.Stats(); st.Dropped != 0 || st.Rejected != 0 {
		t.Fatalf("shipper lost events: %+v", st)
	}
	return srv.Events(testGroup, stream)
}

// decode parses a stored message, which must be one JSON object.
func decode(t testing.TB, msg string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(msg), &m); err != nil {
		t.Fatalf("stored message is not a JSON object: %v\n%s", err, msg)
	}
	return m
}
