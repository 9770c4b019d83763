package slogcw_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
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

// BenchmarkHandler compares, in one run, slog's JSON handler writing to
// io.Discard with this handler feeding a Shipper that uploads, through the
// real SDK client, to the local endpoint while the benchmark runs. Every
// event must be delivered: the Shipper is closed after the loop and the
// benchmark fails if any was dropped or rejected. delivered-in-loop-% says
// how much of the upload work was done while the clock ran.
//
// In "slogcw" the endpoint runs in a child process, as CloudWatch runs
// outside the application, though it still competes for the machine's
// cores; "slogcw-endpoint-in-process" also charges the endpoint's heap and
// garbage collection to the benchmark. cpu-ns/op is the benchmark
// process's CPU time per record, including the uploads Close finishes
// after the timed loop, and excluding a child process's.
func BenchmarkHandler(b *testing.B) {
	for _, parallel := range []bool{false, true} {
		suffix := ""
		if parallel {
			suffix = "-parallel"
		}
		b.Run("slog-json-discard"+suffix, func(b *testing.B) {
			cpu := processCPU()
			run(b, slog.New(slog.NewJSONHandler(io.Discard, nil)), parallel)
			reportCPU(b, cpu)
		})
		b.Run("slogcw"+suffix, func(b *testing.B) {
			benchShipper(b, startEndpointProcess(b), parallel)
		})
		b.Run("slogcw-endpoint-in-process"+suffix, func(b *testing.B) {
			srv := testutil.Start(b, &testutil.Options{DiscardEvents: true})
			benchShipper(b, srv.Client(), parallel)
		})
	}
}

// benchShipper runs the benchmark through a Shipper uploading with client,
// then closes it and fails unless every event was delivered.
func benchShipper(b *testing.B, client core.API, parallel bool) {
	var asyncErrs atomic.Int64
	s, err := core.New(core.Config{
		Client:        client,
		LogGroup:      "bench",
		LogStream:     "handler",
		FlushInterval: 50 * time.Millisecond,
		BufferLimit:   4 << 30, // the loop may outrun the uploads for a while
		OnError:       func(error) { asyncErrs.Add(1) },
	})
	if err != nil {
		b.Fatal(err)
	}
	cpu := processCPU()
	run(b, slog.New(slogcw.NewHandler(s, nil)), parallel)

	b.StopTimer()
	inLoop := s.Stats().Delivered
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		b.Fatalf("Close: %v", err)
	}
	st := s.Stats()
	if st.Dropped != 0 || st.Rejected != 0 || st.Delivered != uint64(b.N) || asyncErrs.Load() != 0 {
		b.Fatalf("events lost: %d logged, stats %+v, %d async errors", b.N, st, asyncErrs.Load())
	}
	b.ReportMetric(100*float64(inLoop)/float64(b.N), "delivered-in-loop-%")
	reportCPU(b, cpu) // including the uploads finished by Close
}

// reportCPU reports the process's CPU time since start per operation:
// what logging costs the application in all its goroutines, whether or
// not another core was free to run them.
func reportCPU(b *testing.B, start time.Duration) {
	if start != 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}

func run(b *testing.B, l *slog.Logger, parallel bool) {
	b.ReportAllocs()
	b.ResetTimer()
	if !parallel {
		for range b.N {
			logOne(l)
		}
		return
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			logOne(l)
		}
	})
}
