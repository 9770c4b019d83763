package slogcw_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/slogcw"
)

// TestPanicInReplaceAttrLeaksNothing logs records whose ReplaceAttr
// panics, each panic recovered by the caller as a program that survives a
// bad log call does, with a record shipped between panics, and checks that
// the panics pin no memory. A panic crossing the encoder used to leave the
// text block being filled marked in use for good, so that the next record
// started another 32 KiB block, pinned in turn by the next panic.
func TestPanicInReplaceAttrLeaksNothing(t *testing.T) {
	const (
		panics = 5000
		// Leaking, the heap grows by a 32 KiB block a panic: 156 MiB.
		// Not leaking, it holds a block or two (one per filler, and one
		// goroutine logs here) and what the Shipper keeps of its queue
		// once flushed: well under 1 MiB. 4 MiB is 4 times that and a
		// fortieth of the leak.
		bound = 4 << 20
	)
	for _, c := range []struct {
		name string
		key  string // the key whose ReplaceAttr call panics
		log  func(*slog.Logger)
	}{
		{"attribute", "boom", func(l *slog.Logger) { l.Info("m", "a", 1, "boom", 2, "z", 3) }},
		{"level", slog.LevelKey, func(l *slog.Logger) { l.Info("m", "a", 1) }},
		{"message", slog.MessageKey, func(l *slog.Logger) { l.Info("m", "a", 1) }},
		{"attribute-in-group", "boom", func(l *slog.Logger) {
			l.WithGroup("g").Info("m", slog.Group("h", "a", 1, "boom", strings.Repeat("x", 500)))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The endpoint keeps no events, so that the heap holds only
			// what the handler and the Shipper keep.
			srv := cwlogtest.Start(t, &cwlogtest.Options{DiscardEvents: true})
			stream := newStream()
			s := newShipper(t, srv, stream, nil)
			armed := false // set only around the records meant to panic
			l := slog.New(slogcw.NewHandler(s, &slogcw.Options{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
				if armed && a.Key == c.key {
					panic("ReplaceAttr exploded")
				}
				return a
			}}))
			logRecovering := func() (recovered bool) {
				defer func() { armed, recovered = false, recover() != nil }()
				armed = true
				c.log(l)
				return false
			}

			l.Info("before") // the handler's first block is live before measuring
			before := shiptest.HeapAfterGC()
			for i := range panics {
				l.Info("ok") // fills a block, starting one if a panic took the last
				if !logRecovering() {
					t.Fatalf("record %d: ReplaceAttr did not panic through the logger", i)
				}
			}
			shiptest.Flush(t, s) // the records shipped meanwhile no longer hold their blocks
			after := shiptest.HeapAfterGC()
			if after > before && after-before > bound {
				t.Fatalf("the heap grew by %d KiB over %d recovered panics; at most %d KiB expected",
					(after-before)>>10, panics, bound>>10)
			}
			t.Logf("the heap grew by %d bytes over %d recovered panics", int64(after)-int64(before), panics)

			shiptest.Close(t, s)
			if n, st := srv.EventCount(testGroup, stream), s.Stats(); n != panics+1 || st.Delivered != panics+1 {
				t.Fatalf("%d events stored, Stats %+v; want %d delivered", n, st, panics+1)
			}
		})
	}
}

type panickingLogValuer struct{}

func (panickingLogValuer) LogValue() slog.Value { panic("LogValue exploded") }

type panickingJSON struct{}

func (panickingJSON) MarshalJSON() ([]byte, error) { panic("MarshalJSON exploded") }

// TestPanicInValueStaysInHandle checks that a panic in a value's own
// methods never crosses Handle, so that there is nothing for a caller to
// recover: slog's Value.Resolve turns a LogValue panic into an error
// value, and the handler writes a MarshalJSON panic as slog's JSON
// handler does, in the value's place.
func TestPanicInValueStaysInHandle(t *testing.T) {
	srv, s, stream := start(t)
	h := slogcw.NewHandler(s, nil)
	for _, v := range []any{panickingLogValuer{}, panickingJSON{}} {
		r := slog.NewRecord(time.Now(), slog.LevelInfo, "m", 0)
		r.AddAttrs(slog.Any("v", v))
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatalf("%T: Handle: %v", v, err)
		}
	}
	evs := stored(t, srv, s, stream)
	if len(evs) != 2 {
		t.Fatalf("%d events stored, want 2", len(evs))
	}
	for i, want := range []string{"LogValue panicked", "!PANIC: MarshalJSON exploded"} {
		if v, _ := shiptest.DecodeMessage(t, evs[i].Message)["v"].(string); !strings.Contains(v, want) {
			t.Fatalf("event %d: %q does not hold %q", i, evs[i].Message, want)
		}
	}
}
