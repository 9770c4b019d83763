package zapcw_test

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/zapcw"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func TestFields(t *testing.T) {
	want := map[string]any{"level": "info", "msg": "job done", "job": "resize", "items": 12.0, "ratio": 0.5, "cached": true, "took": 1.5}
	shiptest.CheckFields(t, "ts", want, func(s *core.Shipper) {
		zap.New(zapcw.NewCore(s, nil, nil)).Info("job done", zap.String("job", "resize"), zap.Int("items", 12),
			zap.Float64("ratio", 0.5), zap.Bool("cached", true), zap.Duration("took", 1500*time.Millisecond))
	})
}

func TestNamespacesAndNames(t *testing.T) {
	srv, s := newShipper(t, nil)
	logger := zap.New(zapcw.NewCore(s, nil, nil)).Named("api")
	logger.With(zap.Namespace("req"), zap.String("id", "r1")).Info("served", zap.Int("status", 200))
	flush(t, s)
	want := []string{`{"level":"info","logger":"api","msg":"served","req":{"id":"r1","status":200}}`}
	var got []string
	for _, m := range srv.Messages(testGroup, testStream) {
		got = append(got, stripTS(t, m))
	}
	if !slices.Equal(got, want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}

func TestLevels(t *testing.T) {
	dynamic := zap.NewAtomicLevelAt(zap.ErrorLevel)
	tests := []struct {
		name      string
		enab      zapcore.LevelEnabler
		wantLevel zapcore.Level
		want      []string
	}{
		{"nil is info", nil, zap.InfoLevel, []string{"info", "warn", "error"}},
		{"level", zap.WarnLevel, zap.WarnLevel, []string{"warn", "error"}},
		{"func", zap.LevelEnablerFunc(func(l zapcore.Level) bool { return l == zap.DebugLevel || l >= zap.ErrorLevel }),
			zap.DebugLevel, []string{"debug", "error"}},
		{"atomic", dynamic, zap.ErrorLevel, []string{"error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shiptest.CheckLevels(t, tt.want, func(s *core.Shipper) {
				c := zapcw.NewCore(s, nil, tt.enab)
				if got := zapcore.LevelOf(c); got != tt.wantLevel {
					t.Errorf("LevelOf(core) = %v, want %v", got, tt.wantLevel)
				}
				logger := zap.New(c)
				for lvl := zap.DebugLevel; lvl <= zap.ErrorLevel; lvl++ {
					logger.Log(lvl, lvl.String())
				}
			})
		})
	}
}

func TestAtomicLevelChange(t *testing.T) {
	srv, s := newShipper(t, nil)
	lvl := zap.NewAtomicLevelAt(zap.ErrorLevel)
	logger := zap.New(zapcw.NewCore(s, nil, lvl))
	logger.Info("before")
	lvl.SetLevel(zap.InfoLevel)
	logger.Info("after")
	flush(t, s)
	if got := decode(t, srv); len(got) != 1 || got[0]["msg"] != "after" {
		t.Errorf("stored %v, want only the entry logged after lowering the level", got)
	}
}

func TestError(t *testing.T) {
	srv, s := newShipper(t, nil)
	logger := zap.New(zapcw.NewCore(s, nil, nil))
	logger.Error("save failed", zap.Error(fmt.Errorf("write row: %w", errors.New("disk full"))))
	flush(t, s)
	got := decode(t, srv)
	if len(got) != 1 || got[0]["error"] != "write row: disk full" || got[0]["level"] != "error" {
		t.Errorf("stored %v, want one error entry with its error field", got)
	}
}

