// Package zapcw ships zap logs to Amazon CloudWatch Logs.
//
// [NewCore] returns a zapcore.Core that encodes each entry (JSON by
// default) and hands it to a [core.Shipper], which batches and uploads in
// the background; logging never waits on the network. Entries above
// ErrorLevel (DPanic, Panic, Fatal) are flushed before Write returns, since
// the program may be about to crash, and Sync returns once everything
// written before it is delivered.
//
// Use it alone with zap.New, beside other cores with zapcore.NewTee, or
// under zap.WrapCore.
//
// With a nil encoder the core writes zap's production JSON itself, byte
// for byte what zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
// writes, straight into the memory the event is queued in, at about half
// the cost. Entries holding a field it does not write itself (arrays,
// objects, reflected values, Stringers, errors with causes or a verbose
// form, namespaces) go through that encoder instead. An encoder of your
// own is always used as it is.
//
// The AWS SDK's own log output can be sent to a zap logger with
// [NewSDKLogger]. zap entries carry no context, so that logger marks the
// SDK's logs of the Shipper's own calls, and a zapcw core never makes them
// wait for the uploads they describe. Route the SDK's logs only through
// NewSDKLogger into a zapcw logger whose Shipper uses core.Block: any
// other way, an upload could wait for room that only it can free.
package zapcw
