package reliability

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/cwlog/cwlog/slogcw"
	"github.com/cwlog/cwlog/zapcw"
)

// TestSixtyFourLoggersShareOneShipper runs 64 loggers at once, a third
// each of slog, logrus and zap, each a clone carrying its own field, all
// writing to one Shipper. Every record must arrive once, as JSON, with its
// logger's field, in the order that logger wrote it.
func TestSixtyFourLoggersShareOneShipper(t *testing.T) {
	const loggers, each = 64, 500
	srv, s, _ := inputWorld(t, nil, nil)

	slogBase := slog.New(slogcw.NewHandler(s, &slogcw.Options{Level: slog.LevelDebug})).With("adapter", "slog")
	lr := shiptest.QuietLogrus()
	lr.AddHook(logruscw.NewHook(s, nil))
	logrusBase := lr.WithField("adapter", "logrus")
	zapBase := zap.New(zapcw.NewCore(s, nil, zapcore.DebugLevel)).With(zap.String("adapter", "zap"))

	shiptest.Concurrently(loggers, func(l int) {
		switch l % 3 {
		case 0:
			log := slogBase.With("logger", l)
			for i := range each {
				log.Info("record", "id", i)
			}
		case 1:
			log := logrusBase.WithField("logger", l)
			for i := range each {
				log.WithField("id", i).Info("record")
			}
		case 2:
			log := zapBase.With(zap.Int("logger", l))
			for i := range each {
				log.Info("record", zap.Int("id", i))
			}
			if err := log.Sync(); err != nil {
				t.Errorf("zap Sync: %v", err)
			}
		}
	})
	shiptest.Close(t, s)
	checkCalls(t, srv)
	st := s.Stats()
	checkBalanced(t, st)

	next := make([]int, loggers)
	perAdapter := map[string]int{}
	for _, m := range srv.Messages(group, stream) {
		var rec struct {
			Adapter string `json:"adapter"`
			Logger  *int   `json:"logger"`
			ID      *int   `json:"id"`
			Msg     string `json:"msg"`
		}
		if err := json.Unmarshal([]byte(m), &rec); err != nil {
			t.Fatalf("stored %q is not JSON: %v", m, err)
		}
		if rec.Logger == nil || rec.ID == nil || *rec.Logger < 0 || *rec.Logger >= loggers || rec.Msg != "record" {
			t.Fatalf("stored %q lacks its fields", m)
		}
		l := *rec.Logger
		if want := [3]string{"slog", "logrus", "zap"}[l%3]; rec.Adapter != want {
			t.Fatalf("logger %d's record %q carries adapter %q, want %q", l, m, rec.Adapter, want)
		}
		if *rec.ID != next[l] {
			t.Fatalf("logger %d: record %d stored where %d was due (lost, duplicated or reordered)", l, *rec.ID, next[l])
		}
		next[l]++
		perAdapter[rec.Adapter]++
	}
	for l, n := range next {
		if n != each {
			t.Errorf("logger %d: %d of %d records stored", l, n, each)
		}
	}
	if st.Delivered != loggers*each {
		t.Errorf("Delivered %d, want %d", st.Delivered, loggers*each)
	}
	t.Logf("records per adapter: %v", fmt.Sprint(perAdapter))
}
