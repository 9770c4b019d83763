// Package core is the engine behind every cwlog adapter: it turns events into
// CloudWatch Logs PutLogEvents calls that the service accepts.
//
// A [Shipper] owns one log group and one log stream. [Shipper.Add] validates
// and sizes an event and queues it without any network I/O and without
// calling user code; one worker goroutine per Shipper lets a partial batch
// wait up to FlushInterval to fill, sorts queued events by time, cuts
// batches that keep every PutLogEvents limit, and uploads them with sequence
// tokens chained from one call to the next. Throttling, server faults and
// network errors are retried with jittered exponential backoff until the
// batch is delivered or the Shipper is closed; a missing group or stream is
// created and the batch resent. A second goroutine hands every failure to
// Config.OnError, one at a time. Nothing is dropped without being counted in
// [Stats] and reported.
//
//	adapter ──Add──▶ queue ──take (full, due, Flush, Close)──▶ worker
//	  (never waits on I/O,        (BufferLimit bytes,        │ sort, cut,
//	   never calls OnError)        FullPolicy when full)      │ PutLogEvents,
//	                                                          │ retry
//	                 OnError ◀── reporter goroutine ◀──reports┘
//
// The slog, logrus and zap adapters (packages slogcw, logruscw and zapcw)
// encode records and call Add; they share this package's guarantees.
package core
