package shiptest

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"

	"github.com/sirupsen/logrus"
	"go.uber.org/zap/zapcore"

	"github.com/cwlog/cwlog/logruscw"
)

// QuietLogrus returns a logrus logger at DebugLevel that writes nothing
// itself, set up as logruscw's documentation recommends when CloudWatch,
// through a Hook, is the only destination.
func QuietLogrus() *logrus.Logger {
	l := logrus.New()
	l.SetOutput(io.Discard)
	l.SetFormatter(logruscw.DiscardFormatter{})
	l.SetLevel(logrus.DebugLevel)
	return l
}

// The SDK's logs of a Shipper's own calls can only be routed back into
// that Shipper through a logger built before the client it logs for,
// whose adapter needs the Shipper that uses that client: LateHandler and
// LateCore are set once the Shipper exists, and drop what comes before.

var (
	_ slog.Handler = (*LateHandler)(nil)
	_ zapcore.Core = (*LateCore)(nil)
)

// LateHandler is a slog.Handler whose implementation is set after the
// logger using it is built.
type LateHandler struct{ h atomic.Pointer[slog.Handler] }

// Set makes h handle every record from now on.
func (l *LateHandler) Set(h slog.Handler) { l.h.Store(&h) }

func (l *LateHandler) Enabled(ctx context.Context, lvl slog.Level) bool {
	h := l.h.Load()
	return h != nil && (*h).Enabled(ctx, lvl)
}

func (l *LateHandler) Handle(ctx context.Context, r slog.Record) error {
	return (*l.h.Load()).Handle(ctx, r)
}

func (l *LateHandler) WithAttrs([]slog.Attr) slog.Handler { panic("not used") }
func (l *LateHandler) WithGroup(string) slog.Handler      { panic("not used") }

// LateCore is a zapcore.Core whose implementation is set after the logger
// using it is built.
type LateCore struct{ c atomic.Pointer[zapcore.Core] }

// Set makes c write every entry from now on.
func (l *LateCore) Set(c zapcore.Core) { l.c.Store(&c) }

func (l *LateCore) core() zapcore.Core {
	if c := l.c.Load(); c != nil {
		return *c
	}
	return zapcore.NewNopCore()
}

func (l *LateCore) Enabled(lvl zapcore.Level) bool      { return l.core().Enabled(lvl) }
func (l *LateCore) With(f []zapcore.Field) zapcore.Core { return l.core().With(f) }
func (l *LateCore) Sync() error                         { return l.core().Sync() }
func (l *LateCore) Write(e zapcore.Entry, f []zapcore.Field) error {
	return l.core().Write(e, f)
}
func (l *LateCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return l.core().Check(e, ce)
}
