//go:build !race

package slogcw_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/slogcw"
)

// TestAllocations checks that handling a record costs one allocation, the
// message string the Shipper keeps, more than slog's JSON handler, with or
// without preformatted attributes and groups.
func TestAllocations(t *testing.T) {
	srv := cwlogtest.Start(t, &cwlogtest.Options{DiscardEvents: true})
	s := newShipper(t, srv, newStream(), func(c *core.Config) { c.BufferLimit = 256 << 20 })
	ctx := context.Background()
	rec := slog.NewRecord(time.Now(), slog.LevelInfo, "request served", 0)
	rec.AddAttrs(slog.String("path", "/api/v1/items"), slog.Int("status", 200), slog.Float64("ratio", 0.25),
		slog.Bool("cached", true), slog.Duration("took", 1234*time.Microsecond))

	handlers := []struct {
		name      string
		ours, ref slog.Handler
	}{
		{"plain", slogcw.NewHandler(s, nil), slog.NewJSONHandler(io.Discard, nil)},
		{"with-attrs-and-group",
			slogcw.NewHandler(s, nil).WithAttrs([]slog.Attr{slog.String("svc", "api")}).WithGroup("req"),
			slog.NewJSONHandler(io.Discard, nil).WithAttrs([]slog.Attr{slog.String("svc", "api")}).WithGroup("req")},
	}
	for _, h := range handlers {
		t.Run(h.name, func(t *testing.T) {
			ref := testing.AllocsPerRun(1000, func() { h.ref.Handle(ctx, rec) })
			got := testing.AllocsPerRun(1000, func() {
				if err := h.ours.Handle(ctx, rec); err != nil {
					t.Fatal(err)
				}
			})
			t.Logf("allocs per record: slogcw %v, slog.JSONHandler %v", got, ref)
			if got > ref+1 || got > 1 {
				t.Errorf("slogcw allocates %v per record, slog.JSONHandler %v: want at most one, and at most one more", got, ref)
			}
		})
	}
}
