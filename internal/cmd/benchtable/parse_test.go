package main

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func parseSample(t *testing.T) *Output {
	t.Helper()
	f, err := os.Open("testdata/sample.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func findResult(t *testing.T, out *Output, pkg, name string) *Result {
	t.Helper()
	for _, r := range out.Results {
		if strings.HasSuffix(r.Pkg, "/"+pkg) && r.Name == name {
			return r
		}
	}
	t.Fatalf("no result %s %s", pkg, name)
	return nil
}

func TestParseSample(t *testing.T) {
	out := parseSample(t)
	// 10 core, 8 slogcw, 6 zapcw, 8 logruscw sub-benchmarks.
	if got := len(out.Results); got != 32 {
		t.Errorf("got %d results, want 32", got)
	}
	if len(out.Failures) != 0 {
		t.Errorf("failures in a passing run: %q", out.Failures)
	}

	r := findResult(t, out, "slogcw", "BenchmarkLog/slogcw/serial")
	if r.Pkg != "github.com/cwlog/cwlog/slogcw" {
		t.Errorf("pkg %q", r.Pkg)
	}
	want := map[string][]float64{
		"ns/op":               {2751, 2129},
		"cpu-ns/op":           {3591, 3381},
		"delivered-in-loop-%": {20.23, 17.19},
		"e2e-ns/op":           {4763, 4178},
		"B/op":                {621, 680},
		"allocs/op":           {1, 1},
	}
	for unit, vs := range want {
		if !slices.Equal(r.Values[unit], vs) {
			t.Errorf("%s: got %v, want %v", unit, r.Values[unit], vs)
		}
	}
	wantUnits := []string{"ns/op", "cpu-ns/op", "delivered-in-loop-%", "e2e-ns/op", "B/op", "allocs/op"}
	if !slices.Equal(r.Units, wantUnits) {
		t.Errorf("units %v, want %v", r.Units, wantUnits)
	}

	// The same name in two packages stays two results.
	findResult(t, out, "zapcw", "BenchmarkLog/zapcw/serial")
	if m := findResult(t, out, "core", "BenchmarkBufferedMemory"); !slices.Equal(m.Values["heap/msgbyte"], []float64{1.185, 1.185}) {
		t.Errorf("heap/msgbyte %v", m.Values["heap/msgbyte"])
	}
}

func TestParseSkipsAndFailures(t *testing.T) {
	in := `goos: linux
pkg: example.com/a
BenchmarkX/one-8    	 100	 12.5 ns/op	 0 B/op	 0 allocs/op
BenchmarkX/one-8
    x_test.go:12: a log line
BenchmarkX/one-8    	 200	 11.5 ns/op	 0 B/op	 0 allocs/op
BenchmarkNoProcs 	 10	 3 ns/op
BenchmarkBad-8 	 ten	 3 ns/op
--- FAIL: BenchmarkX/two-8
    x_test.go:20: not every event delivered
FAIL
exit status 1
FAIL	example.com/a	1.2s
`
	out, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range out.Results {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, []string{"BenchmarkX/one", "BenchmarkNoProcs"}) {
		t.Errorf("results %q", names)
	}
	if got := out.Results[0].Values["ns/op"]; !slices.Equal(got, []float64{12.5, 11.5}) {
		t.Errorf("ns/op %v", got)
	}
	if len(out.Failures) != 3 || !strings.HasPrefix(out.Failures[0], "--- FAIL: BenchmarkX/two-8") {
		t.Errorf("failures %q", out.Failures)
	}
}

func TestTrimProcs(t *testing.T) {
	for in, want := range map[string]string{
		"BenchmarkLog/slogcw/serial-2":          "BenchmarkLog/slogcw/serial",
		"BenchmarkLatencyBound/raw-sdk-chained": "BenchmarkLatencyBound/raw-sdk-chained",
		"BenchmarkX/concurrency-4-16":           "BenchmarkX/concurrency-4",
		"BenchmarkX-":                           "BenchmarkX-",
		"BenchmarkX":                            "BenchmarkX",
	} {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSummarize(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []float64
		want Summary
	}{
		{"one", []float64{5}, Summary{Median: 5, Min: 5, Max: 5, N: 1}},
		{"odd", []float64{9, 1, 5}, Summary{Median: 5, Min: 1, Max: 9, N: 3}},
		{"even", []float64{4, 1, 10, 2}, Summary{Median: 3, Min: 1, Max: 10, N: 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := summarize(tc.in)
			if !ok || got != tc.want {
				t.Errorf("got %+v %v, want %+v", got, ok, tc.want)
			}
		})
	}
	if _, ok := summarize(nil); ok {
		t.Error("summary of no values")
	}
}
