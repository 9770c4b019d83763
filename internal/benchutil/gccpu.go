package benchutil

import "runtime/metrics"

// gcCPUMetrics are the runtime's estimates of the CPU time its garbage
// collector has used: in all, and the part taken from goroutines made to
// assist marking as they allocate. The runtime adds to them at the end of
// each cycle, so over a loop of many cycles they are close.
var gcCPUMetrics = [...]string{
	"/cpu/classes/gc/total:cpu-seconds",
	"/cpu/classes/gc/mark/assist:cpu-seconds",
}

// gcCPU returns the collector's CPU time so far, in all and in assists,
// in nanoseconds.
func gcCPU() (total, assist float64) {
	var s [len(gcCPUMetrics)]metrics.Sample
	for i, name := range gcCPUMetrics {
		s[i].Name = name
	}
	metrics.Read(s[:])
	for i := range s {
		if s[i].Value.Kind() != metrics.KindFloat64 {
			return 0, 0
		}
	}
	return s[0].Value.Float64() * 1e9, s[1].Value.Float64() * 1e9
}
