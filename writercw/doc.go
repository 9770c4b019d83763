// Package writercw ships what line-writing loggers write, zerolog's and the
// standard library's [log] among them, to Amazon CloudWatch Logs: [New]
// returns an [io.Writer] that hands each line written to it to a
// [core.Shipper] as one event, without its line ending.
//
//	w := writercw.New(shipper, &writercw.Options{TimeKey: "time"})
//	logger := zerolog.New(w).With().Timestamp().Logger()
//	std := log.New(w, "", 0) // timed when written: no TimeKey in its lines
//
// Each event is timed when its line is written, or, with Options.TimeKey,
// by a field of a JSON line. zerolog writes its time field in whole
// seconds by default; set zerolog.TimeFieldFormat to
// zerolog.TimeFormatUnixMs or time.RFC3339Nano to keep the milliseconds
// CloudWatch stores.
//
// Write returns no error for an event the Shipper drops for want of room:
// the Shipper counts it and reports it to OnError, where zerolog would
// print every failed Write to standard error. Close the Writer before the
// Shipper, so that a line not yet ended is sent.
//
// A Writer sees bytes and no context, so it cannot tell the AWS SDK's
// logs of the Shipper's own calls from others. To ship those, pass another
// adapter's NewSDKLogger (slogcw, zapcw, logruscw) to
// [core.Shipper.SetSDKLogger]; a client whose own logger wrote to a Writer
// on the same Shipper under core.Block could wait for room that only the
// upload it logs would free.
package writercw
