package slogcw

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go/logging"
	"github.com/cwlog/cwlog/internal/sdklog"
)

// NewSDKLogger returns a logger for the AWS SDK that writes its messages
// to l, at slog.LevelWarn, LevelDebug (what ClientLogMode selects) or
// LevelInfo by class, with credentials and signatures REDACTED, and with
// the context of their call. It is safe for concurrent use.
//
// To log the SDK's logs of a Shipper's own calls through a Handler of that
// same Shipper, build the client, the Shipper and l, then pass the logger
// to [core.Shipper.SetSDKLogger]: the Handler tells those logs by their
// context and never waits on the upload they describe. Requests and
// responses are logged at LevelDebug, which l must enable. For a client of
// your own, set it as aws.Config.Logger.
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
