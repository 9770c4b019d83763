package zapcw

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go/logging"
	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/sdklog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// NewSDKLogger returns a logger for the AWS SDK (the Logger field of
// aws.Config or cloudwatchlogs.Options) that writes the SDK's messages to
// l: Warn ones at zap.WarnLevel, Debug ones at zap.DebugLevel, others at
// zap.InfoLevel. The SDK's debug output (ClientLogMode) is only seen when
// l is enabled at DebugLevel. Credentials and signatures in the SDK's
// messages (access key ids, session tokens, request signatures) are
// replaced by REDACTED before they are logged.
//
// zap entries carry no context, so the logger marks the messages of the
// Shipper's own API calls (core.IsInternal) with a field that encoders
// skip. A zapcw core recognises the mark: it queues those entries with
// Shipper.TryAdd and never flushes for them, so an upload never waits for
// room that only it can free, even under core.Block. Other cores ignore
// the mark.
//
// The logger is safe for concurrent use.
func NewSDKLogger(l *zap.Logger) logging.Logger {
	return sdkLogger{l: l.WithOptions(zap.AddCallerSkip(1))}
}

type sdkLogger struct {
	l        *zap.Logger
	internal bool // the context is one of a Shipper's own API calls
}

var (
	_ logging.Logger        = sdkLogger{}
	_ logging.ContextLogger = sdkLogger{}
)

// WithContext returns a logger for the SDK call whose context is ctx.
func (s sdkLogger) WithContext(ctx context.Context) logging.Logger {
	s.internal = core.IsInternal(ctx)
	return s
}

// Logf logs one SDK message.
func (s sdkLogger) Logf(class logging.Classification, format string, v ...any) {
	level := sdklog.Level(class, zapcore.WarnLevel, zapcore.DebugLevel, zapcore.InfoLevel)
	if !s.l.Core().Enabled(level) {
		return
	}
	msg := sdklog.Redact(fmt.Sprintf(format, v...))
	if s.internal {
		s.l.Log(level, msg, internalMark)
		return
	}
	s.l.Log(level, msg)
}

// internal is the value of the field that marks an entry of a Shipper's
// own API calls.
type internal struct{}

// internalMark is that field: of SkipType, so that every encoder leaves it
// out.
var internalMark = zap.Field{Type: zapcore.SkipType, Interface: internal{}}

// isInternalMark reports whether f is internalMark.
func isInternalMark(f zapcore.Field) bool {
	if f.Type != zapcore.SkipType {
		return false
	}
	_, ok := f.Interface.(internal)
	return ok
}
