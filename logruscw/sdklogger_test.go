package logruscw_test

import (
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/logging"
	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/internal/testutil"
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
// shiptest.StartSelfLogging).
func TestSDKLogsThroughHookDoNotDeadlock(t *testing.T) {
	logger := logrus.New()
	logger.SetOutput(devNull{})
	logger.SetFormatter(logruscw.DiscardFormatter{})
	logger.SetLevel(logrus.DebugLevel)
	srv, s := shiptest.StartSelfLogging(t, testGroup, testStream, logruscw.NewSDKLogger(logger))
	logger.AddHook(logruscw.NewHook(s, nil))
	shiptest.CheckSelfLogging(t, srv, s, testGroup, testStream, func(g, i int) {
		logger.WithFields(logrus.Fields{"g": g, "i": i}).Info("user entry")
	})
}

// devNull is io.Discard without logrus recognising it, so the test also
// exercises the logger writing its own output beside the Hook.
type devNull struct{}

func (devNull) Write(p []byte) (int, error) { return len(p), nil }

// TestSDKLogsAreRedacted ships the SDK's logs of the Shipper's own calls,
// made with recognisable credentials, through a Hook: what the endpoint
// stored must hold the SDK's request dumps and signing logs, but none of
// the credentials and no signature.
func TestSDKLogsAreRedacted(t *testing.T) {
	logger := logrus.New()
	logger.SetOutput(io.Discard)
	logger.SetFormatter(logruscw.DiscardFormatter{})
	logger.SetLevel(logrus.DebugLevel)
	srv, s := newShipper(t, func(srv *testutil.Server, c *core.Config) {
		c.Client = srv.Client(recognisableCredentials(logruscw.NewSDKLogger(logger)))
	})
	logger.AddHook(logruscw.NewHook(s, nil))
	logger.Info("user entry")
	// The first Flush uploads the entry; the second the SDK's logs of that upload.
	flush(t, s)
	flush(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	checkRedacted(t, srv)
}

// recognisableCredentials makes a client sign with credentials whose
// parts are easy to find, and log its requests and responses with their
// bodies, its signing and its retries to sdk.
func recognisableCredentials(sdk logging.Logger) func(*cloudwatchlogs.Options) {
	return func(o *cloudwatchlogs.Options) {
		o.Credentials = aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDRECOGNIZABLE123", SecretAccessKey: "SECRETRECOGNIZABLE456", SessionToken: "TOKENRECOGNIZABLE789"}, nil
		}))
		o.ClientLogMode = aws.LogRequestWithBody | aws.LogResponseWithBody | aws.LogSigning | aws.LogRetries
		o.Logger = sdk
	}
}

// signature matches a signature's value, in a header or a query.
var signature = regexp.MustCompile(`(?i)signature=[0-9a-f]{8}`)

// checkRedacted fails t if no SDK request dump or signing log is stored on
// srv, or if any stored event shows a part of recognisableCredentials or
// a signature. (The secret key itself never appears in the SDK's logs.)
func checkRedacted(t *testing.T, srv *testutil.Server) {
	t.Helper()
	var b strings.Builder
	for _, g := range srv.Groups() {
		for _, st := range srv.Streams(g) {
			for _, m := range srv.Messages(g, st) {
				b.WriteString(m + "\n")
			}
		}
	}
	all := b.String()
	for _, want := range []string{
		"POST / HTTP/1.1", "X-Amz-Target: Logs_20140328.PutLogEvents", "CANONICAL STRING",
		"Authorization: AWS4-HMAC-SHA256 REDACTED", "X-Amz-Security-Token: REDACTED", "x-amz-security-token:REDACTED",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no stored event holds %q: the SDK's logs were not stored as expected", want)
		}
	}
	for _, secret := range []string{"AKIDRECOGNIZABLE123", "SECRETRECOGNIZABLE456", "TOKENRECOGNIZABLE789"} {
		if i := strings.Index(all, secret); i >= 0 {
			t.Errorf("stored %q: ...%s...", secret, all[max(0, i-80):min(len(all), i+40)])
		}
	}
	if loc := signature.FindStringIndex(all); loc != nil {
		t.Errorf("stored a signature: ...%s...", all[max(0, loc[0]-80):min(len(all), loc[1]+40)])
	}
}
