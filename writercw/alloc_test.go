//go:build !race

package writercw_test

import (
	"io"
	"testing"

	"github.com/rs/zerolog"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/writercw"
)

// TestAllocations checks that a zerolog event written through the Writer
// allocates no more than one to io.Discard: each line is copied into a
// block the Writer's strings share, with or without TimeKey.
func TestAllocations(t *testing.T) {
	srv := cwlogtest.Start(t, &cwlogtest.Options{DiscardEvents: true})
	s := newShipperOn(t, srv, func(c *core.Config) { c.BufferLimit = 256 << 20 })
	logOne := func(l zerolog.Logger) func() {
		return func() {
			l.Info().Str("path", "/api/v1/items").Int("status", 200).Float64("ratio", 0.25).
				Bool("cached", true).Msg("request served")
		}
	}
	ref := testing.AllocsPerRun(1000, logOne(zerolog.New(io.Discard).With().Timestamp().Logger()))
	for _, opts := range []*writercw.Options{nil, {TimeKey: "time"}} {
		l := zerolog.New(writercw.New(s, opts)).With().Timestamp().Logger()
		got := testing.AllocsPerRun(1000, logOne(l))
		t.Logf("allocs per line: writercw (%+v) %v, zerolog to io.Discard %v", opts, got, ref)
		if got > ref {
			t.Errorf("writercw (%+v) allocates %v per line, zerolog to io.Discard %v", opts, got, ref)
		}
	}
}
