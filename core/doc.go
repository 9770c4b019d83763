// Package core is the engine behind every cwlog adapter: it turns events
// into PutLogEvents calls that CloudWatch Logs accepts.
//
// A [Shipper] owns one log group and stream. One worker goroutine per
// Shipper sorts the events [Shipper.Add] queued by time, cuts batches
// within every PutLogEvents limit and uploads them, retrying until each is
// delivered or the Shipper closed; another hands failures to OnError.
// Whatever is not delivered is counted in [Stats] and reported.
//
//	adapter ──Add──▶ queue ──take (full, due, Flush, Close)──▶ worker
//	  (never waits on I/O,        (BufferLimit bytes,        │ sort, cut,
//	   never calls OnError)        FullPolicy when full)      │ PutLogEvents,
//	                                                          │ retry
//	                 OnError ◀── reporter goroutine ◀──reports┘
package core
