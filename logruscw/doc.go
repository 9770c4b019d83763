// Package logruscw ships logrus entries to Amazon CloudWatch Logs: a
// [Hook] formats each entry (as logrus.JSONFormatter by default) and hands
// it to a [core.Shipper]. The Hook does not stop the logger writing to its
// Out; when CloudWatch is the only destination:
//
//	logger := logrus.New()
//	logger.SetOutput(io.Discard)
//	logger.SetFormatter(logruscw.DiscardFormatter{})
//	logger.AddHook(logruscw.NewHook(shipper, nil))
package logruscw
