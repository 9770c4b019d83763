package slogcw

import (
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/cwlog/cwlog/internal/shiptest"
)

// FuzzMatchesJSONHandler builds a handler and a record from the fuzz input,
// with any option set, WithGroup/WithAttrs chain, message, level, time and
// nested attributes of every kind, and checks the encoding against
// slog.JSONHandler's. The seed corpus is in testdata/fuzz.
func FuzzMatchesJSONHandler(f *testing.F) {
	requireCurrentSlog(f)
	sets := optionSets()
	values := awkwardValues()
	pc := callerPC()
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{Choices: shiptest.Choices{Data: data}, values: values}
		os := sets[g.Intn(len(sets))]
		p := newPair(os.opts)
		for n := g.Intn(5); n > 0; n-- {
			if g.Intn(2) == 0 {
				p = p.WithGroup(g.str())
			} else {
				p = p.WithAttrs(g.attrs(2))
			}
		}
		var recPC uintptr
		if g.Intn(2) == 0 {
			recPC = pc
		}
		r := slog.NewRecord(g.time(), slog.Level(g.Intn(24)-12), g.str(), recPC)
		r.AddAttrs(g.attrs(3)...)
		got, want := p.encode(t, r)
		checkSame(t, got, want, os.groupsMatter)
	})
}

// gen builds handlers and records from fuzz bytes (see shiptest.Choices).
type gen struct {
	shiptest.Choices
	values []slog.Value
}

// str is one of the awkward strings, or up to 11 raw input bytes.
func (g *gen) str() string { return g.TextUpTo(awkwardStrings, 11) }

// key is one of the awkward keys, or up to 5 raw input bytes.
func (g *gen) key() string { return g.TextUpTo(awkwardKeys, 5) }

func (g *gen) time() time.Time {
	switch g.Intn(6) {
	case 0:
		return time.Time{}
	case 1:
		return fixedTime
	case 2:
		return time.Now()
	case 3:
		return time.Unix(0, int64(g.Uint64())).In(zoneTime.Location())
	case 4:
		return time.Date(g.Intn(256)*50-200, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Unix(int64(g.Uint64()%(1<<40)), 0).UTC()
}

func (g *gen) attrs(depth int) []slog.Attr {
	as := make([]slog.Attr, g.Intn(5))
	for i := range as {
		as[i] = g.attr(depth)
	}
	return as
}

func (g *gen) attr(depth int) slog.Attr {
	k := g.key()
	switch g.Intn(12) {
	case 0:
		return slog.Attr{Key: k, Value: g.values[g.Intn(len(g.values))]}
	case 1:
		return slog.Int64(k, int64(g.Uint64()))
	case 2:
		return slog.Float64(k, math.Float64frombits(g.Uint64()))
	case 3:
		return slog.String(k, g.str())
	case 4:
		return slog.Time(k, g.time())
	case 5:
		return slog.Duration(k, time.Duration(g.Uint64()))
	case 6:
		return slog.Any("", nil)
	case 7:
		return slog.Any(k, logValuer{g.values[g.Intn(len(g.values))]})
	case 8, 9:
		if depth > 0 {
			return slog.Attr{Key: k, Value: slog.GroupValue(g.attrs(depth - 1)...)}
		}
	case 10:
		if depth > 0 {
			return slog.Any(k, logValuer{slog.GroupValue(g.attrs(depth - 1)...)})
		}
	case 11:
		return slog.Any(k, map[string]any{g.str(): g.str(), "f": math.Float64frombits(g.Uint64())})
	}
	return slog.Bool(k, g.Intn(2) == 0)
}
