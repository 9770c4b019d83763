package benchutil_test

import (
	"flag"
	"runtime"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/benchutil"
)

// benchmark runs f with testing.Benchmark and -test.benchtime set to
// benchtime, so that it stays short inside a test.
func benchmark(t *testing.T, benchtime string, f func(b *testing.B)) testing.BenchmarkResult {
	t.Helper()
	fl := flag.Lookup("test.benchtime")
	old := fl.Value.String()
	if err := fl.Value.Set(benchtime); err != nil {
		t.Fatal(err)
	}
	defer fl.Value.Set(old)
	return testing.Benchmark(f)
}

func TestMeterReportsDelivery(t *testing.T) {
	for _, tc := range []struct {
		name     string
		endpoint func(*testing.B) *cloudwatchlogs.Client
		units    []string
	}{
		{"process", benchutil.EndpointProcess, []string{"e2e-ns/op", "delivered-in-loop-%", "cpu-ns/op", "endpoint-cpu-ns/op", "gc-cpu-ns/op", "gc-assist-ns/op"}},
		{"in-process", benchutil.EndpointInProcess, []string{"e2e-ns/op", "delivered-in-loop-%", "cpu-ns/op", "gc-cpu-ns/op", "gc-assist-ns/op"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := benchmark(t, "500x", func(b *testing.B) {
				s := benchutil.NewShipper(b, tc.endpoint(b))
				m := benchutil.Start(b, s)
				benchutil.Loop(b, true, func() {
					if err := s.Add(core.Event{Message: "request served"}); err != nil {
						b.Error(err)
					}
				})
				m.Finish(b)
			})
			if res.N != 500 {
				t.Fatalf("benchmark failed: %+v", res)
			}
			for _, u := range tc.units {
				cpu := u == "cpu-ns/op" || u == "endpoint-cpu-ns/op"
				if cpu && runtime.GOOS == "windows" {
					continue // CPU time is measured on Unix only
				}
				if _, ok := res.Extra[u]; !ok {
					t.Errorf("no %s in %v", u, res.Extra)
				}
			}
			if _, ok := res.Extra["endpoint-cpu-ns/op"]; ok && tc.name == "in-process" {
				t.Error("endpoint CPU reported for an endpoint in this process")
			}
			if e2e := res.Extra["e2e-ns/op"]; e2e <= 0 {
				t.Errorf("e2e-ns/op %v", e2e)
			}
		})
	}
}

func TestMeterFailsOnLoss(t *testing.T) {
	res := benchmark(t, "10x", func(b *testing.B) {
		s := benchutil.NewShipper(b, benchutil.EndpointInProcess(b))
		m := benchutil.Start(b, s)
		benchutil.Loop(b, false, func() {
			s.Add(core.Event{Message: ""}) // rejected: CloudWatch refuses empty messages
		})
		m.Finish(b)
	})
	if res.N != 0 {
		t.Errorf("a run with rejected events passed: %+v", res)
	}
}

func TestMeterBaseline(t *testing.T) {
	res := benchmark(t, "100x", func(b *testing.B) {
		m := benchutil.Start(b, nil)
		benchutil.Loop(b, false, func() {})
		m.Finish(b)
	})
	if res.N != 100 {
		t.Fatalf("baseline failed: %+v", res)
	}
	if _, ok := res.Extra["e2e-ns/op"]; ok {
		t.Errorf("a baseline reported e2e-ns/op: %v", res.Extra)
	}
}

// A loop that collects garbage reports the collector's CPU time, and a
// share of it in assists that is never more than the whole.
func TestMeterReportsGC(t *testing.T) {
	res := benchmark(t, "20x", func(b *testing.B) {
		m := benchutil.Start(b, nil)
		benchutil.Loop(b, false, runtime.GC)
		m.Finish(b)
	})
	if res.N != 20 {
		t.Fatalf("benchmark failed: %+v", res)
	}
	gc, ok := res.Extra["gc-cpu-ns/op"]
	if !ok || gc <= 0 {
		t.Fatalf("gc-cpu-ns/op %v (reported: %t) after a collection per op", gc, ok)
	}
	if assist, ok := res.Extra["gc-assist-ns/op"]; !ok || assist < 0 || assist > gc {
		t.Errorf("gc-assist-ns/op %v (reported: %t), gc-cpu-ns/op %v", assist, ok, gc)
	}
}
