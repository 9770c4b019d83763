package core

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/logging"
)

// SetSDKLogger routes the AWS SDK's own logs of the Shipper's calls, those
// mode selects, to l: usually an adapter's NewSDKLogger over a logger that
// writes into this same Shipper. It breaks the circle of a client built
// with a logger that needs the Shipper that needs the client: build the
// client, the Shipper and the logger, then call SetSDKLogger. Calls of the
// Shipper's that start later use l; a nil l stops the routing. Signing
// logs (aws.LogSigning) are set up by a client when it is built, from its
// own Logger, and cannot be routed this way. The adapters tell these logs apart (IsInternal) and never wait for room for
// them, so an upload cannot wait on its own logs.
func (s *Shipper) SetSDKLogger(l logging.Logger, mode aws.ClientLogMode) {
	if l == nil {
		s.sdkLog.Store(nil)
		return
	}
	s.sdkLog.Store(&sdkLog{logger: l, mode: mode})
}

type sdkLog struct {
	logger logging.Logger
	mode   aws.ClientLogMode
}

// callOptions are the options of every call of the Shipper's. They turn
// off the SDK's retries: on top of the Shipper's they would multiply
// attempts, hide failures from OnError, ignore the backoff, and in a long
// storm exhaust the client-wide retry quota, failing the application's
// other calls. And they apply SetSDKLogger's logger.
func (s *Shipper) callOptions(o *cloudwatchlogs.Options) {
	o.RetryMaxAttempts = 1
	if l := s.sdkLog.Load(); l != nil {
		o.Logger, o.ClientLogMode = l.logger, l.mode
	}
}
