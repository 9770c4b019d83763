// Package zapcw ships zap logs to Amazon CloudWatch Logs: [NewCore]
// returns a zapcore.Core, to use alone, with zapcore.NewTee or under
// zap.WrapCore, that hands each encoded entry to a [core.Shipper];
// [NewCoreWithOptions] also bounds how long Sync waits.
//
// To ship the AWS SDK's own logs of the Shipper's calls through a zap
// logger that writes to the same Shipper, pass [NewSDKLogger] over that
// logger to [core.Shipper.SetSDKLogger]. NewSDKLogger marks those entries,
// and a zapcw core queues a marked entry without waiting for room, which
// only the upload being logged could free. The SDK's logs sent there any
// other way are not marked, and, with core.Block, could wait on that
// upload forever.
package zapcw
