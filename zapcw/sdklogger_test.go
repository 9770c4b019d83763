package zapcw_test

import (
	"context"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/logging"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/internal/testutil"
	"github.com/cwlog/cwlog/zapcw"
)

func TestSDKLoggerLevels(t *testing.T) {
	obs, logs := observer.New(zap.DebugLevel)
	sdk := zapcw.NewSDKLogger(zap.New(obs).With(zap.String("component", "aws")))
	cl, ok := sdk.(logging.ContextLogger)
	if !ok {
		t.Fatal("NewSDKLogger does not implement logging.ContextLogger")
	}
	for _, c := range []struct {
		class logging.Classification
		level zapcore.Level
	}{{logging.Warn, zap.WarnLevel}, {logging.Debug, zap.DebugLevel}, {"", zap.InfoLevel}} {
		cl.WithContext(context.Background()).Logf(c.class, "attempt %d of %s", 2, "PutLogEvents")
		all := logs.TakeAll()
		if len(all) != 1 {
			t.Fatalf("%q: %d entries logged", c.class, len(all))
		}
		e := all[0]
		if e.Level != c.level || e.Message != "attempt 2 of PutLogEvents" {
			t.Errorf("%q: logged %v %q, want %v", c.class, e.Level, e.Message, c.level)
		}
		if m := e.ContextMap(); m["component"] != "aws" || len(m) != 1 {
			t.Errorf("%q: fields %v, want the logger's own and no mark: the context is not a Shipper's", c.class, m)
		}
	}
}

func TestSDKLoggerSkipsDisabledLevels(t *testing.T) {
	obs, logs := observer.New(zap.InfoLevel)
	zapcw.NewSDKLogger(zap.New(obs)).Logf(logging.Debug, "%v", "hidden")
	if n := logs.Len(); n != 0 {
		t.Errorf("%d entries logged below the logger's level", n)
	}
}

// TestMarkedEntriesNeverWait fills a Block Shipper's buffer while no upload
// can complete: marked entries, as NewSDKLogger logs the Shipper's own
// calls, are dropped instead of waiting, are not flushed above
// ErrorLevel, and the mark itself is never written.
func TestMarkedEntriesNeverWait(t *testing.T) {
	srv, s := newShipper(t, func(c *core.Config) {
		noTimer(c)
		c.FullPolicy = core.Block
		c.MaxMessageBytes = 200
		c.MaxBatchBytes = 226
		c.BufferLimit = 226
		c.MaxBackoff = 20 * time.Millisecond
		c.OnError = func(error) {}
	})
	l := zap.New(zapcw.NewCore(s, nil, zap.DebugLevel))
	l.Info("kept", zapcw.InternalMark)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A full buffer sends what it holds at once: keep failing that
		// upload, so that the buffer stays full.
		srv.SetFault(testutil.OpPutLogEvents, testutil.Fault{Kind: testutil.FaultUnavailable})
		for range 3 {
			l.Info("over the limit", zapcw.InternalMark)
			l.With(zapcw.InternalMark).DPanic("flushes unless marked")
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a marked entry waited for room in the buffer")
	}
	if st := s.Stats(); st.DroppedFull == 0 {
		t.Errorf("nothing dropped: %+v", st)
	}
	srv.ClearFaults()
	flush(t, s)
	got := srv.Messages(testGroup, testStream)
	if len(got) == 0 || !strings.Contains(got[0], `"msg":"kept"`) {
		t.Fatalf("stored %q", got)
	}
	for _, m := range got {
		if strings.Count(m, `":`) != 3 { // level, ts, msg
			t.Errorf("stored %s: the mark was written", m)
		}
	}
}

// TestSDKLogsThroughCoreDoNotDeadlock routes the SDK's own logs of the
// Shipper's uploads into the zap logger that feeds the Shipper (see
// shiptest.StartSelfLogging).
func TestSDKLogsThroughCoreDoNotDeadlock(t *testing.T) {
	// The logger must exist before the client it logs for, and the core
	// after the Shipper that uses that client.
	late := &lateCore{}
	late.set(zapcore.NewNopCore())
	logger := zap.New(late)
	srv, s := shiptest.StartSelfLogging(t, testGroup, testStream, zapcw.NewSDKLogger(logger))
	late.set(zapcw.NewCore(s, nil, zap.DebugLevel))
	shiptest.CheckSelfLogging(t, srv, s, testGroup, testStream, func(g, i int) {
		logger.Info("user entry", zap.Int("g", g), zap.Int("i", i))
	})
}

// lateCore is a zapcore.Core whose implementation is set after the logger
// using it is built.
type lateCore struct{ c atomic.Pointer[zapcore.Core] }

func (l *lateCore) set(c zapcore.Core)                  { l.c.Store(&c) }
func (l *lateCore) core() zapcore.Core                  { return *l.c.Load() }
func (l *lateCore) Enabled(lvl zapcore.Level) bool      { return l.core().Enabled(lvl) }
func (l *lateCore) With(f []zapcore.Field) zapcore.Core { return l.core().With(f) }
func (l *lateCore) Sync() error                         { return l.core().Sync() }
func (l *lateCore) Write(e zapcore.Entry, f []zapcore.Field) error {
	return l.core().Write(e, f)
}
func (l *lateCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	return l.core().Check(e, ce)
}

// TestSDKLogsAreRedacted ships the SDK's logs of the Shipper's own calls,
// made with recognisable credentials, through a zapcw core: what the
// endpoint stored must hold the SDK's request dumps and signing logs, but
// none of the credentials and no signature.
func TestSDKLogsAreRedacted(t *testing.T) {
	late := &lateCore{}
	late.set(zapcore.NewNopCore())
	logger := zap.New(late)
	srv, s := shiptest.Start(t, testGroup, testStream, func(srv *testutil.Server, c *core.Config) {
		c.Client = srv.Client(recognisableCredentials(zapcw.NewSDKLogger(logger)))
	})
	late.set(zapcw.NewCore(s, nil, zap.DebugLevel))
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
