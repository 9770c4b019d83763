// Package zapcw ships zap logs to Amazon CloudWatch Logs: [NewCore]
// returns a zapcore.Core, to use alone, with zapcore.NewTee or under
// zap.WrapCore, that hands each encoded entry to a [core.Shipper].
//
// Route the AWS SDK's own logs only through [NewSDKLogger] into a zapcw
// logger whose Shipper uses core.Block: any other way, an upload could
// wait for room that only it can free.
package zapcw
