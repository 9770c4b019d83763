// Package zapcw ships zap logs to Amazon CloudWatch Logs.
//
// [NewCore] returns a zapcore.Core that encodes each entry with the
// zapcore.Encoder it is given (zap's production JSON by default) and hands
// the line to a [core.Shipper], which batches and uploads in the
// background; logging never waits on the network. The event's time is the
// entry's. Entries above ErrorLevel (DPanic, Panic, Fatal) are flushed
// before Write returns, since the program may be about to crash, and Sync
// returns once everything written before it is delivered.
//
// Use it alone with zap.New, beside other cores with zapcore.NewTee, or
// under zap.WrapCore.
//
// The AWS SDK's own log output can be sent to a zap logger with
// [NewSDKLogger]. zap entries carry no context, so that logger marks the
// SDK's logs of the Shipper's own calls, and a zapcw core never makes them
// wait for the uploads they describe. Route the SDK's logs only through
// NewSDKLogger into a zapcw logger whose Shipper uses core.Block: any
// other way, an upload could wait for room that only it can free.
package zapcw
