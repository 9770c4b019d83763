package zapcw_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
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
		shiptest.TinyBuffer(c)
		c.FullPolicy = core.Block
		c.MaxBackoff = 20 * time.Millisecond
	})
	l := zap.New(zapcw.NewCore(s, nil, zap.DebugLevel))
	l.Info("kept", zapcw.InternalMark)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A full buffer sends what it holds at once: keep failing that
		// upload, so that the buffer stays full.
		srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
		for range 3 {
			l.Info("over the limit", zapcw.InternalMark)
			l.With(zapcw.InternalMark).DPanic("flushes unless marked")
		}
	}()
	shiptest.Within(t, 10*time.Second, done, "a marked entry waited for room in the buffer")
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
// shiptest.StartSelfLogging), with SetSDKLogger: the client itself logs
// nowhere.
func TestSDKLogsThroughCoreDoNotDeadlock(t *testing.T) {
	srv, s := shiptest.StartSelfLogging(t, testGroup, testStream, logging.Nop{})
	logger := zap.New(zapcw.NewCore(s, nil, zap.DebugLevel))
	s.SetSDKLogger(zapcw.NewSDKLogger(logger), aws.LogRetries|aws.LogRequest|aws.LogResponse)
	shiptest.CheckSelfLogging(t, srv, s, testGroup, testStream, func(g, i int) {
		logger.Info("user entry", zap.Int("g", g), zap.Int("i", i))
	})
}

// TestSetSDKLoggerCadence wires the SDK's logs back the documented way at
// the default FlushInterval (see checkSDKLogCadence).
func TestSetSDKLoggerCadence(t *testing.T) {
	t.Parallel()
	srv, s := newShipper(t, func(c *core.Config) { c.FlushInterval = core.DefaultFlushInterval })
	logger := zap.New(zapcw.NewCore(s, nil, zap.DebugLevel))
	s.SetSDKLogger(zapcw.NewSDKLogger(logger), aws.LogRequest)
	shiptest.CheckSDKLogCadence(t, srv, s, testGroup, testStream, func() { logger.Info("user entry") })
}

// TestSDKLogsAreRedacted ships the SDK's logs through a zapcw core (see
// shiptest.CheckSDKLogsRedacted). The logger is the client's own, set
// before the Shipper exists, not SetSDKLogger's: the signing logs checked
// there follow only the client's.
func TestSDKLogsAreRedacted(t *testing.T) {
	late := &shiptest.LateCore{}
	logger := zap.New(late)
	shiptest.CheckSDKLogsRedacted(t, zapcw.NewSDKLogger(logger), func(s *core.Shipper) {
		late.Set(zapcw.NewCore(s, nil, zap.DebugLevel))
		logger.Info("user entry")
	})
}
