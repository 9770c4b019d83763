package zapcw_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
	"github.com/cwlog/cwlog/zapcw"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// BenchmarkZap compares zap's own JSON core writing to io.Discard with a
// zapcw core shipping to a local endpoint that really receives the
// uploads. The Shipper is closed, delivering what is left, inside the
// timed region, so ns/op includes the whole upload cost not overlapped
// with logging; dropped/op counts what the default DropNewest policy gave
// up.
func BenchmarkZap(b *testing.B) {
	setups := []struct {
		name string
		cw   bool
	}{
		{"zap-json-discard", false},
		{"zapcw", true},
	}
	for _, st := range setups {
		for _, parallel := range []bool{false, true} {
			mode := "serial"
			if parallel {
				mode = "parallel"
			}
			b.Run(st.name+"/"+mode, func(b *testing.B) {
				var (
					c   zapcore.Core
					srv *testutil.Server
					s   *core.Shipper
				)
				if st.cw {
					srv, s = benchShipper(b)
					c = zapcw.NewCore(s, nil, zap.InfoLevel)
				} else {
					c = zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(io.Discard), zap.InfoLevel)
				}
				logger := zap.New(c)
				b.ReportAllocs()
				b.ResetTimer()
				if parallel {
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							logOne(logger)
						}
					})
				} else {
					for range b.N {
						logOne(logger)
					}
				}
				if s != nil {
					reportClose(b, srv, s)
				}
			})
		}
	}
}

func logOne(l *zap.Logger) {
	l.Info("request served",
		zap.String("user", "ann"),
		zap.Int("items", 12),
		zap.Float64("ratio", 0.75),
		zap.Bool("cached", true),
		zap.Duration("elapsed", 1500*time.Millisecond),
	)
}

// benchShipper returns a Shipper with default settings uploading to a
// local endpoint that counts events without keeping them.
func benchShipper(b *testing.B) (*testutil.Server, *core.Shipper) {
	b.Helper()
	srv := testutil.Start(b, &testutil.Options{DiscardEvents: true})
	s, err := core.New(core.Config{
		Client:    srv.Client(),
		LogGroup:  testGroup,
		LogStream: testStream,
		OnError:   func(error) {},
	})
	if err != nil {
		b.Fatal(err)
	}
	return srv, s
}

// reportClose closes s and reports what was dropped, checking that the
// endpoint holds every event the Shipper counts as delivered.
func reportClose(b *testing.B, srv *testutil.Server, s *core.Shipper) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		b.Fatalf("Close: %v", err)
	}
	b.StopTimer()
	st := s.Stats()
	if got := srv.EventCount(testGroup, testStream); uint64(got) != st.Delivered {
		b.Fatalf("endpoint holds %d events, Shipper delivered %d", got, st.Delivered)
	}
	if st.Added != uint64(b.N) {
		b.Fatalf("Shipper added %d events for %d entries", st.Added, b.N)
	}
	b.ReportMetric(float64(st.Dropped)/float64(b.N), "dropped/op")
}
