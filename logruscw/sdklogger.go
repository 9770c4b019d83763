package logruscw

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go/logging"
	"github.com/cwlog/cwlog/internal/sdklog"
	"github.com/sirupsen/logrus"
)

// NewSDKLogger returns a logger for the AWS SDK that writes its messages
// to l, at logrus.WarnLevel, DebugLevel (what ClientLogMode selects) or
// InfoLevel by class, with credentials and signatures REDACTED. It is
// safe for concurrent use.
//
// To log the SDK's logs of a Shipper's own calls through a Hook of that
// same Shipper, build the client, the Shipper and l, then pass the logger
// to [core.Shipper.SetSDKLogger]. Each message carries the context of its
// call, by which the Hook never waits on the Shipper's own uploads, if l
// has WithContext (as *logrus.Logger and *logrus.Entry do); with any other
// FieldLogger, the Hook's Shipper must not use core.Block. Requests and
// responses are logged at DebugLevel, which l must enable. For a client of
// your own, set it as aws.Config.Logger.
func NewSDKLogger(l logrus.FieldLogger) logging.Logger {
	return sdkLogger{l: l}
}

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

func (s sdkLogger) WithContext(ctx context.Context) logging.Logger {
	s.ctx = ctx
	return s
}

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
