package slogcw_test

import (
	"log/slog"
	"testing"
	"testing/slogtest"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/slogcw"
)

// TestSlogtest runs every conformance case of testing/slogtest, each with
// its own Shipper and stream, and judges what the local endpoint stored.
func TestSlogtest(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	var (
		s      *core.Shipper
		stream string
	)
	slogtest.Run(t,
		func(t *testing.T) slog.Handler {
			stream = newStream()
			s = newShipper(t, srv, stream, nil)
			return slogcw.NewHandler(s, nil)
		},
		func(t *testing.T) map[string]any {
			evs := stored(t, srv, s, stream)
			if len(evs) != 1 {
				t.Fatalf("stored %d events, want 1", len(evs))
			}
			return shiptest.DecodeMessage(t, evs[0].Message)
		})
}
