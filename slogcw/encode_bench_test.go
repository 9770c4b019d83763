package slogcw

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// BenchmarkEncode measures encoding alone, against slog.JSONHandler
// writing the same record to io.Discard: the handler's share of the cost
// of a log call, without the Shipper.
func BenchmarkEncode(b *testing.B) {
	r := slog.NewRecord(time.Now(), slog.LevelInfo, "request served", 0)
	r.AddAttrs(slog.String("path", "/api/v1/items"), slog.Int("status", 200), slog.Float64("ratio", 0.25),
		slog.Bool("cached", true), slog.Duration("took", 1234*time.Microsecond))
	b.Run("slog-json-discard", func(b *testing.B) {
		h := slog.NewJSONHandler(io.Discard, nil)
		b.ReportAllocs()
		for range b.N {
			h.Handle(context.Background(), r)
		}
	})
	b.Run("slogcw-encode", func(b *testing.B) {
		h := NewHandler(nil, nil)
		b.ReportAllocs()
		for range b.N {
			_ = h.encode(r)
		}
	})
}
