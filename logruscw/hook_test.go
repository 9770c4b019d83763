package logruscw_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
)

func TestFields(t *testing.T) {
	want := map[string]any{"msg": "signed in", "level": "info", "user": "ann", "n": 3.0, "ok": true}
	shiptest.CheckFields(t, "time", want, func(s *core.Shipper) {
		newLogger(s, nil).WithFields(logrus.Fields{"user": "ann", "n": 3, "ok": true}).Info("signed in")
	})
}

func TestLevels(t *testing.T) {
	tests := []struct {
		name   string
		levels []logrus.Level
		want   []string
	}{
		{"default all", nil, []string{"trace", "debug", "info", "warning", "error"}},
		{"warn and error", []logrus.Level{logrus.WarnLevel, logrus.ErrorLevel}, []string{"warning", "error"}},
		{"error only", []logrus.Level{logrus.ErrorLevel}, []string{"error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shiptest.CheckLevels(t, tt.want, func(s *core.Shipper) {
				l := newLogger(s, &logruscw.Options{Levels: tt.levels})
				l.SetLevel(logrus.TraceLevel)
				for lvl := logrus.TraceLevel; lvl >= logrus.ErrorLevel; lvl-- {
					l.Log(lvl, lvl.String())
				}
			})
		})
	}
}

func TestLoggerLevelFiltersFirst(t *testing.T) {
	srv, s := newShipper(t, nil)
	l := newLogger(s, nil)
	l.SetLevel(logrus.WarnLevel)
	l.Info("hidden")
	l.Warn("shown")
	flush(t, s)
	if got := srv.Messages(testGroup, testStream); len(got) != 1 || !strings.Contains(got[0], `"shown"`) {
		t.Errorf("stored %q, want only the warning", got)
	}
}

func TestWithError(t *testing.T) {
	srv, s := newShipper(t, nil)
	l := newLogger(s, nil)
	l.WithError(fmt.Errorf("open config: %w", errors.New("permission denied"))).Error("startup failed")
	flush(t, s)
	got := decode(t, srv)
	if len(got) != 1 {
		t.Fatalf("stored %d events, want 1", len(got))
	}
	if got[0]["error"] != "open config: permission denied" || got[0]["level"] != "error" {
		t.Errorf("event = %v, want error field and level error", got[0])
	}
}

func TestTimesKeptToTheMillisecond(t *testing.T) {
	shiptest.CheckTimesKept(t, func(s *core.Shipper) func(time.Time, string) {
		l := newLogger(s, nil)
		return func(at time.Time, msg string) { l.WithTime(at).Info(msg) }
	})
}

