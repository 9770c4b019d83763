package zapcw_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
)

const (
	testGroup  = "app"
	testStream = "worker-1"
)

// newShipper starts a local endpoint and a Shipper uploading to it through
// the real SDK client; mod may change the Config. The Shipper is closed,
// and must deliver everything, when the test ends.
func newShipper(t *testing.T, mod func(*core.Config)) (*testutil.Server, *core.Shipper) {
	t.Helper()
	srv := testutil.Start(t, nil)
	cfg := core.Config{
		Client:        srv.Client(),
		LogGroup:      testGroup,
		LogStream:     testStream,
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
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv, s
}

// noTimer makes the Shipper upload only on Flush, Close or a full batch,
// so a test that finds an event stored knows a flush delivered it.
func noTimer(c *core.Config) { c.FlushInterval = time.Hour }

func flush(t *testing.T, s *core.Shipper) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

// decode parses every stored message as a JSON object.
func decode(t *testing.T, srv *testutil.Server) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range srv.Messages(testGroup, testStream) {
		var obj map[string]any
		if err := json.Unmarshal([]byte(m), &obj); err != nil {
			t.Fatalf("stored message %q is not JSON: %v", m, err)
		}
		out = append(out, obj)
	}
	return out
}
