package slogcw_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/internal/benchutil"
	"github.com/cwlog/cwlog/slogcw"
)

// logOne logs the benchmark's record: a message and five attributes.
func logOne(l *slog.Logger) {
	l.Info("request served",
		"path", "/api/v1/items",
		"status", 200,
		"ratio", 0.25,
		"cached", true,
		"took", 1234*time.Microsecond)
}

// BenchmarkLog compares, in one run, slog's JSON handler writing to
// io.Discard with this handler feeding a Shipper that uploads, through the
// real SDK client, to the local endpoint while the loop runs. ns/op is the
// timed loop; the Shipper is closed after it, every event must be
// delivered, and e2e-ns/op, cpu-ns/op and delivered-in-loop-% carry the
// cost of the uploads (see benchutil.Meter.Finish).
//
// In "slogcw" the endpoint runs in a child process, as CloudWatch runs
// outside the application; "slogcw-endpoint-in-process" also charges the
// endpoint's heap, garbage collection and CPU to the benchmark.
// "slog-json-discard-beside-busy-core" is the baseline beside another
// goroutine's work (benchutil.BusyCore): a control for what the machine
// charges the loop for any work done at the same time. In
// "slogcw-uploads-stalled" no upload completes while the loop runs
// (benchutil.EndpointStalled): a diagnostic of the adapter's own cost.
func BenchmarkLog(b *testing.B) {
	impls := []struct {
		name     string
		endpoint func(*testing.B) *cloudwatchlogs.Client // nil: the baseline
		busy     bool                                    // beside benchutil.BusyCore
	}{
		{"slog-json-discard", nil, false},
		{"slog-json-discard-beside-busy-core", nil, true},
		{"slogcw", benchutil.EndpointProcess, false},
		{"slogcw-endpoint-in-process", benchutil.EndpointInProcess, false},
		{"slogcw-uploads-stalled", benchutil.EndpointStalled, false},
	}
	for _, impl := range impls {
		for _, mode := range []string{"serial", "parallel"} {
			b.Run(impl.name+"/"+mode, func(b *testing.B) {
				var s *benchutil.Shipper
				var h slog.Handler
				if impl.endpoint == nil {
					h = slog.NewJSONHandler(io.Discard, nil)
				} else {
					s = benchutil.NewShipper(b, impl.endpoint(b))
					h = slogcw.NewHandler(s.Shipper, nil)
				}
				l := slog.New(h)
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
