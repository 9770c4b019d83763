package reliability

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/cwlog/cwlog/zapcw"
)

func TestCloseDuringStormReturnsByDeadlineAndCountsTheRest(t *testing.T) {
	for _, tc := range []struct {
		name string
		pct  int // of PutLogEvents calls throttled during Close
	}{
		{"every call throttled", 100},
		{"90% throttled", 90},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := cwlogtest.Start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy})
			srv.CreateStream(group, stream)
			errs := &errorLog{}
			cfg := config(srv.Client(), errs)
			cfg.MaxBatchEvents = 1000
			s := shiptest.New(t, cfg)
			before := produce(s, "before", 10_000, matrixWriters)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if err := s.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			cancel()
			srv.SetFaultFunc(everyNth(tc.pct, throttle))
			during := produce(s, "during", 50_000, matrixWriters)

			const deadline = 2 * time.Second
			ctx, cancel = context.WithTimeout(context.Background(), deadline)
			defer cancel()
			start := time.Now()
			err := s.Close(ctx)
			took := time.Since(start)
			if took > deadline+300*time.Millisecond {
				t.Errorf("Close took %v with a %v deadline", took, deadline)
			}
			st := s.Stats()
			checkBalanced(t, st)
			var ue *core.UndeliveredError
			if !errors.As(err, &ue) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Close = %v, want an UndeliveredError wrapping DeadlineExceeded", err)
			}
			if uint64(ue.Count) != st.DroppedClose || st.DroppedFull != 0 || st.Rejected != 0 {
				t.Errorf("Close reported %d undelivered; Stats %+v", ue.Count, st)
			}
			stored := srv.Messages(group, stream)
			vb, vd := judge(before, stored), judge(during, stored)
			if vb.missing != 0 || vb.duplicates != 0 || vd.duplicates != 0 || vd.unknown != 0 {
				t.Errorf("before Close: %+v; during: %+v", vb, vd)
			}
			// Every event is stored or counted as undelivered. A call the
			// endpoint stored just as Close gave up on it is the one way an
			// event can be both: at most one batch.
			overlap := len(stored) - int(st.Delivered)
			if uint64(len(stored))+st.DroppedClose < st.Added || overlap < 0 || overlap > cfg.MaxBatchEvents {
				t.Errorf("stored %d, Delivered %d, undelivered %d, Added %d", len(stored), st.Delivered, st.DroppedClose, st.Added)
			}
			if tc.pct == 100 && (ue.Count != 50_000 || len(stored) != 10_000) {
				t.Errorf("undelivered %d, stored %d; want 50000 and 10000", ue.Count, len(stored))
			}
			t.Logf("%s: Close returned after %v: %d delivered during Close, %d undelivered, %d stored and also reported undelivered",
				tc.name, took.Round(time.Millisecond), vd.stored, ue.Count, overlap)
		})
	}
}

// shutdownWorld is a Shipper on an endpoint that throttles 30% of the
// uploads, so that delivering before exit takes retries.
func shutdownWorld(t *testing.T) (*cwlogtest.Server, *core.Shipper) {
	srv := cwlogtest.Start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy})
	srv.CreateStream(group, stream)
	srv.SetFaultFunc(everyNth(30, throttle))
	cfg := config(srv.Client(), &errorLog{})
	cfg.FlushInterval = time.Hour // only the exit path may deliver
	cfg.MaxBatchEvents = 100
	return srv, shiptest.New(t, cfg)
}

func TestLogrusFatalDeliversBeforeExit(t *testing.T) {
	srv, s := shutdownWorld(t)
	log := shiptest.QuietLogrus()
	log.AddHook(logruscw.NewHook(s, nil))
	storedAtExit := -1
	log.ExitFunc = func(int) { storedAtExit = srv.EventCount(group, stream) }
	for i := range 2000 {
		log.WithField("id", i).Info("working")
	}
	log.Fatal("giving up")
	if storedAtExit != 2001 {
		t.Fatalf("%d events stored when logrus exited, want 2001", storedAtExit)
	}
	if msgs := srv.Messages(group, stream); !strings.Contains(msgs[len(msgs)-1], "giving up") {
		t.Fatalf("last stored %q, want the fatal entry", msgs[len(msgs)-1])
	}
	shiptest.Close(t, s)
	checkCalls(t, srv)
}

func TestLogrusPanicDeliversBeforePanicking(t *testing.T) {
	srv, s := shutdownWorld(t)
	log := shiptest.QuietLogrus()
	log.AddHook(logruscw.NewHook(s, nil))
	storedAtPanic := shiptest.AtPanic(t, func() {
		for i := range 2000 {
			log.WithField("id", i).Info("working")
		}
		log.Panic("cannot go on")
	}, func() int { return srv.EventCount(group, stream) })
	if storedAtPanic != 2001 {
		t.Fatalf("%d events stored when logrus panicked, want 2001", storedAtPanic)
	}
	shiptest.Close(t, s)
	checkCalls(t, srv)
}

// fatalHook records what the endpoint held when zap would have exited.
type fatalHook struct {
	srv    *cwlogtest.Server
	stored int
}

func (h *fatalHook) OnWrite(*zapcore.CheckedEntry, []zapcore.Field) {
	h.stored = h.srv.EventCount(group, stream)
}

func TestZapSyncAndFatalDeliver(t *testing.T) {
	srv, s := shutdownWorld(t)
	hook := &fatalHook{srv: srv, stored: -1}
	log := zap.New(zapcw.NewCore(s, nil, zapcore.DebugLevel), zap.WithFatalHook(hook))
	for i := range 2000 {
		log.Info("working", zap.Int("id", i))
	}
	if err := log.Sync(); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if got := srv.EventCount(group, stream); got != 2000 {
		t.Fatalf("%d events stored when Sync returned, want 2000", got)
	}
	for i := range 500 {
		log.Info("more", zap.Int("id", i))
	}
	log.Fatal("giving up")
	if hook.stored != 2501 {
		t.Fatalf("%d events stored when zap would have exited, want 2501", hook.stored)
	}
	if got := shiptest.AtPanic(t, func() { log.Panic("cannot go on") }, func() int { return srv.EventCount(group, stream) }); got != 2502 {
		t.Fatalf("%d events stored when zap panicked, want 2502", got)
	}
	shiptest.Close(t, s)
	checkCalls(t, srv)
}
