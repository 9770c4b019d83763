package logruscw

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go/logging"
	"github.com/cwlog/cwlog/internal/sdklog"
	"github.com/sirupsen/logrus"
)

// NewSDKLogger returns a logger for the AWS SDK (the Logger field of
// aws.Config or cloudwatchlogs.Options) that writes the SDK's messages to
// l: Warn ones at logrus.WarnLevel, Debug ones at logrus.DebugLevel,
// others at InfoLevel. The SDK's debug output (ClientLogMode) is only seen
// when l's logger is at DebugLevel or below. Credentials and signatures in
// the SDK's messages (access key ids, session tokens, request signatures)
// are replaced by REDACTED before they are logged.
//
// The returned logger implements logging.ContextLogger, so each message
// carries the context of the SDK call that produced it (Entry.Context).
// That is how a Hook on the same logger recognises the Shipper's own
// uploads and never waits on them; it needs l to be a *logrus.Logger or a
// *logrus.Entry, or any FieldLogger with their WithContext method. Other
// FieldLoggers lose the context, and must then not lead to a Hook whose
// Shipper uses core.Block.
//
// The logger is safe for concurrent use.
func NewSDKLogger(l logrus.FieldLogger) logging.Logger {
	return sdkLogger{l: l}
}

// contextLogger is what *logrus.Logger and *logrus.Entry offer beyond
// logrus.FieldLogger.
type contextLogger interface {
	WithContext(context.Context) *logrus.Entry
}

type sdkLogger struct {
	l   logrus.FieldLogger
	ctx context.Context // nil until WithContext
}

var (
	_ logging.Logger        = sdkLogger{}
	_ logging.ContextLogger = sdkLogger{}
)

// WithContext returns a logger whose messages carry ctx.
func (s sdkLogger) WithContext(ctx context.Context) logging.Logger {
	s.ctx = ctx
	return s
}

// Logf logs one SDK message.
func (s sdkLogger) Logf(class logging.Classification, format string, v ...any) {
	level := sdklog.Level(class, logrus.WarnLevel, logrus.DebugLevel, logrus.InfoLevel)
	if cl, ok := s.l.(contextLogger); ok {
		ctx := s.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		e := cl.WithContext(ctx)
		if e.Logger.IsLevelEnabled(level) {
			e.Log(level, sdklog.Redact(fmt.Sprintf(format, v...)))
		}
		return
	}
	// A plain FieldLogger cannot be asked for its level, so the message
	// is formatted even when the logger then drops it.
	msg := sdklog.Redact(fmt.Sprintf(format, v...))
	switch level {
	case logrus.WarnLevel:
		s.l.Warn(msg)
	case logrus.DebugLevel:
		s.l.Debug(msg)
	default:
		s.l.Info(msg)
	}
}
