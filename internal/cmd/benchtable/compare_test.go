package main

import (
	"bytes"
	"fmt"
	"math"
	"path"
	"strings"
	"testing"
)

func sampleGroup(t *testing.T, pkg, name string) *Group {
	t.Helper()
	for _, g := range Groups(parseSample(t)) {
		if path.Base(g.Pkg) == pkg && g.Name == name {
			return g
		}
	}
	t.Fatalf("no group %s %s", pkg, name)
	return nil
}

func row(t *testing.T, g *Group, impl, mode string) *Row {
	t.Helper()
	r := g.find(impl, mode)
	if r == nil {
		t.Fatalf("%s has no row %s/%s", g.Name, impl, mode)
	}
	return r
}

func TestGroups(t *testing.T) {
	g := sampleGroup(t, "logruscw", "BenchmarkLog")
	var labels []string
	for _, r := range g.Rows {
		labels = append(labels, r.Label())
	}
	want := "logrus-json-discard/serial logrus-json-discard/parallel logruscw/serial logruscw/parallel " +
		"logruscw-double-format/serial logruscw-double-format/parallel " +
		"logruscw-endpoint-in-process/serial logruscw-endpoint-in-process/parallel"
	if got := strings.Join(labels, " "); got != want {
		t.Errorf("rows %s\nwant %s", got, want)
	}
	add := sampleGroup(t, "core", "BenchmarkAdd")
	if r := add.Rows[0]; r.Impl != "" || r.Mode != "serial" || r.Label() != "serial" {
		t.Errorf("BenchmarkAdd/serial: impl %q mode %q", r.Impl, r.Mode)
	}
	mem := sampleGroup(t, "core", "BenchmarkBufferedMemory")
	if r := mem.Rows[0]; r.Label() != "-" {
		t.Errorf("BenchmarkBufferedMemory label %q", r.Label())
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-3 }

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		pkg, group, impl, mode string
		base                   string // "" when there is no baseline
		ratio, extraAllocs     float64
		judged, pass           bool
		why                    string // part of Why
	}{
		// Each ratio is the median of the two rounds' ratios. slogcw serial:
		// rounds 2751/1629 and 2129/1151.
		{"slogcw", "BenchmarkLog", "slogcw", "serial", "slog-json-discard", (2751/1629.0 + 2129/1151.0) / 2, 0, true, false, "1.77x > 1.3x"},
		// zapcw parallel, and worse than serial's 1692/844.9 and 2946/613.2.
		{"zapcw", "BenchmarkLog", "zapcw", "parallel", "zap-json-discard", (3093/767.2 + 3629/771.8) / 2, 1, true, false, "parallel 4.37x vs serial 3.40x"},
		// Not a target: compared on ns/op with the group's baseline, not judged.
		{"slogcw", "BenchmarkLog", "slogcw-endpoint-in-process", "serial", "slog-json-discard", (2148/1629.0 + 1137/1151.0) / 2, 0, false, false, ""},
		{"slogcw", "BenchmarkEncode", "slogcw-encode", "", "slog-json-discard", (531.4/806.7 + 844.4/1172.0) / 2, 0, false, false, ""},
		// Higher is better.
		{"core", "BenchmarkLatencyBound", "shipper-chained", "", "raw-sdk-chained", (0.5335/0.687 + 0.5167/0.6537) / 2, 31, true, false, "0.78x < 0.9x"},
		{"core", "BenchmarkLatencyBound", "shipper-concurrency-4", "", "shipper-chained", (1.335/0.5335 + 1.14/0.5167) / 2, -21.5, true, false, "2.35x < 3x"},
		{"core", "BenchmarkPipeline", "shipper", "", "raw-sdk", (489606/499859.0 + 505391/427746.0) / 2, 0, true, true, "≥ 0.9x"},
		{"core", "BenchmarkFlush", "shipper", "", "raw-sdk", (195644/1240835.0 + 266792/201063.0) / 2, 15.5, true, true, "≤ 1.1x"},
	} {
		t.Run(tc.pkg+"/"+tc.group+"/"+tc.impl+"/"+tc.mode, func(t *testing.T) {
			g := sampleGroup(t, tc.pkg, tc.group)
			c := Compare(g, row(t, g, tc.impl, tc.mode))
			if c.Base == nil || c.Base.Impl != tc.base {
				t.Fatalf("base %v, want %s", c.Base, tc.base)
			}
			if !c.HasRatio || !near(c.Ratio, tc.ratio) {
				t.Errorf("ratio %v, want %v", c.Ratio, tc.ratio)
			}
			if !c.HasExtraAllocs || !near(c.ExtraAllocs, tc.extraAllocs) {
				t.Errorf("extra allocs %v, want %v", c.ExtraAllocs, tc.extraAllocs)
			}
			if (c.Target != nil) != tc.judged || c.Pass != tc.pass || !strings.Contains(c.Why, tc.why) {
				t.Errorf("judged %v pass %v why %q; want %v %v %q", c.Target != nil, c.Pass, c.Why, tc.judged, tc.pass, tc.why)
			}
		})
	}
}

