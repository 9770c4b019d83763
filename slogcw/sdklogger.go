package slogcw

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go/logging"
	"github.com/cwlog/cwlog/internal/sdklog"
)

// NewSDKLogger returns a logger for the AWS SDK (the Logger field of
// aws.Config or cloudwatchlogs.Options) that writes the SDK's messages to
// l: Warn ones at slog.LevelWarn, Debug ones at slog.LevelDebug, others at
// slog.LevelInfo. The SDK's debug output (ClientLogMode) is only seen when
// l is enabled at LevelDebug. Credentials and signatures in the SDK's
// messages (access key ids, session tokens, request signatures) are
// replaced by REDACTED before they are logged.
//
// Each message is logged with the context of the SDK call that produced
// it, which is how a Handler recognises the Shipper's own uploads and
// never waits on them (see Handler.Handle).
//
// The logger is safe for concurrent use.
func NewSDKLogger(l *slog.Logger) logging.Logger {
	return sdkLogger{l: l, ctx: context.Background()}
}

type sdkLogger struct {
	l   *slog.Logger
	ctx context.Context
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
	level := sdklog.Level(class, slog.LevelWarn, slog.LevelDebug, slog.LevelInfo)
	if !s.l.Enabled(s.ctx, level) {
		return
	}
	s.l.Log(s.ctx, level, sdklog.Redact(fmt.Sprintf(format, v...)))
}
