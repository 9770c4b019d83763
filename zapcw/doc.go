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
// zap entries carry no context, so a zapcw core cannot tell the AWS SDK's
// logs of the Shipper's own uploads from others: do not route the SDK
// logger of the Shipper's client into a zapcw logger whose Shipper uses
// core.Block, or an upload could wait for room that only it can free.
package zapcw
