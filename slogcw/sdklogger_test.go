package slogcw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/logging"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/internal/testutil"
	"github.com/cwlog/cwlog/slogcw"
)

type ctxKey struct{}

// ctxHandler records each record with the value of its context's ctxKey.
type ctxHandler struct {
	slog.Handler
	seen *[]any
}

func (h ctxHandler) Handle(ctx context.Context, r slog.Record) error {
	*h.seen = append(*h.seen, ctx.Value(ctxKey{}))
	return h.Handler.Handle(ctx, r)
}

func TestSDKLoggerLevelsAndContext(t *testing.T) {
	var buf bytes.Buffer
	var seen []any
	h := ctxHandler{slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), &seen}
	sdk := slogcw.NewSDKLogger(slog.New(h))
	cl, ok := sdk.(logging.ContextLogger)
	if !ok {
		t.Fatal("NewSDKLogger does not implement logging.ContextLogger")
	}
	ctx := context.WithValue(context.Background(), ctxKey{}, "call-1")
	for _, c := range []struct {
		class logging.Classification
		level string
	}{{logging.Warn, "WARN"}, {logging.Debug, "DEBUG"}, {"", "INFO"}} {
		buf.Reset()
		seen = seen[:0]
		cl.WithContext(ctx).Logf(c.class, "attempt %d of %s", 2, "PutLogEvents")
		var rec map[string]any
		if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
			t.Fatalf("%q: logged %q: %v", c.class, buf.String(), err)
		}
		if rec["level"] != c.level || rec["msg"] != "attempt 2 of PutLogEvents" {
			t.Errorf("%q: logged %v, want level %s", c.class, rec, c.level)
		}
		if len(seen) != 1 || seen[0] != "call-1" {
			t.Errorf("%q: handler saw contexts %v, want the SDK call's", c.class, seen)
		}
	}
	buf.Reset()
	slogcw.NewSDKLogger(slog.New(slog.NewJSONHandler(&buf, nil))).Logf(logging.Debug, "%v", "hidden")
	if buf.Len() != 0 {
		t.Errorf("logged %q below the logger's level", buf.String())
	}
}

// TestSDKLogsThroughHandlerDoNotDeadlock routes the SDK's own logs of the
// Shipper's uploads into the slog logger that feeds the Shipper (see
// shiptest.StartSelfLogging).
func TestSDKLogsThroughHandlerDoNotDeadlock(t *testing.T) {
	h := &lateHandler{}
	logger := slog.New(h)
	stream := newStream()
	srv, s := shiptest.StartSelfLogging(t, testGroup, stream, slogcw.NewSDKLogger(logger))
	h.set(slogcw.NewHandler(s, &slogcw.Options{Level: slog.LevelDebug}))
	shiptest.CheckSelfLogging(t, srv, s, testGroup, stream, func(g, i int) {
		logger.Info("user entry", "g", g, "i", i)
	})
}

// lateHandler is a slog.Handler set after the logger using it is built:
// the logger must exist before the client it logs for, and the Handler
// after the Shipper that uses that client. Until then it drops records.
type lateHandler struct{ h atomic.Pointer[slog.Handler] }

func (l *lateHandler) set(h slog.Handler) { l.h.Store(&h) }

func (l *lateHandler) Enabled(ctx context.Context, lvl slog.Level) bool {
	h := l.h.Load()
	return h != nil && (*h).Enabled(ctx, lvl)
}

func (l *lateHandler) Handle(ctx context.Context, r slog.Record) error {
	return (*l.h.Load()).Handle(ctx, r)
}

func (l *lateHandler) WithAttrs([]slog.Attr) slog.Handler { panic("not used") }
func (l *lateHandler) WithGroup(string) slog.Handler      { panic("not used") }

// TestSDKLogsAreRedacted ships the SDK's logs of the Shipper's own calls,
// made with recognisable credentials, through a Handler: what the endpoint
// stored must hold the SDK's request dumps and signing logs, but none of
// the credentials and no signature.
func TestSDKLogsAreRedacted(t *testing.T) {
	h := &lateHandler{}
	logger := slog.New(h)
	srv := testutil.Start(t, nil)
	stream := newStream()
	s := newShipper(t, srv, stream, func(c *core.Config) {
		c.Client = srv.Client(recognisableCredentials(slogcw.NewSDKLogger(logger)))
	})
	h.set(slogcw.NewHandler(s, &slogcw.Options{Level: slog.LevelDebug}))
	logger.Info("user entry")
	// The first Flush uploads the entry; the second the SDK's logs of that upload.
	for range 2 {
		if err := s.Flush(context.Background()); err != nil {
			t.Fatalf("Flush: %v", err)
		}
	}
	if err := closeShipper(s); err != nil {
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
