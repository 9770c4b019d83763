package slogcw

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/cwlog/cwlog/internal/shiptest"
)

// TestValidJSONWhereSlogIsNot pins the documented departures from
// slog.JSONHandler, where slog writes something that is not JSON. Where a
// newer slog writes valid JSON instead (Go 1.27 does for a time beyond
// year 9999), the output must be slog's, byte for byte.
func TestValidJSONWhereSlogIsNot(t *testing.T) {
	dropX := &slog.HandlerOptions{ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
		if gs == nil && a.Key == slog.TimeKey || a.Key == "x" {
			return slog.Attr{}
		}
		return a
	}}
	var groupsSeen []string
	recordGroups := &slog.HandlerOptions{ReplaceAttr: func(gs []string, a slog.Attr) slog.Attr {
		if gs != nil {
			groupsSeen = append(groupsSeen, fmt.Sprintf("%s%v", a.Key, gs))
		}
		if a.Key == "x" || gs == nil && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	tests := []struct {
		name  string
		opts  *slog.HandlerOptions
		attrs []slog.Attr
		want  string
	}{
		{"emptied group then attr", dropX,
			[]slog.Attr{slog.Group("g", slog.Int("x", 1)), slog.Int("b", 2)},
			`{"level":"INFO","msg":"m","b":2}`},
		{"emptied nested group then sibling", dropX,
			[]slog.Attr{slog.Group("g", slog.Int("a", 1), slog.Group("h", slog.Int("x", 1)), slog.Int("c", 3))},
			`{"level":"INFO","msg":"m","g":{"a":1,"c":3}}`},
		{"group of zero attrs", nil,
			[]slog.Attr{slog.Int("a", 1), slog.Group("g", slog.Any("", nil)), slog.Int("b", 2)},
			`{"time":"2024-02-29T23:59:58.123456789Z","level":"INFO","msg":"m","a":1,"b":2}`},
		{"time beyond year 9999", dropX,
			[]slog.Attr{slog.Time("t", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), slog.Int("b", 2)},
			`{"level":"INFO","msg":"m","t":"!ERROR:time.Time year outside of range [0,9999]","b":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPair(tt.opts)
			r := slog.NewRecord(fixedTime, slog.LevelInfo, "m", 0)
			r.AddAttrs(tt.attrs...)
			got, slogOut := p.encode(t, r)
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if json.Valid(slogOut) && string(got) != string(bytes.TrimSpace(slogOut)) {
				t.Errorf("slog writes valid JSON here, and differs:\n got %s\nslog %s", got, slogOut)
			}
		})
	}

	t.Run("groups after an emptied group", func(t *testing.T) {
		h := NewHandler(nil, &Options{ReplaceAttr: recordGroups.ReplaceAttr})
		r := slog.NewRecord(fixedTime, slog.LevelInfo, "m", 0)
		r.AddAttrs(slog.Group("g", slog.Int("x", 1)), slog.Int("b", 2))
		groupsSeen = nil
		got := h.encode(r)
		if want := `{"level":"INFO","msg":"m","b":2}`; got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		if want := "[x[g] b[]]"; fmt.Sprint(groupsSeen) != want {
			t.Errorf("ReplaceAttr saw %v, want %s: b is not in g", groupsSeen, want)
		}
	})
}

// TestWithGroupEmptyAndWithAttrsEmptyReturnReceiver checks the no-op
// derivations return the very same handler.
func TestWithGroupEmptyAndWithAttrsEmptyReturnReceiver(t *testing.T) {
	h := NewHandler(nil, nil)
	if h.WithGroup("") != slog.Handler(h) {
		t.Error(`WithGroup("") returned a new handler`)
	}
	if h.WithAttrs(nil) != slog.Handler(h) {
		t.Error("WithAttrs(nil) returned a new handler")
	}
	if h.WithAttrs([]slog.Attr{slog.Group("e"), slog.Group("f")}) != slog.Handler(h) {
		t.Error("WithAttrs of empty groups returned a new handler")
	}
}

// TestClonesDoNotAlias derives many handlers from one parent at once, from
// many goroutines, and checks each encodes exactly what slog's JSON handler
// built the same way writes, and that the parent is unchanged: no clone
// may write into memory its parent or siblings use.
func TestClonesDoNotAlias(t *testing.T) {
	opts := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr { return a }}
	build := func(p pair) pair {
		return p.WithAttrs([]slog.Attr{slog.String("root", "r")}).WithGroup("g").
			WithAttrs([]slog.Attr{slog.Int("a", 1)}).WithGroup("h").WithGroup("i") // 3 groups: spare capacity
	}
	child := func(p pair, i int) pair {
		switch i % 3 {
		case 0:
			return p.WithAttrs([]slog.Attr{slog.Int("child", i)})
		case 1:
			return p.WithGroup(fmt.Sprintf("c%d", i)).WithAttrs([]slog.Attr{slog.Int("child", i)})
		}
		return p.WithGroup(fmt.Sprintf("c%d", i))
	}
	record := func(i int) slog.Record {
		r := slog.NewRecord(fixedTime, slog.LevelInfo, "m", 0)
		r.AddAttrs(slog.Int("i", i))
		return r
	}

	// What each sibling must write, from handlers built one at a time.
	const n = 64
	want := make([]string, n)
	for i := range n {
		p := child(build(newPair(opts)), i)
		_, w := p.encode(t, record(i))
		want[i] = string(w)
	}
	ref := build(newPair(opts))
	_, parentWant := ref.encode(t, record(-1))

	parent := build(newPair(opts)).ours.(*Handler)
	errs := make(chan string, n)
	shiptest.Concurrently(n, func(i int) {
		c := child(pair{ours: parent}, i).ours.(*Handler)
		for range 50 {
			if got := c.encode(record(i)); got != want[i] {
				errs <- fmt.Sprintf("clone %d wrote\n%s\nwant\n%s", i, got, want[i])
				return
			}
		}
	})
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := parent.encode(record(-1)); !bytes.Equal([]byte(got), parentWant) {
		t.Errorf("parent changed by its clones:\n%s\nwant\n%s", got, parentWant)
	}
}
