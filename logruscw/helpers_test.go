package logruscw_test

import (
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
)

const (
	testGroup  = "app"
	testStream = "web-1"
)

// newShipper starts a local endpoint and a Shipper uploading to it through
// the real SDK client; mod may change the Config. The Shipper is closed,
// and must deliver everything, when the test ends.
func newShipper(t *testing.T, mod func(*testutil.Server, *core.Config)) (*testutil.Server, *core.Shipper) {
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
		mod(srv, &cfg)
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

// newLogger returns a logger at DebugLevel whose entries go only to hook,
// set up as the package documentation recommends.
func newLogger(hook logrus.Hook) *logrus.Logger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetFormatter(logruscw.DiscardFormatter{})
	l.SetLevel(logrus.DebugLevel)
	l.AddHook(hook)
	return l
}

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

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// noSDKRetries makes the SDK give up after one attempt, leaving retries to
// the Shipper, so fault tests do not wait on the SDK's backoff.
func noSDKRetries(srv *testutil.Server) *cloudwatchlogs.Client {
	return srv.Client(func(o *cloudwatchlogs.Options) { o.RetryMaxAttempts = 1 })
}
