package logruscw_test

import (
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/logruscw"
)

const (
	testGroup  = "app"
	testStream = "web-1"
)

// newShipper starts a local endpoint and a Shipper uploading to it (see
// shiptest.Start); mod may change the Config.
func newShipper(t *testing.T, mod func(*cwlogtest.Server, *core.Config)) (*cwlogtest.Server, *core.Shipper) {
	t.Helper()
	return shiptest.Start(t, testGroup, testStream, mod)
}

// newLogger returns a shiptest.QuietLogrus whose entries go to a Hook
// made with opts, sending to s.
func newLogger(s *core.Shipper, opts *logruscw.Options) *logrus.Logger {
	l := shiptest.QuietLogrus()
	l.AddHook(logruscw.NewHook(s, opts))
	return l
}

func flush(t *testing.T, s *core.Shipper) { t.Helper(); shiptest.Flush(t, s) }

// decode parses every stored message as a JSON object.
func decode(t *testing.T, srv *cwlogtest.Server) []map[string]any {
	t.Helper()
	return shiptest.Decode(t, srv, testGroup, testStream)
}
