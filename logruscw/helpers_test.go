package logruscw_test

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/internal/testutil"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
)

const (
	testGroup  = "app"
	testStream = "web-1"
)

// newShipper starts a local endpoint and a Shipper uploading to it (see
// shiptest.Start); mod may change the Config.
func newShipper(t *testing.T, mod func(*testutil.Server, *core.Config)) (*testutil.Server, *core.Shipper) {
	t.Helper()
	return shiptest.Start(t, testGroup, testStream, mod)
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

func flush(t *testing.T, s *core.Shipper) { t.Helper(); shiptest.Flush(t, s) }

// decode parses every stored message as a JSON object.
func decode(t *testing.T, srv *testutil.Server) []map[string]any {
	t.Helper()
	return shiptest.Decode(t, srv, testGroup, testStream)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
