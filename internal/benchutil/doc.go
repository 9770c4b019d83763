// Package benchutil holds what the benchmarks share, so that slogcw, zapcw
// and logruscw are measured the same way: a local CloudWatch Logs endpoint
// in a child process that discards what it receives (core's benchmarks
// send to it too), a Shipper sized so that nothing is dropped, and a Meter
// that runs the timed loop and reports what the pipeline behind it cost.
//
// It is imported only by _test.go files.
package benchutil
