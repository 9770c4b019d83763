// Package shiptest gives the adapters' tests a Shipper uploading through
// the real SDK client to the local endpoint of internal/testutil, and reads
// back what it stored. It is imported only by tests.
package shiptest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
)

// Start starts a local endpoint and a Shipper uploading to group and stream
// on it, flushing every 10 ms and logging its errors to t; edit, when not
// nil, may change the Config. The Shipper is closed when the test ends,
// and the test fails unless Close delivered everything.
func Start(t testing.TB, group, stream string, edit func(*testutil.Server, *core.Config)) (*testutil.Server, *core.Shipper) {
	t.Helper()
	srv := testutil.Start(t, nil)
	cfg := core.Config{
		Client:        srv.Client(),
		LogGroup:      group,
		LogStream:     stream,
		FlushInterval: 10 * time.Millisecond,
		OnError:       func(err error) { t.Logf("shipper: %v", err) },
	}
	if edit != nil {
		edit(srv, &cfg)
	}
	s, err := core.New(cfg)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv, s
}

// Flush fails t unless s delivers everything added so far within 10 s.
func Flush(t testing.TB, s *core.Shipper) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

// Decode parses every message stored in group and stream as a JSON object,
// failing t on one that is not.
func Decode(t testing.TB, srv *testutil.Server, group, stream string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range srv.Messages(group, stream) {
		var obj map[string]any
		if err := json.Unmarshal([]byte(m), &obj); err != nil {
			t.Fatalf("stored message %q is not JSON: %v", m, err)
		}
		out = append(out, obj)
	}
	return out
}