func TestTextFormatter(t *testing.T) {
	srv, s := newShipper(t, nil)
	l := newLogger(s, &logruscw.Options{
		Formatter: &logrus.TextFormatter{DisableTimestamp: true, DisableColors: true},
	})
	l.WithField("region", "eu-west-1").Warn("slow start")
	flush(t, s)
	want := []string{`level=warning msg="slow start" region=eu-west-1`}
	if got := srv.Messages(testGroup, testStream); !slices.Equal(got, want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}

// TestOwnBuffer shows the Hook neither writes into a Buffer that logrus
// put on the entry (logrus reuses it for its own output) nor leaves its
// own buffer there.
func TestOwnBuffer(t *testing.T) {
	srv, s := newShipper(t, nil)
	hook := logruscw.NewHook(s, &logruscw.Options{Formatter: &logrus.TextFormatter{DisableTimestamp: true}})
	theirs := bytes.NewBufferString("logrus's bytes")
	entry := &logrus.Entry{
		Logger:  logrus.New(),
		Data:    logrus.Fields{},
		Time:    time.Now(),
		Level:   logrus.InfoLevel,
		Message: "first",
		Buffer:  theirs,
	}
	if err := hook.Fire(entry); err != nil {
		t.Fatal(err)
	}
	if entry.Buffer != theirs || theirs.String() != "logrus's bytes" {
		t.Errorf("entry.Buffer changed: %p %q", entry.Buffer, theirs.String())
	}
	// Fire again: if the first message aliased a pooled buffer, this
	// one would overwrite it.
	entry.Message = "second"
	if err := hook.Fire(entry); err != nil {
		t.Fatal(err)
	}
	flush(t, s)
	want := []string{"level=info msg=first", "level=info msg=second"}
	if got := srv.Messages(testGroup, testStream); !slices.Equal(got, want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}

func TestConcurrent(t *testing.T) {
	srv, s := newShipper(t, nil)
	l := newLogger(s, nil)
	const goroutines, each = 8, 200
	shiptest.Concurrently(goroutines, func(g int) {
		gl := l.WithField("g", g)
		for i := range each {
			gl.WithField("i", i).Info("tick")
		}
	})
	flush(t, s)

	got := decode(t, srv)
	if len(got) != goroutines*each {
		t.Fatalf("stored %d events, want %d", len(got), goroutines*each)
	}
	seen := map[[2]int]int{}
	for _, e := range got {
		seen[[2]int{int(e["g"].(float64)), int(e["i"].(float64))}]++
	}
	for g := range goroutines {
		for i := range each {
			if n := seen[[2]int{g, i}]; n != 1 {
				t.Fatalf("event g=%d i=%d stored %d times", g, i, n)
			}
		}
	}
}

func TestPanicDelivers(t *testing.T) {
	// No timer would upload within the test: only Fire's flush can.
	srv, s := newShipper(t, func(_ *cwlogtest.Server, c *core.Config) { c.FlushInterval = time.Hour })
	l := newLogger(s, nil)
	l.Info("before")

	stored := shiptest.AtPanic(t, func() { l.WithField("code", 7).Panic("cannot go on") }, func() []string {
		return srv.Messages(testGroup, testStream)
	})
	if len(stored) != 2 || !strings.Contains(stored[0], `"before"`) || !strings.Contains(stored[1], `"cannot go on"`) {
		t.Errorf("stored when the panic was recovered: %q, want both entries", stored)
	}
}

func TestFatalDelivers(t *testing.T) {
	srv, s := newShipper(t, func(_ *cwlogtest.Server, c *core.Config) { c.FlushInterval = time.Hour })
	l := newLogger(s, nil)
	var (
		code   = -1
		stored []string
	)
	l.ExitFunc = func(c int) {
		code = c
		stored = srv.Messages(testGroup, testStream)
	}
	l.Info("before")
	l.WithField("reason", "disk full").Fatal("giving up")
	if code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	if len(stored) != 2 || !strings.Contains(stored[1], `"giving up"`) || !strings.Contains(stored[1], `"disk full"`) {
		t.Errorf("stored when ExitFunc ran: %q, want both entries", stored)
	}
}

func TestFlushTimeoutBoundsFatal(t *testing.T) {
	srv, s := newShipper(t, func(srv *cwlogtest.Server, c *core.Config) {
		c.FlushInterval = time.Hour
		c.OnError = func(error) {}
		c.MinBackoff = 5 * time.Millisecond
		c.MaxBackoff = 5 * time.Millisecond
	})
	// The endpoint fails every upload until the test is done, so the
	// flush cannot finish and only the timeout lets logrus exit.
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	t.Cleanup(srv.ClearFaults)
	l := newLogger(s, &logruscw.Options{FlushTimeout: 50 * time.Millisecond})
	exited := false
	l.ExitFunc = func(int) { exited = true }
	start := time.Now()
	l.Fatal("unreachable")
	if d := time.Since(start); !exited || d > 5*time.Second {
		t.Errorf("exited=%v after %v, want exit after about the 50ms timeout", exited, d)
	}
}

// TestFireAfterClose checks that an entry fired after Close is counted by
// the Shipper, not returned: an error would make logrus skip the hooks
// after this one.
func TestFireAfterClose(t *testing.T) {
	_, s := newShipper(t, nil)
	hook := logruscw.NewHook(s, nil)
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	entry := logrus.NewEntry(logrus.New())
	entry.Message = "late"
	if err := hook.Fire(entry); err != nil {
		t.Errorf("Fire after Close = %v, want nil", err)
	}
	if st := s.Stats(); st.AfterClose != 1 {
		t.Errorf("AfterClose = %d, want 1", st.AfterClose)
	}
}

// failingFormatter fails every entry with err.
type failingFormatter struct{ err error }

func (f failingFormatter) Format(*logrus.Entry) ([]byte, error) { return nil, f.err }

// countingHook counts the entries it is fired for.
type countingHook struct{ n atomic.Int64 }

func (*countingHook) Levels() []logrus.Level     { return logrus.AllLevels }
func (h *countingHook) Fire(*logrus.Entry) error { h.n.Add(1); return nil }

// TestFireNeverStopsLaterHooks checks that whatever goes wrong in the
// Hook, the hooks added after it still fire (logrus stops at the first
// hook returning an error), and that what the Shipper cannot know of
// reaches its OnError instead.
func TestFireNeverStopsLaterHooks(t *testing.T) {
	errFormat := errors.New("formatter broke")
	for _, c := range []struct {
		name  string
		opts  *logruscw.Options
		setup func(*testing.T, *cwlogtest.Server, *core.Shipper)
		log   func(*logrus.Logger)
		// report is what must reach OnError, wrapped, with the text
		// want; nil when the Shipper itself counts what went wrong.
		report error
		want   string
		fatal  bool // logrus must then call ExitFunc(1)
	}{
		{
			name: "shipper-closed",
			setup: func(t *testing.T, _ *cwlogtest.Server, s *core.Shipper) {
				if err := s.Close(t.Context()); err != nil {
					t.Fatal(err)
				}
			},
			log: func(l *logrus.Logger) { l.Info("late") },
		},
		{
			name:   "formatter-fails",
			opts:   &logruscw.Options{Formatter: failingFormatter{errFormat}},
			log:    func(l *logrus.Logger) { l.Info("unformattable") },
			report: errFormat,
			want:   "logruscw: format entry: formatter broke",
		},
		{
			name: "fatal-flush-times-out",
			opts: &logruscw.Options{FlushTimeout: 50 * time.Millisecond},
			setup: func(t *testing.T, srv *cwlogtest.Server, _ *core.Shipper) {
				// Every upload takes a second: the flush cannot finish
				// in time, and Close in cleanup still delivers.
				srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Delay: time.Second})
				t.Cleanup(srv.ClearFaults)
			},
			log:    func(l *logrus.Logger) { l.Fatal("giving up") },
			report: context.DeadlineExceeded,
			want:   "logruscw: flush before fatal: context deadline exceeded",
			fatal:  true,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got shiptest.Errors
			srv, s := newShipper(t, func(_ *cwlogtest.Server, cfg *core.Config) { cfg.OnError = got.Add })
			if c.setup != nil {
				c.setup(t, srv, s)
			}
			later := new(countingHook)
			l := newLogger(s, c.opts)
			l.AddHook(later)
			exit := -1
			l.ExitFunc = func(code int) { exit = code }

			c.log(l)
			if n := later.n.Load(); n != 1 {
				t.Fatalf("the hook added after the cwlog Hook fired %d times, want 1", n)
			}
			if c.fatal && exit != 1 {
				t.Errorf("exit code %d, want 1", exit)
			}
			if c.report == nil {
				if st := s.Stats(); st.AfterClose != 1 {
					t.Errorf("AfterClose = %d, want 1: the refused entry is the Shipper's to count", st.AfterClose)
				}
				return
			}
			if err := got.Await(t, c.report); err.Error() != c.want {
				t.Errorf("OnError got %q, want %q", err, c.want)
			}
		})
	}
}

func TestBufferFullNotReturned(t *testing.T) {
	shiptest.CheckDropsNotReturned(t, func(s *core.Shipper) func(string) error {
		hook := logruscw.NewHook(s, nil)
		return func(msg string) error {
			entry := logrus.NewEntry(logrus.New())
			entry.Message = msg
			entry.Level = logrus.InfoLevel
			return hook.Fire(entry)
		}
	})
}
