package logruscw_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
)

// BenchmarkLogrus compares plain logrus writing JSON to io.Discard with
// the same logger also shipping through a Hook to a local endpoint that
// really receives the uploads. The Shipper is closed, delivering what is
// left, inside the timed region, so ns/op includes the whole upload cost
// not overlapped with logging; dropped/op counts what the default
// DropNewest policy gave up.
//
// logruscw keeps the logger's JSON formatter, so logrus formats every
// entry twice (once for Out, once in the Hook); logruscw-discardfmt is the
// recommended setup, with the logger's Formatter set to DiscardFormatter.
func BenchmarkLogrus(b *testing.B) {
	setups := []struct {
		name      string
		hook      bool
		formatter logrus.Formatter
	}{
		{"logrus-json-discard", false, &logrus.JSONFormatter{}},
		{"logruscw", true, &logrus.JSONFormatter{}},
		{"logruscw-discardfmt", true, logruscw.DiscardFormatter{}},
	}
	for _, st := range setups {
		for _, parallel := range []bool{false, true} {
			mode := "serial"
			if parallel {
				mode = "parallel"
			}
			b.Run(st.name+"/"+mode, func(b *testing.B) {
				logger := logrus.New()
				logger.SetOutput(io.Discard)
				logger.SetFormatter(st.formatter)
				var s *core.Shipper
				var srv *testutil.Server
				if st.hook {
					srv, s = benchShipper(b)
					logger.AddHook(logruscw.NewHook(s, nil))
				}
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

func logOne(l *logrus.Logger) {
	l.WithFields(logrus.Fields{
		"user":    "ann",
		"items":   12,
		"ratio":   0.75,
		"cached":  true,
		"elapsed": 1500 * time.Millisecond,
	}).Info("request served")
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
