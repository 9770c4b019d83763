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

// NewSDKLogger returns a logger for the AWS SDK that writes its messages
// to l, at zap.WarnLevel, DebugLevel (what ClientLogMode selects) or
// InfoLevel by class, with credentials and signatures REDACTED. It is
// safe for concurrent use.
//
// To log the SDK's logs of a Shipper's own calls through a zapcw core of
// that same Shipper, build the client, the Shipper and l, then pass the
// logger to [core.Shipper.SetSDKLogger]. zap entries carry no context, so
// the messages of the Shipper's own calls get a field that encoders skip,
// by which a zapcw core never waits on those uploads; other cores ignore
// it. Requests and responses are logged at DebugLevel, which l must
// enable. For a client of your own, set it as aws.Config.Logger.
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

func (s sdkLogger) WithContext(ctx context.Context) logging.Logger {
	s.internal = core.IsInternal(ctx)
	return s
}

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

type internal struct{}

// internalMark marks the entries of a Shipper's own API calls; encoders
// skip a SkipType field.
var internalMark = zap.Field{Type: zapcore.SkipType, Interface: internal{}}

func isInternalMark(f zapcore.Field) bool {
	if f.Type != zapcore.SkipType {
		return false
	}
	_, ok := f.Interface.(internal)
	return ok
}
