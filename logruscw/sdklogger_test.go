package logruscw_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/logging"
	"github.com/cwlog/cwlog/core"
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

// TestSDKLogsThroughHookDoNotDeadlock routes the SDK's own request,
// response and retry logs of the Shipper's uploads into the logger that
// feeds the Shipper. The Shipper blocks when full and its buffer is tiny,
// so a Hook that waited on the Shipper from inside an upload would wait for
// itself forever.
func TestSDKLogsThroughHookDoNotDeadlock(t *testing.T) {
	srv := testutil.Start(t, nil)
	// Some failed calls make the SDK log retries too.
	srv.SetFaultRate(testutil.OpPutLogEvents, 0.1, testutil.Fault{Kind: testutil.FaultThrottle})

	logger := logrus.New()
	logger.SetOutput(devNull{})
	logger.SetFormatter(logruscw.DiscardFormatter{})
	logger.SetLevel(logrus.DebugLevel)

	client := srv.Client(func(o *cloudwatchlogs.Options) {
		o.Logger = logruscw.NewSDKLogger(logger)
		o.ClientLogMode = aws.LogRetries | aws.LogRequest | aws.LogResponse
	})
	s, err := core.New(core.Config{
		Client:          client,
		LogGroup:        testGroup,
		LogStream:       testStream,
		FlushInterval:   10 * time.Millisecond,
		FullPolicy:      core.Block,
		MaxMessageBytes: 2048,
		MaxBatchBytes:   4096,
		BufferLimit:     8 << 10,
		MinBackoff:      time.Millisecond,
		MaxBackoff:      5 * time.Millisecond,
		OnError:         func(error) {},
	})
	if err != nil {
		t.Fatal(err)
	}
	logger.AddHook(logruscw.NewHook(s, nil))

	const goroutines, each = 4, 250
	done := make(chan error, 1)
	go func() {
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					logger.WithFields(logrus.Fields{"g": g, "i": i}).Info("user entry")
				}
			}()
		}
		wg.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		ferr := s.Flush(ctx)
		done <- errors.Join(ferr, s.Close(ctx))
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Flush/Close: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("logging, Flush and Close did not finish in 30s: deadlock")
	}

	var user, sdk int
	for _, m := range srv.Messages(testGroup, testStream) {
		switch {
		case strings.Contains(m, `"msg":"user entry"`):
			user++
		case strings.Contains(m, `"msg":"Request\n`), strings.Contains(m, `"msg":"Response\n`), strings.Contains(m, "retrying request"):
			sdk++
		}
	}
	if user != goroutines*each {
		t.Errorf("stored %d user entries, want %d (the Block policy drops none)", user, goroutines*each)
	}
	if sdk == 0 {
		t.Error("no SDK log entry was stored")
	}
	st := s.Stats()
	if st.Added != st.Delivered+st.Dropped+st.Rejected {
		t.Errorf("stats do not add up: %+v", st)
	}
	t.Logf("user entries %d, SDK entries stored %d, SDK entries dropped %d", user, sdk, st.Dropped)
}

// devNull is io.Discard without logrus recognising it, so the test also
// exercises the logger writing its own output beside the Hook.
type devNull struct{}

func (devNull) Write(p []byte) (int, error) { return len(p), nil }
