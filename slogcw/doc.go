// Package slogcw is a [log/slog] handler that ships records to Amazon
// CloudWatch Logs through a [core.Shipper]. Each record becomes one event
// timed with the record's time, whose message is the JSON object
// [slog.NewJSONHandler] would write for the same record and options,
// without the newline.
//
// Where slog's JSON handler would write invalid JSON, this handler does
// not: a group that ReplaceAttr empties is dropped with its separator, and
// a [time.Time] whose year is outside [0,9999] is written as the string
// "!ERROR:time.Time year outside of range [0,9999]" (as slog does from Go
// 1.27). Invalid UTF-8 is written as the running Go's encoders write it.
package slogcw
