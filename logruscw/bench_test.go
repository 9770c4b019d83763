package logruscw_test

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/sirupsen/logrus"

	"github.com/cwlog/cwlog/internal/benchutil"
	"github.com/cwlog/cwlog/logruscw"
)

// logOne logs the benchmark's record: a message and five fields.
func logOne(l *logrus.Logger) {
	l.WithFields(logrus.Fields{
		"path":   "/api/v1/items",
		"status": 200,
		"ratio":  0.25,
		"cached": true,
		"took":   1234 * time.Microsecond,
	}).Info("request served")
}

// BenchmarkLog compares, in one run, plain logrus formatting JSON to
// io.Discard with logrus shipping through a Hook (formatting JSON itself)
// to a Shipper that uploads, through the real SDK client, to the local
// endpoint while the loop runs. ns/op is the timed loop; the Shipper is
// closed after it, every event must be delivered, and e2e-ns/op,
// cpu-ns/op and delivered-in-loop-% carry the cost of the uploads (see
// benchutil.Meter.Finish).
//
// "logruscw" is the recommended setup: the logger's Out is io.Discard and
// its Formatter DiscardFormatter, so each entry is formatted once, by the
// Hook. "logruscw-double-format" keeps the logger's JSONFormatter, so
// logrus formats each entry twice. In both the endpoint runs in a child
// process, as CloudWatch runs outside the application;
// "logruscw-endpoint-in-process" also charges the endpoint's heap, garbage
// collection and CPU to the benchmark.
// "logrus-json-discard-beside-busy-core" is the baseline beside another
// goroutine's work (benchutil.BusyCore): a control for what the machine
// charges the loop for any work done at the same time. In
// "logruscw-uploads-stalled" no upload completes while the loop runs
// (benchutil.EndpointStalled): a diagnostic of the adapter's own cost.
func BenchmarkLog(b *testing.B) {
	impls := []struct {
		name      string
		endpoint  func(*testing.B) *cloudwatchlogs.Client // nil: the baseline
		formatter logrus.Formatter
		busy      bool // beside benchutil.BusyCore
	}{
		{"logrus-json-discard", nil, &logrus.JSONFormatter{}, false},
		{"logrus-json-discard-beside-busy-core", nil, &logrus.JSONFormatter{}, true},
		{"logruscw", benchutil.EndpointProcess, logruscw.DiscardFormatter{}, false},
		{"logruscw-double-format", benchutil.EndpointProcess, &logrus.JSONFormatter{}, false},
		{"logruscw-endpoint-in-process", benchutil.EndpointInProcess, logruscw.DiscardFormatter{}, false},
		{"logruscw-uploads-stalled", benchutil.EndpointStalled, logruscw.DiscardFormatter{}, false},
	}
	for _, impl := range impls {
		for _, mode := range []string{"serial", "parallel"} {
			b.Run(impl.name+"/"+mode, func(b *testing.B) {
				l := logrus.New()
				l.SetOutput(io.Discard)
				l.SetFormatter(impl.formatter)
				var s *benchutil.Shipper
				if impl.endpoint != nil {
					s = benchutil.NewShipper(b, impl.endpoint(b))
					l.AddHook(logruscw.NewHook(s.Shipper, nil))
				}
				if impl.busy {
					benchutil.BusyCore(b)
				}
				m := benchutil.Start(b, s)
				benchutil.Loop(b, mode == "parallel", func() { logOne(l) })
				m.Finish(b)
			})
		}
	}
}

// BenchmarkFormat measures formatting alone: logrus.JSONFormatter against
// the Hook's own rendering of the same entry, byte for byte the same.
func BenchmarkFormat(b *testing.B) {
	entry := logrus.NewEntry(logrus.New()).WithFields(logrus.Fields{
		"path":   "/api/v1/items",
		"status": 200,
		"ratio":  0.25,
		"cached": true,
		"took":   1234 * time.Microsecond,
	})
	entry.Time, entry.Level, entry.Message = time.Now(), logrus.InfoLevel, "request served"
	b.Run("logrus-json-formatter", func(b *testing.B) {
		f := &logrus.JSONFormatter{}
		var buf bytes.Buffer
		b.ReportAllocs()
		for range b.N {
			buf.Reset()
			entry.Buffer = &buf
			if _, err := f.Format(entry); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("logruscw-render", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, ok := logruscw.RenderJSON(entry); !ok {
				b.Fatal("left to the formatter")
			}
		}
	})
}
