package main

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// Result holds every run of one benchmark: the values of each unit, in
// the order the runs were printed.
type Result struct {
	Pkg  string // import path, from the "pkg:" line before it
	Name string // full name without the -GOMAXPROCS suffix
	// Values maps a unit ("ns/op", "allocs/op", "events/s") to its values.
	Values map[string][]float64
	// Units lists the units in the order they first appeared.
	Units []string
}

// Output is what Parse found in the output of go test -bench.
type Output struct {
	Results  []*Result // in order of first appearance
	Failures []string  // "--- FAIL" and "FAIL" lines, and panics
}

// Parse reads the output of go test -bench, possibly of several packages
// and with -count above 1. Lines that are not benchmark results are
// skipped, except failures, which are collected.
func Parse(r io.Reader) (*Output, error) {
	out := &Output{}
	byKey := map[string]*Result{}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimSpace(strings.TrimPrefix(line, "pkg: "))
			continue
		case strings.HasPrefix(trimmed, "--- FAIL"), strings.HasPrefix(line, "FAIL"), strings.HasPrefix(line, "panic:"):
			out.Failures = append(out.Failures, trimmed)
			continue
		}
		name, values, units, ok := parseLine(line)
		if !ok {
			continue
		}
		key := pkg + " " + name
		res := byKey[key]
		if res == nil {
			res = &Result{Pkg: pkg, Name: name, Values: map[string][]float64{}}
			byKey[key] = res
			out.Results = append(out.Results, res)
		}
		for i, u := range units {
			if _, seen := res.Values[u]; !seen {
				res.Units = append(res.Units, u)
			}
			res.Values[u] = append(res.Values[u], values[i])
		}
	}
	return out, sc.Err()
}

// parseLine parses one result line:
//
//	BenchmarkLog/slogcw/serial-2   1000   1234 ns/op   8 B/op   1 allocs/op
func parseLine(line string) (name string, values []float64, units []string, ok bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
		return "", nil, nil, false
	}
	if _, err := strconv.ParseUint(f[1], 10, 64); err != nil {
		return "", nil, nil, false
	}
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return "", nil, nil, false
		}
		values = append(values, v)
		units = append(units, f[i+1])
	}
	return trimProcs(f[0]), values, units, true
}

// trimProcs removes the -GOMAXPROCS suffix go test adds to names.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i == len(name)-1 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}
