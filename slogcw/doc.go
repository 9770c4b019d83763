// Package slogcw is a [log/slog] handler that ships records to Amazon
// CloudWatch Logs through a [core.Shipper].
//
// Each record becomes one CloudWatch event whose timestamp is the record's
// time (to the millisecond) and whose message is the JSON object that
// [slog.NewJSONHandler] would write for the same record and options, without
// the trailing newline: same keys and order, same value formats, same
// ReplaceAttr semantics. CloudWatch Logs Insights then discovers every field.
//
// The handler never performs network I/O: Handle encodes the record and
// queues it with [core.Shipper.Add], which returns at once (or waits for room
// only under the Block policy). Uploads happen on the Shipper's worker;
// call [core.Shipper.Close] before the program exits. The AWS SDK's own log
// output can be sent to the same logger with [NewSDKLogger]; the Handler
// recognises the records of the Shipper's own API calls by their context
// and never makes them wait for the uploads they describe.
//
// Where slog's JSON handler would write output that is not valid JSON, this
// handler keeps the message valid instead:
//   - a group that ReplaceAttr empties entirely is dropped together with its
//     separator, so the following attribute still gets its comma and is not
//     reported to ReplaceAttr as inside the dropped group;
//   - a [time.Time] whose year is outside [0,9999], which encoding/json
//     cannot represent, is written only as the string
//     "!ERROR:time.Time year outside of range [0,9999]" (what slog itself
//     writes from Go 1.27 on).
//
// Invalid UTF-8 is written as the running Go's encoders write it: as the
// escape \ufffd before Go 1.27, as the rune U+FFFD from then on.
package slogcw