func TestTimesKeptToTheMillisecond(t *testing.T) {
	shiptest.CheckTimesKept(t, func(s *core.Shipper) func(time.Time, string) {
		c := zapcw.NewCore(s, nil, nil)
		return func(at time.Time, msg string) {
			if err := c.Write(zapcore.Entry{Level: zap.InfoLevel, Time: at, Message: msg}, nil); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestWithClones writes through a core, its clones and their clones at
// once: each entry must carry exactly the fields of its own chain, which
// fails if a clone shares its encoder with its parent or a sibling.
func TestWithClones(t *testing.T) {
	srv, s := newShipper(t, nil)
	root := zapcw.NewCore(s, nil, nil)
	cores := map[string]zapcore.Core{"root": root}
	cores["a"] = root.With([]zapcore.Field{zap.String("a", "1")})
	cores["b"] = root.With([]zapcore.Field{zap.String("b", "1")})
	cores["a.x"] = cores["a"].With([]zapcore.Field{zap.String("x", "1")})
	cores["a.y"] = cores["a"].With([]zapcore.Field{zap.String("y", "1")})
	cores["empty"] = root.With(nil)
	wantKeys := map[string][]string{
		"root": {}, "empty": {}, "a": {"a"}, "b": {"b"}, "a.x": {"a", "x"}, "a.y": {"a", "y"},
	}

	const each = 100
	names := slices.Collect(maps.Keys(cores))
	shiptest.Concurrently(len(names), func(c int) {
		logger := zap.New(cores[names[c]])
		for i := range each {
			logger.Info(names[c], zap.Int("i", i))
		}
	})
	flush(t, s)

	got := decode(t, srv)
	if len(got) != len(cores)*each {
		t.Fatalf("stored %d events, want %d", len(got), len(cores)*each)
	}
	for _, e := range got {
		name := e["msg"].(string)
		var keys []string
		for k := range e {
			switch k {
			case "level", "ts", "msg", "i":
			default:
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		if !slices.Equal(keys, wantKeys[name]) {
			t.Fatalf("entry of core %q has fields %v, want %v", name, keys, wantKeys[name])
		}
	}
}

func TestTeeBesideConsole(t *testing.T) {
	srv, s := newShipper(t, nil)
	var console syncBuffer
	enc := zap.NewDevelopmentEncoderConfig()
	enc.TimeKey = ""
	tee := zapcore.NewTee(
		zapcore.NewCore(zapcore.NewConsoleEncoder(enc), &console, zap.DebugLevel),
		zapcw.NewCore(s, nil, zap.WarnLevel),
	)
	logger := zap.New(tee)
	logger.Debug("local only")
	logger.Warn("both", zap.Int("n", 1))
	flush(t, s)

	if got, want := console.String(), "DEBUG\tlocal only\nWARN\tboth\t{\"n\": 1}\n"; got != want {
		t.Errorf("console got %q, want %q", got, want)
	}
	if got := decode(t, srv); len(got) != 1 || got[0]["msg"] != "both" || got[0]["n"] != 1.0 {
		t.Errorf("CloudWatch got %v, want only the warning", got)
	}
}

func TestWrapCore(t *testing.T) {
	srv, s := newShipper(t, nil)
	var console syncBuffer
	logger := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), &console, zap.InfoLevel))
	logger = logger.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core {
		return zapcore.NewTee(c, zapcw.NewCore(s, nil, nil))
	}))
	logger.With(zap.String("svc", "billing")).Info("wrapped")
	flush(t, s)
	got := decode(t, srv)
	if len(got) != 1 || got[0]["svc"] != "billing" || got[0]["msg"] != "wrapped" {
		t.Errorf("CloudWatch got %v", got)
	}
	if !strings.Contains(console.String(), `"wrapped"`) {
		t.Errorf("the wrapped core lost its output: %q", console.String())
	}
}

// TestSevereLevelsDeliverBeforeReturning checks that DPanic, Panic and
// Fatal entries are stored by the time zap runs its after-write action
// (panic or exit), with no timer that could have uploaded them.
func TestSevereLevelsDeliverBeforeReturning(t *testing.T) {
	t.Run("dpanic", func(t *testing.T) {
		srv, s := newShipper(t, noTimer)
		zap.New(zapcw.NewCore(s, nil, nil)).DPanic("odd state")
		if got := srv.Messages(testGroup, testStream); len(got) != 1 || !strings.Contains(got[0], `"dpanic"`) {
			t.Errorf("stored after DPanic: %q", got)
		}
	})
	t.Run("panic", func(t *testing.T) {
		srv, s := newShipper(t, noTimer)
		stored := shiptest.AtPanic(t, func() { zap.New(zapcw.NewCore(s, nil, nil)).Panic("broken invariant") }, func() []string {
			return srv.Messages(testGroup, testStream)
		})
		if len(stored) != 1 || !strings.Contains(stored[0], `"broken invariant"`) {
			t.Errorf("stored when the panic was recovered: %q", stored)
		}
	})
	t.Run("fatal", func(t *testing.T) {
		srv, s := newShipper(t, noTimer)
		hook := &recordHook{read: func() []string { return srv.Messages(testGroup, testStream) }}
		zap.New(zapcw.NewCore(s, nil, nil), zap.WithFatalHook(hook)).Fatal("out of memory", zap.Int("code", 3))
		if len(hook.stored) != 1 || !strings.Contains(hook.stored[0], `"out of memory"`) {
			t.Errorf("stored when the fatal hook ran: %q", hook.stored)
		}
	})
	t.Run("fatal write then panic", func(t *testing.T) {
		srv, s := newShipper(t, noTimer)
		stored := shiptest.AtPanic(t, func() {
			zap.New(zapcw.NewCore(s, nil, nil), zap.WithFatalHook(zapcore.WriteThenPanic)).Fatal("bye")
		}, func() []string { return srv.Messages(testGroup, testStream) })
		if len(stored) != 1 || !strings.Contains(stored[0], `"fatal"`) {
			t.Errorf("stored when the fatal panic was recovered: %q", stored)
		}
	})
}

// recordHook is a zapcore.CheckWriteHook that, instead of exiting, notes
// what the endpoint held when it ran.
type recordHook struct {
	read   func() []string
	stored []string
}

func (h *recordHook) OnWrite(*zapcore.CheckedEntry, []zapcore.Field) { h.stored = h.read() }

func TestSyncDelivers(t *testing.T) {
	srv, s := newShipper(t, noTimer)
	logger := zap.New(zapcw.NewCore(s, nil, nil))
	for i := range 5 {
		logger.Info("queued", zap.Int("i", i))
	}
	if n := srv.EventCount(testGroup, testStream); n > 0 {
		t.Fatalf("%d events stored before Sync; the test cannot tell what Sync did", n)
	}
	if err := logger.Sync(); err != nil {
		t.Fatal(err)
	}
	if n := srv.EventCount(testGroup, testStream); n != 5 {
		t.Errorf("stored %d events when Sync returned, want 5", n)
	}
}

func TestWriteAfterClose(t *testing.T) {
	_, s := newShipper(t, nil)
	c := zapcw.NewCore(s, nil, nil)
	clone := c.With([]zapcore.Field{zap.String("k", "v")})
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]zapcore.Core{"core": c, "clone": clone} {
		if err := c.Write(zapcore.Entry{Level: zap.InfoLevel, Time: time.Now(), Message: "late"}, nil); !errors.Is(err, core.ErrClosed) {
			t.Errorf("%s: Write after Close = %v, want core.ErrClosed", name, err)
		}
	}
	var errOut syncBuffer
	zap.New(c, zap.ErrorOutput(&errOut)).Error("late")
	if !strings.Contains(errOut.String(), core.ErrClosed.Error()) {
		t.Errorf("zap's error output = %q, want it to report ErrClosed", errOut.String())
	}
	if err := c.Sync(); !errors.Is(err, core.ErrClosed) {
		t.Errorf("Sync after Close = %v, want core.ErrClosed", err)
	}
}

