package slogcw

import (
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"
)

// replacers are ReplaceAttr functions exercising what ReplaceAttr may do.
// groupsMatter marks those whose output depends on the groups argument.
var replacers = []struct {
	name         string
	fn           func([]string, slog.Attr) slog.Attr
	groupsMatter bool
}{
	{"none", nil, false},
	{"identity", func(_ []string, a slog.Attr) slog.Attr { return a }, false},
	{"drop-time", func(gs []string, a slog.Attr) slog.Attr {
		if gs == nil && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}, false},
	{"drop-some", func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == "drop" || a.Key == "file" {
			return slog.Attr{}
		}
		return a
	}, false},
	{"rewrite", func(gs []string, a slog.Attr) slog.Attr {
		switch {
		case gs == nil && a.Key == slog.TimeKey:
			return slog.Int64("ts", a.Value.Time().UnixMilli())
		case gs == nil && a.Key == slog.LevelKey:
			return slog.String("severity", strings.ToLower(a.Value.Any().(slog.Level).String()))
		case gs == nil && a.Key == slog.MessageKey:
			return slog.String("message", a.Value.String())
		case a.Key == "k":
			return slog.Group("expanded", slog.Int("x", 1), slog.Any("", nil), slog.String("y", "<y>"))
		case a.Key == "msg":
			return slog.Any("lv", logValuer{slog.GroupValue(slog.Int("from-valuer", 3))})
		case a.Key == "<k>":
			return slog.Attr{Key: "", Value: slog.GroupValue(slog.Int("inlined", 4))}
		case a.Key == "level":
			return slog.Any("empty-group", slog.GroupValue())
		}
		return a
	}, false},
	{"groups-in-key", func(gs []string, a slog.Attr) slog.Attr {
		// Never drops anything, so no group is ever emptied.
		desc := "nil"
		if gs != nil {
			desc = fmt.Sprintf("%q", gs)
		}
		a.Key += "@" + desc
		if src, ok := a.Value.Any().(*slog.Source); ok && (src == nil || *src == slog.Source{}) {
			a.Value = slog.StringValue("no source")
		}
		return a
	}, true},
}

func optionSets() []struct {
	name         string
	opts         *slog.HandlerOptions
	groupsMatter bool
} {
	type set = struct {
		name         string
		opts         *slog.HandlerOptions
		groupsMatter bool
	}
	sets := []set{{"nil-options", nil, false}, {"debug", &slog.HandlerOptions{Level: slog.LevelDebug}, false}}
	for _, r := range replacers {
		for _, src := range []bool{false, true} {
			sets = append(sets, set{fmt.Sprintf("replace-%s/source-%v", r.name, src),
				&slog.HandlerOptions{AddSource: src, ReplaceAttr: r.fn}, r.groupsMatter})
		}
	}
	return sets
}

// structures build derived handlers the ways an application may.
var structures = []struct {
	name  string
	build func(pair) pair
}{
	{"root", func(p pair) pair { return p }},
	{"group", func(p pair) pair { return p.WithGroup("g") }},
	{"group-attrs", func(p pair) pair {
		return p.WithGroup("g").WithAttrs([]slog.Attr{slog.Int("a", 1), slog.String("drop", "x")})
	}},
	{"attrs-group-group", func(p pair) pair {
		return p.WithAttrs([]slog.Attr{slog.String("svc", "api"), slog.Any("err", fmt.Errorf("e"))}).WithGroup("g").WithGroup("h")
	}},
	{"receivers", func(p pair) pair {
		return p.WithAttrs(nil).WithGroup("").WithAttrs([]slog.Attr{slog.Group("empty")})
	}},
	{"layered", func(p pair) pair {
		return p.WithAttrs([]slog.Attr{slog.Int("a", 1)}).
			WithAttrs([]slog.Attr{slog.Group("ga", slog.Bool("b", true), slog.Any("", nil))}).
			WithGroup("g").WithAttrs([]slog.Attr{slog.Float64("c", 2.5), slog.Group("", slog.String("inl", "y"))}).
			WithGroup("h").WithAttrs([]slog.Attr{slog.String("drop", "z")}).
			WithGroup("i")
	}},
	{"only-dropped-attrs", func(p pair) pair {
		return p.WithGroup("g").WithAttrs([]slog.Attr{slog.String("drop", "x"), slog.Any("", nil)}).WithAttrs([]slog.Attr{slog.Int("after", 1)})
	}},
	{"awkward-group-names", func(p pair) pair {
		return p.WithGroup("a\"b\xff").WithAttrs([]slog.Attr{slog.String("<k>", "v")}).WithGroup("\u2028")
	}},
}

