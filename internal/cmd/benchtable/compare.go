package main

import (
	"fmt"
	"math"
	"strings"
)

// Row is one sub-benchmark of a group: BenchmarkLog/slogcw/parallel has
// Impl "slogcw" and Mode "parallel"; BenchmarkPipeline/raw-sdk has Impl
// "raw-sdk" and no Mode.
type Row struct {
	*Result
	Impl, Mode string
}

// Label is the row's name within its group; "-" for a benchmark without
// sub-benchmarks.
func (r *Row) Label() string {
	switch {
	case r.Impl == "" && r.Mode == "":
		return "-"
	case r.Impl == "":
		return r.Mode
	case r.Mode == "":
		return r.Impl
	}
	return r.Impl + "/" + r.Mode
}

// Group is a top-level benchmark of one package with its sub-benchmarks.
type Group struct {
	Pkg, Name string
	Rows      []*Row
}

// Groups sorts results into groups, in order of first appearance.
func Groups(out *Output) []*Group {
	var gs []*Group
	index := map[string]*Group{}
	for _, res := range out.Results {
		top, sub, _ := strings.Cut(res.Name, "/")
		key := res.Pkg + " " + top
		g := index[key]
		if g == nil {
			g = &Group{Pkg: res.Pkg, Name: top}
			index[key] = g
			gs = append(gs, g)
		}
		row := &Row{Result: res, Impl: sub}
		if i := strings.LastIndexByte(sub, '/'); i >= 0 && isMode(sub[i+1:]) {
			row.Impl, row.Mode = sub[:i], sub[i+1:]
		} else if isMode(sub) {
			row.Impl, row.Mode = "", sub
		}
		g.Rows = append(g.Rows, row)
	}
	return gs
}

func isMode(s string) bool { return s == "serial" || s == "parallel" }

// find returns the row of g with impl and mode, or nil.
func (g *Group) find(impl, mode string) *Row {
	for _, r := range g.Rows {
		if r.Impl == impl && r.Mode == mode {
			return r
		}
	}
	return nil
}

// isBaseline reports whether impl names a baseline by convention.
func isBaseline(impl string) bool {
	return strings.HasSuffix(impl, "-discard") || strings.HasPrefix(impl, "raw-sdk")
}

// defaultBase returns the baseline of r in g by naming convention.
func (g *Group) defaultBase(r *Row) *Row {
	for _, b := range g.Rows {
		if b != r && b.Mode == r.Mode && isBaseline(b.Impl) {
			return b
		}
	}
	return nil
}

// Comparison is a row measured against its baseline, and judged when a
// target names it.
type Comparison struct {
	Base     *Row    // nil when there is none, or for an absolute target
	Unit     string  // the metric of Ratio
	Ratio    float64 // see pairedRatio
	HasRatio bool
	// ExtraAllocs is allocs/op above the baseline's, when both have them.
	ExtraAllocs    float64
	HasExtraAllocs bool

	Target *Target // nil: no verdict
	Value  float64 // the figure judged: Ratio, or the absolute median
	Pass   bool
	Why    string // what was checked and, on failure, what failed
}

// Compare measures r, a row of g, against its baseline and its target.
func Compare(g *Group, r *Row) Comparison {
	t := targetFor(g.Name, r.Impl)
	var c Comparison
	switch {
	case t != nil && t.Base == "":
		c = Comparison{Unit: t.Unit}
	case t != nil:
		c = ratio(r, g.find(t.Base, r.Mode), t.Unit)
	default:
		if isBaseline(r.Impl) {
			return Comparison{}
		}
		return ratio(r, g.defaultBase(r), "ns/op")
	}
	c.Target = t
	c.judge(g, r)
	return c
}

func ratio(r, base *Row, unit string) Comparison {
	c := Comparison{Base: base, Unit: unit}
	if base == nil {
		return c
	}
	c.Ratio, c.HasRatio = pairedRatio(r.Values[unit], base.Values[unit])
	va, ok1 := r.Metric("allocs/op")
	ba, ok2 := base.Metric("allocs/op")
	if ok1 && ok2 {
		c.ExtraAllocs, c.HasExtraAllocs = va.Median-ba.Median, true
	}
	return c
}

