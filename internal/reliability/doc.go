// Package reliability holds the suites that check the promises written in
// GUARANTEES.md at the root of the module: under every fault of the
// matrix, with every awkward input, at the memory limit and at shutdown,
// no event a Shipper accepted is lost silently.
//
// The tests drive the real AWS SDK client against the local CloudWatch
// Logs endpoint of cwlogtest and run with the race detector in CI.
// The package has no code of its own.
package reliability
