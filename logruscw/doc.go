// Package logruscw ships logrus entries to Amazon CloudWatch Logs.
//
// A [Hook] formats each entry it fires for (JSON by default) and hands it
// to a [core.Shipper], which batches and uploads in the background; the
// logging call never waits on the network. The default JSON is exactly
// what logrus.JSONFormatter writes, rendered by the Hook itself for entries
// whose fields hold strings, numbers, booleans, durations, times, errors
// or nil, at a fraction of that formatter's cost; other entries go through
// the formatter. Entries at Fatal and Panic level
// are flushed before Fire returns, so they reach CloudWatch before logrus
// exits or panics.
//
// Adding the Hook does not stop the logger writing to its Out. When
// CloudWatch is the only destination, set Out to io.Discard and the
// logger's Formatter to [DiscardFormatter], so logrus does not format every
// entry a second time only to throw the result away:
//
//	logger := logrus.New()
//	logger.SetOutput(io.Discard)
//	logger.SetFormatter(logruscw.DiscardFormatter{})
//	logger.AddHook(logruscw.NewHook(shipper, nil))
//
// The AWS SDK's own log output can be sent to the same logger with
// [NewSDKLogger]; the Hook recognises the records of the Shipper's own API
// calls and never makes them wait for the uploads they describe.
package logruscw
