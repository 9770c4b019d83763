package slogcw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
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
// shiptest.StartSelfLogging), with SetSDKLogger: the client itself logs
// nowhere.
func TestSDKLogsThroughHandlerDoNotDeadlock(t *testing.T) {
	stream := newStream()
	srv, s := shiptest.StartSelfLogging(t, testGroup, stream, logging.Nop{})
	logger := slog.New(slogcw.NewHandler(s, &slogcw.Options{Level: slog.LevelDebug}))
	s.SetSDKLogger(slogcw.NewSDKLogger(logger), aws.LogRetries|aws.LogRequest|aws.LogResponse)
	shiptest.CheckSelfLogging(t, srv, s, testGroup, stream, func(g, i int) {
		logger.Info("user entry", "g", g, "i", i)
	})
}

// TestSetSDKLoggerCadence wires the SDK's logs back the documented way at
// the default FlushInterval (see checkSDKLogCadence).
func TestSetSDKLoggerCadence(t *testing.T) {
	t.Parallel()
	srv := cwlogtest.Start(t, nil)
	stream := newStream()
	s := newShipper(t, srv, stream, func(c *core.Config) { c.FlushInterval = core.DefaultFlushInterval })
	logger := slog.New(slogcw.NewHandler(s, &slogcw.Options{Level: slog.LevelDebug}))
	s.SetSDKLogger(slogcw.NewSDKLogger(logger), aws.LogRequest)
	shiptest.CheckSDKLogCadence(t, srv, s, testGroup, stream, func() { logger.Info("user entry") })
}

// TestSDKLogsAreRedacted ships the SDK's logs through a Handler (see
// shiptest.CheckSDKLogsRedacted). The logger is the client's own, set
// before the Shipper exists, not SetSDKLogger's: the signing logs checked
// there follow only the client's.
func TestSDKLogsAreRedacted(t *testing.T) {
	h := &shiptest.LateHandler{}
	logger := slog.New(h)
	shiptest.CheckSDKLogsRedacted(t, slogcw.NewSDKLogger(logger), func(s *core.Shipper) {
		h.Set(slogcw.NewHandler(s, &slogcw.Options{Level: slog.LevelDebug}))
		logger.Info("user entry")
	})
}
