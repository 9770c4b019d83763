package writercw_test

import (
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/rs/zerolog"

	"github.com/cwlog/cwlog/internal/benchutil"
	"github.com/cwlog/cwlog/writercw"
)

// logOne logs the benchmark's record: a message and five fields, with the
// time zerolog's Timestamp adds.
func logOne(l *zerolog.Logger) {
	l.Info().
		Str("path", "/api/v1/items").
		Int("status", 200).
		Float64("ratio", 0.25).
		Bool("cached", true).
		Dur("took", 1234*time.Microsecond).
		Msg("request served")
}

// BenchmarkLog compares, in one run, zerolog writing to io.Discard with
// zerolog writing to a Writer that feeds a Shipper uploading, through the
// real SDK client, to the local endpoint while the loop runs. ns/op is the
// timed loop; the Shipper is closed after it, every event must be
// delivered, and e2e-ns/op, cpu-ns/op and delivered-in-loop-% carry the
// cost of the uploads (see benchutil.Meter.Finish).
//
// In "writercw" the endpoint runs in a child process, as CloudWatch runs
// outside the application, and events are timed when written;
// "writercw-timekey" times them by the line's "time" field instead.
// "writercw-endpoint-in-process" also charges the endpoint's heap, garbage
// collection and CPU to the benchmark. "zerolog-discard-beside-busy-core"
// is the baseline beside another goroutine's work (benchutil.BusyCore): a
// control for what the machine charges the loop for any work done at the
// same time. In "writercw-uploads-stalled" no upload completes while the
// loop runs (benchutil.EndpointStalled): a diagnostic of the Writer's own
// cost.
func BenchmarkLog(b *testing.B) {
	impls := []struct {
		name     string
		endpoint func(*testing.B) *cloudwatchlogs.Client // nil: the baseline
		opts     *writercw.Options
		busy     bool // beside benchutil.BusyCore
	}{
		{"zerolog-discard", nil, nil, false},
		{"zerolog-discard-beside-busy-core", nil, nil, true},
		{"writercw", benchutil.EndpointProcess, nil, false},
		{"writercw-timekey", benchutil.EndpointProcess, &writercw.Options{TimeKey: "time"}, false},
		{"writercw-endpoint-in-process", benchutil.EndpointInProcess, nil, false},
		{"writercw-uploads-stalled", benchutil.EndpointStalled, nil, false},
	}
	for _, impl := range impls {
		for _, mode := range []string{"serial", "parallel"} {
			b.Run(impl.name+"/"+mode, func(b *testing.B) {
				var s *benchutil.Shipper
				var out io.Writer = io.Discard
				if impl.endpoint != nil {
					s = benchutil.NewShipper(b, impl.endpoint(b))
					out = writercw.New(s.Shipper, impl.opts)
				}
				l := zerolog.New(out).With().Timestamp().Logger()
				if impl.busy {
					benchutil.BusyCore(b)
				}
				m := benchutil.Start(b, s)
				benchutil.Loop(b, mode == "parallel", func() { logOne(&l) })
				m.Finish(b)
			})
		}
	}
}