func TestCompareAbsoluteAndBaselines(t *testing.T) {
	mem := sampleGroup(t, "core", "BenchmarkBufferedMemory")
	c := Compare(mem, mem.Rows[0])
	if c.Target == nil || !c.Pass || !near(c.Value, 1.185) || c.Base != nil {
		t.Errorf("buffered memory: %+v", c)
	}

	log := sampleGroup(t, "zapcw", "BenchmarkLog")
	if c := Compare(log, row(t, log, "zap-json-discard", "parallel")); c.HasRatio || c.Target != nil {
		t.Errorf("a baseline compared with something: %+v", c)
	}
	add := sampleGroup(t, "core", "BenchmarkAdd")
	if c := Compare(add, add.Rows[0]); c.HasRatio || c.Target != nil {
		t.Errorf("BenchmarkAdd has no baseline: %+v", c)
	}
}

func TestCompareAllocTarget(t *testing.T) {
	in := `pkg: example.com/zapcw
BenchmarkLog/zap-json-discard/serial-2 	100	1000 ns/op	1 allocs/op
BenchmarkLog/zapcw/serial-2 	100	1100 ns/op	3 allocs/op
pkg: example.com/logruscw
BenchmarkLog/logrus-json-discard/serial-2 	100	1000 ns/op	30 allocs/op
BenchmarkLog/logruscw/serial-2 	100	1050 ns/op	32 allocs/op
`
	out, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	gs := Groups(out)
	if c := Compare(gs[0], row(t, gs[0], "zapcw", "serial")); c.Pass || c.Why != "+2 allocs" {
		t.Errorf("zapcw, two allocations more: pass %v, why %q", c.Pass, c.Why)
	}
	// logruscw is bounded on time only.
	if c := Compare(gs[1], row(t, gs[1], "logruscw", "serial")); !c.Pass || !c.HasExtraAllocs || c.ExtraAllocs != 2 {
		t.Errorf("logruscw: %+v", c)
	}
}

func TestPairedRatio(t *testing.T) {
	// Load drifts: the second round ran everything twice as slow. The
	// rounds' ratios are 1.2, 1.2 and 1.3, so 1.2x; the medians apart
	// would give 130/100, 1.3x.
	vs := []float64{120, 240, 130}
	bs := []float64{100, 200, 100}
	if r, ok := pairedRatio(vs, bs); !ok || !near(r, 1.2) {
		t.Errorf("paired: %v %v, want 1.2", r, ok)
	}
	// Unequal runs cannot be paired: the ratio of the medians.
	if r, ok := pairedRatio([]float64{120, 240}, bs); !ok || !near(r, 180.0/100) {
		t.Errorf("unpaired: %v %v, want 1.8", r, ok)
	}
	if _, ok := pairedRatio(nil, bs); ok {
		t.Error("no runs gave a ratio")
	}
}

func TestCompareJudgedAsPrinted(t *testing.T) {
	in := `pkg: example.com/core
BenchmarkFlush/raw-sdk-2 	100	100000 ns/op
BenchmarkFlush/shipper-2 	100	110400 ns/op
pkg: example.com/other
BenchmarkFlush/raw-sdk-2 	100	100000 ns/op
BenchmarkFlush/shipper-2 	100	110600 ns/op
`
	out, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	gs := Groups(out)
	if c := Compare(gs[0], row(t, gs[0], "shipper", "")); !c.Pass {
		t.Errorf("1.104x, printed 1.10x, must meet 1.1x: %q", c.Why)
	}
	if c := Compare(gs[1], row(t, gs[1], "shipper", "")); c.Pass || c.Why != "1.11x > 1.1x" {
		t.Errorf("1.106x, printed 1.11x, must miss 1.1x: %q", c.Why)
	}
}

