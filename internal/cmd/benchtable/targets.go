package main

// Target is one of the project's performance targets: a ratio of a
// sub-benchmark to its baseline in the same group and mode, or an absolute
// figure when Base is empty.
type Target struct {
	Group string // top-level benchmark, such as "BenchmarkLog"
	Impl  string // the sub-benchmark judged, without its mode
	Base  string // the baseline's Impl; empty for an absolute limit
	Unit  string // the metric compared
	// HigherIsBetter makes Limit a minimum instead of a maximum.
	HigherIsBetter bool
	Limit          float64
	// MaxExtraAllocs, when not negative, bounds allocs/op above the
	// baseline's.
	MaxExtraAllocs float64
	// Scaling requires, in parallel mode, a ratio no worse than the serial
	// one (within scalingSlack): the sub-benchmark must not scale worse
	// than its baseline.
	Scaling bool
	// ScalingImpl, when set and measured, is the sub-benchmark whose
	// ratios judge Scaling instead. For the adapters it is the run with
	// uploads stalled: with uploads running, the parallel loop must also
	// give the uploads' CPU up, which the serial one takes from the idle
	// core, so comparing those two measures the uploads, not whether the
	// adapter's calls contend with each other.
	ScalingImpl string
}

// scalingSlack is how much worse the parallel ratio may be than the serial
// one before Scaling fails, as two runs of the same code differ by that
// much on a shared machine.
const scalingSlack = 0.10

const noAllocCheck = -1

var targets = []Target{
	{Group: "BenchmarkLog", Impl: "slogcw", Base: "slog-json-discard", Unit: "ns/op", Limit: 1.3, MaxExtraAllocs: 1, Scaling: true, ScalingImpl: "slogcw-uploads-stalled"},
	{Group: "BenchmarkLog", Impl: "zapcw", Base: "zap-json-discard", Unit: "ns/op", Limit: 1.3, MaxExtraAllocs: 1, Scaling: true, ScalingImpl: "zapcw-uploads-stalled"},
	// No allocation bound for logrus: logrus itself copies the hook list
	// of the entry's level for every entry once any hook is added.
	{Group: "BenchmarkLog", Impl: "logruscw", Base: "logrus-json-discard", Unit: "ns/op", Limit: 1.1, MaxExtraAllocs: noAllocCheck, Scaling: true, ScalingImpl: "logruscw-uploads-stalled"},
	{Group: "BenchmarkPipeline", Impl: "shipper", Base: "raw-sdk", Unit: "events/s", HigherIsBetter: true, Limit: 0.9, MaxExtraAllocs: noAllocCheck},
	{Group: "BenchmarkLatencyBound", Impl: "shipper-chained", Base: "raw-sdk-chained", Unit: "batches/rtt", HigherIsBetter: true, Limit: 0.9, MaxExtraAllocs: noAllocCheck},
	{Group: "BenchmarkLatencyBound", Impl: "shipper-concurrency-4", Base: "shipper-chained", Unit: "batches/rtt", HigherIsBetter: true, Limit: 3, MaxExtraAllocs: noAllocCheck},
	{Group: "BenchmarkBufferedMemory", Unit: "heap/msgbyte", Limit: 1.3, MaxExtraAllocs: noAllocCheck},
	{Group: "BenchmarkFlush", Impl: "shipper", Base: "raw-sdk", Unit: "ns/op", Limit: 1.1, MaxExtraAllocs: noAllocCheck},
}

// targetFor returns the target judging impl in group, or nil.
func targetFor(group, impl string) *Target {
	for i := range targets {
		t := &targets[i]
		if t.Group == group && t.Impl == impl {
			return t
		}
	}
	return nil
}