// callerPC is a real program counter for records that carry a source.
func callerPC() uintptr {
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	return pcs[0]
}

func testRecords() []slog.Record {
	pc := callerPC()
	var rs []slog.Record
	add := func(t time.Time, l slog.Level, msg string, pc uintptr, as ...slog.Attr) {
		r := slog.NewRecord(t, l, msg, pc)
		r.AddAttrs(as...)
		rs = append(rs, r)
	}
	add(fixedTime, slog.LevelInfo, "no attrs", pc)
	add(time.Time{}, slog.LevelInfo, "zero time", 0, slog.Int("a", 1))
	add(zoneTime, slog.LevelWarn+1, "zone", pc, slog.String("s", "v"), slog.Int("drop", 2))
	add(time.Now(), slog.LevelError+5, "now", pc, slog.Group("g1", slog.Int("a", 1), slog.Group("g2", slog.String("b", "c"))))
	add(fixedTime, slog.LevelDebug-3, "levels", 0, slog.Any("lvl", slog.LevelDebug-3))
	add(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "year 10000", 0)
	add(fixedTime, slog.LevelInfo, "groups", pc,
		slog.Group("empty"),
		slog.Group("", slog.Int("inlined", 1), slog.Group("", slog.Int("deep", 2))),
		slog.Group("only-dropped", slog.String("drop", "x")),
		slog.Group("with-zero", slog.Any("", nil), slog.Int("kept", 3)),
		slog.Int("after", 4),
		slog.Any("valuer-group", logValuer{slog.GroupValue(slog.Int("v", 5))}),
		slog.Any("valuer-empty-group", logValuer{slog.GroupValue()}),
		slog.Any("", logValuer{slog.GroupValue(slog.Int("inline-valuer", 6))}),
		slog.Any("k", 7),
		slog.String("msg", "an attr named msg"),
		slog.String("level", "an attr named level"),
		slog.String("<k>", "html key"),
	)
	add(fixedTime, slog.LevelInfo, "only dropped", 0, slog.String("drop", "x"), slog.Any("", nil))
	add(fixedTime, slog.LevelInfo, "source attrs", 0,
		slog.Any("src", &slog.Source{Function: "fn", File: "f.go", Line: 9}),
		slog.Any("empty-src", &slog.Source{}),
		slog.Any("nil-src", (*slog.Source)(nil)))
	for i, s := range awkwardStrings {
		add(fixedTime, slog.LevelInfo, s, 0, slog.String(s, s), slog.Int("i", i))
	}
	for _, v := range awkwardValues() {
		add(fixedTime, slog.LevelInfo, "value", 0, slog.Attr{Key: "v", Value: v}, slog.Attr{Key: "", Value: v})
	}
	for _, k := range awkwardKeys {
		add(fixedTime, slog.LevelInfo, "key", 0, slog.Int(k, 1), slog.Group(k, slog.Int(k, 2)))
	}
	return rs
}

// TestMatchesJSONHandler checks the encoding of many records, built with
// every option set and handler structure above, against slog's own JSON
// handler, byte for byte.
func TestMatchesJSONHandler(t *testing.T) {
	requireCurrentSlog(t)
	records := testRecords()
	n, invalid := 0, 0
	for _, os := range optionSets() {
		for _, s := range structures {
			t.Run(os.name+"/"+s.name, func(t *testing.T) {
				p := s.build(newPair(os.opts))
				for i, r := range records {
					got, want := p.encode(t, r)
					if testing.Verbose() && i == 0 {
						t.Logf("%s", got)
					}
					if checkSame(t, got, want, os.groupsMatter) {
						invalid++
					}
					n++
				}
			})
		}
	}
	t.Logf("%d records compared; %d where slog wrote invalid JSON and this handler did not", n, invalid)
}
