package main

import "slices"

// Summary is the median and range of one metric over a benchmark's runs.
type Summary struct {
	Median, Min, Max float64
	N                int
}

func summarize(vs []float64) (Summary, bool) {
	if len(vs) == 0 {
		return Summary{}, false
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Summary{Median: m, Min: s[0], Max: s[len(s)-1], N: len(s)}, true
}

// Metric returns the summary of unit for r.
func (r *Result) Metric(unit string) (Summary, bool) {
	return summarize(r.Values[unit])
}
