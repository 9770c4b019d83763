package main

import (
	"fmt"
	"io"
	"math"
	"path"
	"strings"
)

// fixedUnits come first in every table, in this order; a group's other
// units follow in the order they appeared.
var fixedUnits = []string{"ns/op", "B/op", "allocs/op"}

// Render writes one Markdown table per group, then the targets' verdicts.
func Render(w io.Writer, out *Output) {
	gs := Groups(out)
	var verdicts []verdictLine
	for _, g := range gs {
		units := groupUnits(g)
		fmt.Fprintf(w, "### %s %s\n\n", path.Base(g.Pkg), g.Name)
		head := append([]string{"benchmark"}, units...)
		head = append(head, "vs baseline", "verdict")
		writeRow(w, head)
		sep := make([]string, len(head))
		for i := range sep {
			sep[i] = "---"
		}
		writeRow(w, sep)
		for _, r := range g.Rows {
			cells := []string{r.Label()}
			for _, u := range units {
				cells = append(cells, fmtSummary(r, u))
			}
			c := Compare(g, r)
			cells = append(cells, fmtComparison(r, c), fmtVerdict(c))
			writeRow(w, cells)
			if c.Target != nil {
				verdicts = append(verdicts, verdictLine{g: g, r: r, c: c})
			}
		}
		fmt.Fprintln(w)
	}
	if len(verdicts) == 0 {
		return
	}
	fmt.Fprintf(w, "### Targets\n\n")
	writeRow(w, []string{"package", "benchmark", "measured", "verdict"})
	writeRow(w, []string{"---", "---", "---", "---"})
	for _, v := range verdicts {
		name := v.g.Name
		if v.r.Impl != "" || v.r.Mode != "" {
			name += "/" + v.r.Label()
		}
		writeRow(w, []string{path.Base(v.g.Pkg), name, fmtMeasured(v.c), fmtVerdict(v.c)})
	}
	fmt.Fprintln(w)
}

type verdictLine struct {
	g *Group
	r *Row
	c Comparison
}

func groupUnits(g *Group) []string {
	seen := map[string]bool{}
	var units []string
	for _, u := range fixedUnits {
		for _, r := range g.Rows {
			if _, ok := r.Values[u]; ok {
				units = append(units, u)
				seen[u] = true
				break
			}
		}
	}
	for _, r := range g.Rows {
		for _, u := range r.Units {
			if !seen[u] {
				units = append(units, u)
				seen[u] = true
			}
		}
	}
	return units
}

func writeRow(w io.Writer, cells []string) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

// fmtSummary is "median (min–max)", or the median alone when every run
// agreed or there was one.
func fmtSummary(r *Row, unit string) string {
	s, ok := r.Metric(unit)
	if !ok {
		return ""
	}
	if s.Min == s.Max {
		return fmtNum(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", fmtNum(s.Median), fmtNum(s.Min), fmtNum(s.Max))
}

func fmtComparison(r *Row, c Comparison) string {
	switch {
	case c.Target != nil && c.Target.Base == "":
		return "absolute"
	case isBaseline(r.Impl) && c.Target == nil:
		return "baseline"
	case !c.HasRatio:
		return ""
	}
	s := fmt.Sprintf("%.2fx %s of %s", c.Ratio, c.Unit, c.Base.Impl)
	if c.HasExtraAllocs && c.Unit == "ns/op" {
		s += fmt.Sprintf(", %+g allocs", c.ExtraAllocs)
	}
	return s
}

func fmtMeasured(c Comparison) string {
	if c.Target.Base == "" {
		return fmt.Sprintf("%s %s", fmtNum(c.Value), c.Unit)
	}
	if !c.HasRatio {
		return ""
	}
	s := fmt.Sprintf("%.2fx %s of %s", c.Ratio, c.Unit, c.Base.Impl)
	if c.HasExtraAllocs && c.Unit == "ns/op" {
		s += fmt.Sprintf(", %+g allocs", c.ExtraAllocs)
	}
	return s
}

func fmtVerdict(c Comparison) string {
	switch {
	case c.Target == nil:
		return ""
	case c.Pass:
		return "pass (" + c.Why + ")"
	default:
		return "**FAIL** (" + c.Why + ")"
	}
}

// fmtNum prints integers as such and keeps three significant digits of
// smaller fractional figures.
func fmtNum(v float64) string {
	switch a := math.Abs(v); {
	case v == math.Trunc(v) || a >= 1000:
		return fmt.Sprintf("%.0f", v)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}