func TestBufferFullNotReturned(t *testing.T) {
	shiptest.CheckDropsNotReturned(t, func(s *core.Shipper) func(string) error {
		c := zapcw.NewCore(s, nil, nil)
		return func(msg string) error {
			return c.Write(zapcore.Entry{Level: zap.InfoLevel, Time: time.Now(), Message: msg}, nil)
		}
	})
}

func TestCustomEncoderLineEnding(t *testing.T) {
	srv, s := newShipper(t, nil)
	cfg := zap.NewProductionEncoderConfig()
	cfg.TimeKey = ""
	cfg.LineEnding = "\r\n"
	zap.New(zapcw.NewCore(s, zapcore.NewConsoleEncoder(cfg), nil)).Info("plain", zap.String("k", "v"))
	flush(t, s)
	want := []string{"info\tplain\t{\"k\": \"v\"}"}
	if got := srv.Messages(testGroup, testStream); !slices.Equal(got, want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}

// syncBuffer is a bytes.Buffer safe for zap's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Sync() error { return nil }

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// stripTS removes the "ts" field from a JSON message, leaving the rest
// byte for byte.
func stripTS(t *testing.T, m string) string {
	t.Helper()
	i := strings.Index(m, `"ts":`)
	if i < 0 {
		t.Fatalf("no ts in %q", m)
	}
	j := strings.IndexByte(m[i:], ',')
	return m[:i] + m[i+j+1:]
}
