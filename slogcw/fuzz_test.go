package slogcw

import (
	"encoding/binary"
	"log/slog"
	"math"
	"testing"
	"time"
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
		g := &gen{data: data, values: values}
		os := sets[g.intn(len(sets))]
		p := newPair(os.opts)
		for n := g.intn(5); n > 0; n-- {
			if g.intn(2) == 0 {
				p = p.WithGroup(g.str())
			} else {
				p = p.WithAttrs(g.attrs(2))
			}
		}
		var recPC uintptr
		if g.intn(2) == 0 {
			recPC = pc
		}
		r := slog.NewRecord(g.time(), slog.Level(g.intn(24)-12), g.str(), recPC)
		r.AddAttrs(g.attrs(3)...)
		got, want := p.encode(t, r)
		checkSame(t, got, want, os.groupsMatter)
	})
}

// gen turns fuzz bytes into choices; past the end every choice is zero.
type gen struct {
	data   []byte
	values []slog.Value
}

func (g *gen) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *gen) intn(n int) int { return int(g.byte()) % n }

func (g *gen) bytes(n int) []byte {
	n = min(n, len(g.data))
	b := g.data[:n]
	g.data = g.data[n:]
	return b
}

func (g *gen) uint64() uint64 {
	var b [8]byte
	copy(b[:], g.bytes(8))
	return binary.LittleEndian.Uint64(b[:])
}

// str is one of the awkward strings, or raw input bytes.
func (g *gen) str() string {
	if i := g.intn(2 * len(awkwardStrings)); i < len(awkwardStrings) {
		return awkwardStrings[i]
	}
	return string(g.bytes(g.intn(12)))
}

func (g *gen) key() string {
	if i := g.intn(2 * len(awkwardKeys)); i < len(awkwardKeys) {
		return awkwardKeys[i]
	}
	return string(g.bytes(g.intn(6)))
}

func (g *gen) time() time.Time {
	switch g.intn(6) {
	case 0:
		return time.Time{}
	case 1:
		return fixedTime
	case 2:
		return time.Now()
	case 3:
		return time.Unix(0, int64(g.uint64())).In(zoneTime.Location())
	case 4:
		return time.Date(g.intn(256)*50-200, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Unix(int64(g.uint64()%(1<<40)), 0).UTC()
}

func (g *gen) attrs(depth int) []slog.Attr {
	as := make([]slog.Attr, g.intn(5))
	for i := range as {
		as[i] = g.attr(depth)
	}
	return as
}

func (g *gen) attr(depth int) slog.Attr {
	k := g.key()
	switch g.intn(12) {
	case 0:
		return slog.Attr{Key: k, Value: g.values[g.intn(len(g.values))]}
	case 1:
		return slog.Int64(k, int64(g.uint64()))
	case 2:
		return slog.Float64(k, math.Float64frombits(g.uint64()))
	case 3:
		return slog.String(k, g.str())
	case 4:
		return slog.Time(k, g.time())
	case 5:
		return slog.Duration(k, time.Duration(g.uint64()))
	case 6:
		return slog.Any("", nil)
	case 7:
		return slog.Any(k, logValuer{g.values[g.intn(len(g.values))]})
	case 8, 9:
		if depth > 0 {
			return slog.Attr{Key: k, Value: slog.GroupValue(g.attrs(depth - 1)...)}
		}
	case 10:
		if depth > 0 {
			return slog.Any(k, logValuer{slog.GroupValue(g.attrs(depth - 1)...)})
		}
	case 11:
		return slog.Any(k, map[string]any{g.str(): g.str(), "f": math.Float64frombits(g.uint64())})
	}
	return slog.Bool(k, g.intn(2) == 0)
}
