package shiptest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/logging"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

// StartSelfLogging starts an endpoint that throttles a tenth of the
// uploads, so that the SDK logs retries too, and a Shipper on a client
// that logs its requests, responses and retries to sdk. The Shipper
// blocks when full and its buffer holds only a few small batches: when
// sdk leads back to an adapter feeding this Shipper, an adapter that
// waited on it from inside an upload would wait for itself forever.
func StartSelfLogging(t testing.TB, group, stream string, sdk logging.Logger) (*cwlogtest.Server, *core.Shipper) {
	t.Helper()
	srv := cwlogtest.Start(t, nil)
	srv.SetFaultRate(cwlogtest.OpPutLogEvents, 0.1, cwlogtest.Fault{Kind: cwlogtest.FaultThrottle})
	client := srv.Client(func(o *cloudwatchlogs.Options) {
		o.Logger = sdk
		o.ClientLogMode = aws.LogRetries | aws.LogRequest | aws.LogResponse
	})
	cfg := Config(client, group, stream, func(error) {})
	cfg.FullPolicy = core.Block
	cfg.MaxMessageBytes, cfg.MaxBatchBytes, cfg.BufferLimit = 2048, 4096, 8<<10
	cfg.MaxBackoff = 5 * time.Millisecond
	return srv, New(t, cfg)
}

// CheckSelfLogging logs 4×250 entries, each with the message "user entry",
// by calling logUser from four goroutines, then flushes and closes s. It
// fails t if that does not finish within 30 s (a deadlock), if a user
// entry is missing (Block drops none), if no log of the SDK's was stored,
// or if the Shipper's counts do not add up.
func CheckSelfLogging(t testing.TB, srv *cwlogtest.Server, s *core.Shipper, group, stream string, logUser func(g, i int)) {
	t.Helper()
	const goroutines, each = 4, 250
	done := make(chan error, 1)
	go func() {
		Concurrently(goroutines, func(g int) {
			for i := range each {
				logUser(g, i)
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		ferr := s.Flush(ctx)
		done <- errors.Join(ferr, s.Close(ctx))
	}()
	if err := Within(t, 30*time.Second, done, "logging, Flush and Close did not finish in 30s: deadlock"); err != nil {
		t.Fatalf("Flush/Close: %v", err)
	}

	var user, sdk int
	for _, m := range srv.Messages(group, stream) {
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
