package zapcw_test

import (
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

const (
	testGroup  = "app"
	testStream = "worker-1"
)

// newShipper starts a local endpoint and a Shipper uploading to it (see
// shiptest.Start); mod may change the Config.
func newShipper(t *testing.T, mod func(*core.Config)) (*cwlogtest.Server, *core.Shipper) {
	t.Helper()
	return shiptest.Start(t, testGroup, testStream, func(_ *cwlogtest.Server, c *core.Config) {
		if mod != nil {
			mod(c)
		}
	})
}

// noTimer makes the Shipper upload only on Flush, Close or a full batch,
// so a test that finds an event stored knows a flush delivered it.
func noTimer(c *core.Config) { c.FlushInterval = time.Hour }

func flush(t *testing.T, s *core.Shipper) { t.Helper(); shiptest.Flush(t, s) }

// decode parses every stored message as a JSON object.
func decode(t *testing.T, srv *cwlogtest.Server) []map[string]any {
	t.Helper()
	return shiptest.Decode(t, srv, testGroup, testStream)
}
