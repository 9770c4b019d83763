package logruscw_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"
	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"
)

type ctxKey struct{}

func TestSDKLoggerLevelsAndContext(t *testing.T) {
	logger, rec := test.NewNullLogger()
	logger.SetLevel(logrus.DebugLevel)
	ctx := context.WithValue(context.Background(), ctxKey{}, "call-1")

	tests := []struct {
		name  string
		l     logrus.FieldLogger
		class logging.Classification
		level logrus.Level
		field bool
	}{
		{"warn", logger, logging.Warn, logrus.WarnLevel, false},
		{"debug", logger, logging.Debug, logrus.DebugLevel, false},
		{"unclassified", logger, "", logrus.InfoLevel, false},
		{"entry keeps its fields", logger.WithField("component", "aws"), logging.Warn, logrus.WarnLevel, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.Reset()
			sdk := logruscw.NewSDKLogger(tt.l)
			cl, ok := sdk.(logging.ContextLogger)
			if !ok {
				t.Fatal("NewSDKLogger does not implement logging.ContextLogger")
			}
			cl.WithContext(ctx).Logf(tt.class, "attempt %d of %s", 2, "PutLogEvents")
			e := rec.LastEntry()
			if e == nil {
				t.Fatal("nothing logged")
			}
			if e.Level != tt.level || e.Message != "attempt 2 of PutLogEvents" {
				t.Errorf("logged %v %q, want %v %q", e.Level, e.Message, tt.level, "attempt 2 of PutLogEvents")
			}
			if e.Context == nil || e.Context.Value(ctxKey{}) != "call-1" {
				t.Errorf("entry context %v does not carry the SDK call's context", e.Context)
			}
			if tt.field && e.Data["component"] != "aws" {
				t.Errorf("entry fields %v lost the FieldLogger's fields", e.Data)
			}
		})
	}
}

func TestSDKLoggerWithoutContext(t *testing.T) {
	logger, rec := test.NewNullLogger()
	logruscw.NewSDKLogger(logger).Logf(logging.Warn, "no ctx")
	if e := rec.LastEntry(); e == nil || e.Message != "no ctx" || e.Level != logrus.WarnLevel {
		t.Errorf("logged %v, want a warning %q", e, "no ctx")
	}
}

// TestSDKLoggerRedactsPlainFieldLogger covers a FieldLogger without
// WithContext, which takes the SDK's messages through Warn, Debug and Info.
func TestSDKLoggerRedactsPlainFieldLogger(t *testing.T) {
	logger, rec := test.NewNullLogger()
	logger.SetLevel(logrus.DebugLevel)
	sdk := logruscw.NewSDKLogger(struct{ logrus.FieldLogger }{logger})
	sdk.Logf(logging.Debug, "Request\n%s", "POST / HTTP/1.1\r\nX-Amz-Security-Token: TOKENRECOGNIZABLE789\r\n")
	want := "Request\nPOST / HTTP/1.1\r\nX-Amz-Security-Token: REDACTED\r\n"
	if e := rec.LastEntry(); e == nil || e.Message != want || e.Level != logrus.DebugLevel {
		t.Errorf("logged %v, want a debug entry %q", e, want)
	}
}

// TestSDKLogsThroughHookDoNotDeadlock routes the SDK's own logs of the
// Shipper's uploads into the logger that feeds the Shipper (see
// shiptest.StartSelfLogging), with SetSDKLogger: the client itself logs
// nowhere.
func TestSDKLogsThroughHookDoNotDeadlock(t *testing.T) {
	srv, s := shiptest.StartSelfLogging(t, testGroup, testStream, logging.Nop{})
	logger := newLogger(s, nil)
	logger.SetOutput(devNull{})
	s.SetSDKLogger(logruscw.NewSDKLogger(logger), aws.LogRetries|aws.LogRequest|aws.LogResponse)
	shiptest.CheckSelfLogging(t, srv, s, testGroup, testStream, func(g, i int) {
		logger.WithFields(logrus.Fields{"g": g, "i": i}).Info("user entry")
	})
}

// TestSetSDKLoggerCadence wires the SDK's logs back the documented way at
// the default FlushInterval (see checkSDKLogCadence).
func TestSetSDKLoggerCadence(t *testing.T) {
	t.Parallel()
	srv, s := newShipper(t, func(_ *cwlogtest.Server, c *core.Config) { c.FlushInterval = core.DefaultFlushInterval })
	logger := newLogger(s, nil)
	s.SetSDKLogger(logruscw.NewSDKLogger(logger), aws.LogRequest)
	shiptest.CheckSDKLogCadence(t, srv, s, testGroup, testStream, func() { logger.Info("user entry") })
}

// devNull is io.Discard without logrus recognising it, so the test also
// exercises the logger writing its own output beside the Hook.
type devNull struct{}

func (devNull) Write(p []byte) (int, error) { return len(p), nil }

// TestSDKLogsAreRedacted ships the SDK's logs through a Hook (see
// shiptest.CheckSDKLogsRedacted). The logger is the client's own, set
// before the Shipper exists, not SetSDKLogger's: the signing logs checked
// there follow only the client's.
func TestSDKLogsAreRedacted(t *testing.T) {
	logger := shiptest.QuietLogrus()
	shiptest.CheckSDKLogsRedacted(t, logruscw.NewSDKLogger(logger), func(s *core.Shipper) {
		logger.AddHook(logruscw.NewHook(s, nil))
		logger.Info("user entry")
	})
}