func TestCompareScalingPass(t *testing.T) {
	in := `pkg: example.com/slogcw
BenchmarkLog/slog-json-discard/serial-2 	100	1000 ns/op	1 allocs/op
BenchmarkLog/slog-json-discard/parallel-2 	100	500 ns/op	1 allocs/op
BenchmarkLog/slogcw/serial-2 	100	1200 ns/op	2 allocs/op
BenchmarkLog/slogcw/parallel-2 	100	640 ns/op	2 allocs/op
`
	out, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	g := Groups(out)[0]
	// 1.28x parallel against 1.2x serial is within the slack.
	if c := Compare(g, row(t, g, "slogcw", "parallel")); !c.Pass || !near(c.Ratio, 1.28) {
		t.Errorf("parallel: %+v", c)
	}
}

func TestRenderSample(t *testing.T) {
	var buf bytes.Buffer
	Render(&buf, parseSample(t))
	got := buf.String()
	for _, want := range []string{
		"### slogcw BenchmarkLog\n",
		"| benchmark | ns/op | B/op | allocs/op | cpu-ns/op | delivered-in-loop-% | e2e-ns/op | vs baseline | verdict |",
		"| slog-json-discard/serial | 1390 (1151–1629) | 8 | 1 | 1328 (1155–1502) |  |  | baseline |  |",
		"| slogcw/serial | 2440 (2129–2751) |",
		"1.77x ns/op of slog-json-discard, +0 allocs | **FAIL** (1.77x > 1.3x) |",
		"| core | BenchmarkBufferedMemory | 1.19 heap/msgbyte | pass (≤ 1.3) |",
		"| core | BenchmarkPipeline/shipper | 1.08x events/s of raw-sdk | pass (≥ 0.9x) |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}

func TestFmtNum(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", 32: "32", 1234.56: "1235", 387.5: "388", 32.5: "32.5", 1.185: "1.19", 0.5251: "0.525",
	} {
		if got := fmtNum(v); got != want {
			t.Errorf("fmtNum(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestCompareScalingOnStalledRows(t *testing.T) {
	in := `pkg: example.com/zapcw
BenchmarkLog/zap-json-discard/serial-2 	100	1000 ns/op	1 allocs/op
BenchmarkLog/zap-json-discard/parallel-2 	100	500 ns/op	1 allocs/op
BenchmarkLog/zapcw/serial-2 	100	1000 ns/op	1 allocs/op
BenchmarkLog/zapcw/parallel-2 	100	640 ns/op	1 allocs/op
BenchmarkLog/zapcw-uploads-stalled/serial-2 	100	1100 ns/op	1 allocs/op
BenchmarkLog/zapcw-uploads-stalled/parallel-2 	100	%d ns/op	1 allocs/op
`
	for _, tc := range []struct {
		stalledParallel int
		pass            bool
		why             string
	}{
		// The shipping rows alone (1.28x against 1.00x) would fail; the
		// stalled rows decide: 1.10x parallel against 1.10x serial.
		{550, true, "scales as baseline (zapcw-uploads-stalled parallel 1.10x vs serial 1.10x)"},
		// 1.30x against 1.10x is beyond the slack.
		{650, false, "zapcw-uploads-stalled parallel 1.30x vs serial 1.10x"},
	} {
		out, err := Parse(strings.NewReader(fmt.Sprintf(in, tc.stalledParallel)))
		if err != nil {
			t.Fatal(err)
		}
		g := Groups(out)[0]
		c := Compare(g, row(t, g, "zapcw", "parallel"))
		if c.Pass != tc.pass || !strings.Contains(c.Why, tc.why) {
			t.Errorf("stalled parallel %d ns: pass %v, why %q; want %v, %q", tc.stalledParallel, c.Pass, c.Why, tc.pass, tc.why)
		}
	}
}
