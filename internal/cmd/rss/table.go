package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// TableConfig is a matrix of configurations to measure.
type TableConfig struct {
	Buffers, Sizes, Limits, Policies string // comma-separated
	Extra                            string // more rows: policy:buffer:size[:flag...], comma-separated
	Runs                             int
	Args                             []string // flags every run takes
}

// row is one configuration of a table, and its results.
type row struct {
	policy       string
	buffer, size int64
	limit        memLimit
	args         []string // flags of this row alone
	results      []*Result
}

func (r *row) limitBytes() int64 {
	if r.limit.Unset {
		return 0
	}
	return r.limit.bytes(r.buffer)
}

func splitList(s string) []string {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// rows returns the configurations of tc, in the order of the table.
func (tc TableConfig) rows() ([]*row, error) {
	var limits []memLimit
	for _, v := range splitList(tc.Limits) {
		l, err := parseLimit(v)
		if err != nil {
			return nil, err
		}
		limits = append(limits, l)
	}
	var rows []*row
	addRows := func(policy, buffer, size string, args []string) error {
		if _, err := parsePolicy(policy); err != nil {
			return err
		}
		b, err := parseSize(buffer)
		if err != nil {
			return err
		}
		sz, err := parseSize(size)
		if err != nil {
			return err
		}
		for _, l := range limits {
			rows = append(rows, &row{policy: policy, buffer: b, size: sz, limit: l, args: args})
		}
		return nil
	}
	for _, p := range splitList(tc.Policies) {
		for _, b := range splitList(tc.Buffers) {
			for _, sz := range splitList(tc.Sizes) {
				if err := addRows(p, b, sz, nil); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, e := range splitList(tc.Extra) {
		f := strings.Split(e, ":")
		if len(f) < 3 {
			return nil, fmt.Errorf("bad -extra row %q: want policy:buffer:size[:flag...]", e)
		}
		if err := addRows(f[0], f[1], f[2], f[3:]); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// runTable measures every configuration of tc Runs times, one process per
// run, and writes the table to w; progress goes to log. The runs go round
// the configurations, so that a machine whose load drifts weighs on each
// alike.
func runTable(w, log io.Writer, tc TableConfig) error {
	rows, err := tc.rows()
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	for i := range tc.Runs {
		for _, r := range rows {
			res, err := runOnce(exe, r, append(slices.Clip(tc.Args), r.args...))
			if err != nil {
				return fmt.Errorf("%s %s %s GOMEMLIMIT %s: %w", r.policy, formatSize(r.buffer), formatSize(r.size), r.limit, err)
			}
			r.results = append(r.results, res)
			fmt.Fprintf(log, "run %d/%d: %-10s %6s %6s GOMEMLIMIT %-8s peak RSS %7.1f MiB (%.2fx), heap %7.1f MiB, %d collections, GC %.0f%% of CPU\n",
				i+1, tc.Runs, r.policy, formatSize(r.buffer), formatSize(r.size), limitText(r.limitBytes()),
				mib(res.PeakRSS), res.Ratio(), mib(res.PeakHeap()), res.FullCPU.Cycles, 100*res.FullCPU.GCFraction())
		}
	}
	render(w, rows, tc)
	return nil
}

func limitText(n int64) string {
	if n == 0 {
		return "unset"
	}
	return formatSize(n)
}

// runOnce measures r in a new process: this program, given r as flags and
// its GOMEMLIMIT in the environment.
func runOnce(exe string, r *row, args []string) (*Result, error) {
	cmd := exec.Command(exe, append([]string{"-json",
		"-policy=" + r.policy,
		"-buffer=" + strconv.FormatInt(r.buffer, 10),
		"-msgsize=" + strconv.FormatInt(r.size, 10),
	}, args...)...)
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "GOMEMLIMIT=") })
	if n := r.limitBytes(); n > 0 {
		env = append(env, "GOMEMLIMIT="+strconv.FormatInt(n, 10))
	}
	cmd.Env = env
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var res Result
	if err := json.NewDecoder(bytes.NewReader(out)).Decode(&res); err != nil {
		return nil, fmt.Errorf("reading the result: %w", err)
	}
	return &res, nil
}

// stat is the median and the largest of a figure over a row's runs.
type stat struct{ median, max float64 }

func summarize(vs []float64) stat {
	s := slices.Clone(vs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stat{m, s[len(s)-1]}
}

func (r *row) stat(f func(*Result) float64) stat {
	vs := make([]float64, len(r.results))
	for i, res := range r.results {
		vs[i] = f(res)
	}
	return summarize(vs)
}

// render writes the table of rows as Markdown: each figure as the median
// and, in parentheses, the largest of the runs.
func render(w io.Writer, rows []*row, tc TableConfig) {
	fmt.Fprintf(w, "Median (largest) of %d runs, each in a process of its own; flags %q. Growth is the peak RSS less the RSS before the Shipper was created.\n\n", tc.Runs, tc.Args)
	fmt.Fprintln(w, "| Policy | BufferLimit | Message | GOMEMLIMIT | Peak RSS MiB | RSS / BufferLimit | Growth / BufferLimit | Peak Go heap MiB | Live heap MiB | Collections while full | GC share of CPU while full | GC CPU ms/s while full | Process CPU ms/s while full |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		rssMiB := r.stat(func(x *Result) float64 { return mib(x.PeakRSS) })
		ratio := r.stat(func(x *Result) float64 { return x.Ratio() })
		growth := r.stat(func(x *Result) float64 { return x.Growth() })
		heap := r.stat(func(x *Result) float64 { return mib(x.PeakHeap()) })
		live := r.stat(func(x *Result) float64 { return mib(x.PeakLive()) })
		cycles := r.stat(func(x *Result) float64 { return float64(x.FullCPU.Cycles) })
		gc := r.stat(func(x *Result) float64 { return 100 * x.FullCPU.GCFraction() })
		gcRate := r.stat(func(x *Result) float64 { return 1000 * x.FullCPU.GC / x.FullTime.Seconds() })
		cpuRate := r.stat(func(x *Result) float64 { return 1000 * x.FullCPU.Process / x.FullTime.Seconds() })
		policy := r.policy
		if len(r.args) > 0 {
			policy += " " + strings.Join(r.args, " ")
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.0f (%.0f) | %.2f× (%.2f×) | %.2f× (%.2f×) | %.0f (%.0f) | %.0f (%.0f) | %.0f (%.0f) | %.0f%% (%.0f%%) | %.0f (%.0f) | %.0f (%.0f) |\n",
			policy, formatSize(r.buffer), formatSize(r.size), limitText(r.limitBytes()),
			rssMiB.median, rssMiB.max, ratio.median, ratio.max, growth.median, growth.max, heap.median, heap.max, live.median, live.max,
			cycles.median, cycles.max, gc.median, gc.max, gcRate.median, gcRate.max, cpuRate.median, cpuRate.max)
	}
}
