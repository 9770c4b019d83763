package zapcw_test

import (
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/cwlog/cwlog/internal/benchutil"
	"github.com/cwlog/cwlog/zapcw"
)

// logOne logs the benchmark's record: a message and five fields.
func logOne(l *zap.Logger) {
	l.Info("request served",
		zap.String("path", "/api/v1/items"),
		zap.Int("status", 200),
		zap.Float64("ratio", 0.25),
		zap.Bool("cached", true),
		zap.Duration("took", 1234*time.Microsecond),
	)
}

// BenchmarkLog compares, in one run, zap's own JSON core writing to
// io.Discard with a zapcw core, using the same encoder configuration,
// feeding a Shipper that uploads, through the real SDK client, to the
// local endpoint while the loop runs. ns/op is the timed loop; the Shipper
// is closed after it, every event must be delivered, and e2e-ns/op,
// cpu-ns/op and delivered-in-loop-% carry the cost of the uploads (see
// benchutil.Meter.Finish).
//
// In "zapcw" the endpoint runs in a child process, as CloudWatch runs
// outside the application; "zapcw-endpoint-in-process" also charges the
// endpoint's heap, garbage collection and CPU to the benchmark.
// "zap-json-discard-beside-busy-core" is the baseline beside another
// goroutine's work (benchutil.BusyCore): a control for what the machine
// charges the loop for any work done at the same time. In
// "zapcw-uploads-stalled" no upload completes while the loop runs
// (benchutil.EndpointStalled): a diagnostic of the adapter's own cost.
func BenchmarkLog(b *testing.B) {
	impls := []struct {
		name     string
		endpoint func(*testing.B) *cloudwatchlogs.Client // nil: the baseline
		busy     bool                                    // beside benchutil.BusyCore
	}{
		{"zap-json-discard", nil, false},
		{"zap-json-discard-beside-busy-core", nil, true},
		{"zapcw", benchutil.EndpointProcess, false},
		{"zapcw-endpoint-in-process", benchutil.EndpointInProcess, false},
		{"zapcw-uploads-stalled", benchutil.EndpointStalled, false},
	}
	for _, impl := range impls {
		for _, mode := range []string{"serial", "parallel"} {
			b.Run(impl.name+"/"+mode, func(b *testing.B) {
				var s *benchutil.Shipper
				var c zapcore.Core
				if impl.endpoint == nil {
					enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
					c = zapcore.NewCore(enc, zapcore.AddSync(io.Discard), zap.InfoLevel)
				} else {
					s = benchutil.NewShipper(b, impl.endpoint(b))
					c = zapcw.NewCore(s.Shipper, nil, zap.InfoLevel)
				}
				l := zap.New(c)
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