// pairedRatio compares a benchmark's runs vs with its baseline's runs bs.
// When both ran equally often, run i of each came from the same round, so
// the result is the median of the rounds' ratios vs[i]/bs[i]: drift in the
// machine's load between rounds then cancels out. Otherwise it is the
// ratio of the medians.
func pairedRatio(vs, bs []float64) (float64, bool) {
	if len(vs) > 0 && len(vs) == len(bs) {
		rs := make([]float64, 0, len(vs))
		for i := range vs {
			if bs[i] != 0 {
				rs = append(rs, vs[i]/bs[i])
			}
		}
		if m, ok := summarize(rs); ok {
			return m.Median, true
		}
		return 0, false
	}
	v, ok1 := summarize(vs)
	b, ok2 := summarize(bs)
	if !ok1 || !ok2 || b.Median == 0 {
		return 0, false
	}
	return v.Median / b.Median, true
}

func (c *Comparison) judge(g *Group, r *Row) {
	t := c.Target
	var checks, failed []string
	if t.Base == "" {
		s, ok := r.Metric(t.Unit)
		if !ok {
			c.Why = "no " + t.Unit
			return
		}
		c.Value = s.Median
	} else {
		if !c.HasRatio {
			c.Why = "no baseline " + t.Base
			return
		}
		c.Value = c.Ratio
	}
	// Judged as printed, to two decimals: a ratio of 1.102 shows as 1.10x
	// and meets a 1.1x limit, as the runs' spread is far wider anyway.
	shown := math.Round(c.Value*100) / 100
	limit := fmtNum(t.Limit)
	if t.Base != "" {
		limit += "x"
	}
	if t.HigherIsBetter {
		checks = append(checks, "≥ "+limit)
		if shown < t.Limit {
			failed = append(failed, fmt.Sprintf("%s < %s", fmtValue(c.Value, t), limit))
		}
	} else {
		checks = append(checks, "≤ "+limit)
		if shown > t.Limit {
			failed = append(failed, fmt.Sprintf("%s > %s", fmtValue(c.Value, t), limit))
		}
	}
	if t.MaxExtraAllocs >= 0 {
		checks = append(checks, "allocs ≤ +"+fmtNum(t.MaxExtraAllocs))
		if !c.HasExtraAllocs || c.ExtraAllocs > t.MaxExtraAllocs {
			failed = append(failed, fmt.Sprintf("%+g allocs", c.ExtraAllocs))
		}
	}
	if t.Scaling && r.Mode == "parallel" {
		impl, label := r.Impl, ""
		if t.ScalingImpl != "" && g.find(t.ScalingImpl, "parallel") != nil && g.find(t.ScalingImpl, "serial") != nil {
			impl, label = t.ScalingImpl, t.ScalingImpl+" "
		}
		parallel := ratio(g.find(impl, "parallel"), g.find(t.Base, "parallel"), t.Unit)
		serial := ratio(g.find(impl, "serial"), g.find(t.Base, "serial"), t.Unit)
		checks = append(checks, fmt.Sprintf("scales as baseline (%sparallel %.2fx vs serial %.2fx)", label, parallel.Ratio, serial.Ratio))
		if parallel.HasRatio && serial.HasRatio && parallel.Ratio > serial.Ratio*(1+scalingSlack) {
			failed = append(failed, fmt.Sprintf("%sparallel %.2fx vs serial %.2fx", label, parallel.Ratio, serial.Ratio))
		}
	}
	c.Pass = len(failed) == 0
	if c.Pass {
		c.Why = strings.Join(checks, ", ")
	} else {
		c.Why = strings.Join(failed, ", ")
	}
}

func fmtValue(v float64, t *Target) string {
	if t.Base == "" {
		return fmtNum(v)
	}
	return fmt.Sprintf("%.2fx", v)
}
