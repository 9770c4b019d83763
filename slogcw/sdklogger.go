package slogcw

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go/logging"
	"github.com/cwlog/cwlog/internal/sdklog"
)

// NewSDKLogger returns a logger for the AWS SDK (aws.Config.Logger) that
// writes its messages to l, at slog.LevelWarn, LevelDebug (ClientLogMode)
// or LevelInfo by class, with credentials and signatures REDACTED, and
// with the context of their call, by which a Handler never waits on the
// Shipper's own uploads. It is safe for concurrent use.
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

func (s sdkLogger) WithContext(ctx context.Context) logging.Logger {
	s.ctx = ctx
	return s
}

func (s sdkLogger) Logf(class logging.Classification, format string, v ...any) {
	level := sdklog.Level(class, slog.LevelWarn, slog.LevelDebug, slog.LevelInfo)
	if !s.l.Enabled(s.ctx, level) {
		return
	}
	s.l.Log(s.ctx, level, sdklog.Redact(fmt.Sprintf(format, v...)))
}
