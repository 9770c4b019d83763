package zapcw_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/zapcw"
)

// TestSyncTimeout stalls every PutLogEvents for 3 s and checks how long
// Sync, and a DPanic entry's flush, wait with Options.SyncTimeout set.
// Returning has no work of its own once the wait ends (Flush selects on
// the context), so each must return within the timeout plus 1 s for
// scheduling under the race detector: well before the stall ends, and
// before the 10 s default.
func TestSyncTimeout(t *testing.T) {
	const (
		stall   = 3 * time.Second
		timeout = 200 * time.Millisecond
		margin  = time.Second
	)
	tests := []struct {
		name    string
		timeout time.Duration
		call    func(*zap.Logger) error
		wantErr error // nil: returns nil at once
	}{
		{"sync", timeout, (*zap.Logger).Sync, context.DeadlineExceeded},
		{"dpanic", timeout, func(l *zap.Logger) error { l.DPanic("severe"); return nil }, nil},
		{"sync, negative", -1, (*zap.Logger).Sync, nil},
		{"dpanic, negative", -1, func(l *zap.Logger) error { l.DPanic("severe"); return nil }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, s := newShipper(t, noTimer)
			srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Delay: stall})
			defer srv.ClearFaults() // before the Shipper's Close, at cleanup
			var errOut syncBuffer
			c := zapcw.NewCoreWithOptions(s, nil, nil, &zapcw.Options{SyncTimeout: tt.timeout})
			logger := zap.New(c, zap.ErrorOutput(&errOut))
			logger.Info("queued")

			start := time.Now()
			err := tt.call(logger)
			took := time.Since(start)

			if !errors.Is(err, tt.wantErr) && (tt.wantErr != nil || err != nil) {
				t.Errorf("returned %v, want %v", err, tt.wantErr)
			}
			wantMin := max(tt.timeout, 0)
			if took < wantMin || took > wantMin+margin {
				t.Errorf("returned after %v, want within [%v, %v] (the endpoint stalls for %v)", took, wantMin, wantMin+margin, stall)
			}
			if tt.name == "dpanic" && errOut.String() == "" {
				t.Error("the timed-out flush after DPanic was not reported to zap's ErrorOutput")
			}
		})
	}
}

// TestSyncDefaultOutlastsStall checks that the default bound is not
// shortened: a core made with nil Options, or the zero Options, waits
// through a stall of 2×300 ms (the first upload finds no stream, which is
// then created, and the batch resent: two stalled calls) and delivers.
func TestSyncDefaultOutlastsStall(t *testing.T) {
	const stall = 300 * time.Millisecond
	for name, opts := range map[string]*zapcw.Options{"nil": nil, "zero": {}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, s := newShipper(t, noTimer)
			srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Delay: stall})
			logger := zap.New(zapcw.NewCoreWithOptions(s, nil, zapcore.InfoLevel, opts))
			logger.Info("queued")
			start := time.Now()
			if err := logger.Sync(); err != nil {
				t.Fatalf("Sync through a %v stall: %v", stall, err)
			}
			if took := time.Since(start); took < stall {
				t.Errorf("Sync returned after %v, before the stalled upload could end", took)
			}
			if n := srv.EventCount(testGroup, testStream); n != 1 {
				t.Errorf("stored %d events when Sync returned, want 1", n)
			}
		})
	}
}

// TestSyncTimeoutAfterClose checks that a negative SyncTimeout also skips
// the Shipper's ErrClosed: Sync then does nothing at all.
func TestSyncTimeoutAfterClose(t *testing.T) {
	_, s := newShipper(t, nil)
	c := zapcw.NewCoreWithOptions(s, nil, nil, &zapcw.Options{SyncTimeout: -1})
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(); err != nil {
		t.Errorf("Sync with a negative SyncTimeout after Close = %v, want nil", err)
	}
	if err := zapcw.NewCore(s, nil, nil).Sync(); !errors.Is(err, core.ErrClosed) {
		t.Errorf("Sync with the default SyncTimeout after Close = %v, want core.ErrClosed", err)
	}
}
