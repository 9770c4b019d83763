package core

import (
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// SetupError reports a failure that will not end by itself: the fix is in
// the program's configuration, its credentials or IAM. The Shipper keeps
// retrying, slowly (IAM can be fixed while the program runs), and reports
// it once per change of cause.
type SetupError struct {
	Op    string // the call that failed, e.g. "PutLogEvents"
	Cause string // what is wrong
	Fix   string // what to do about it
	Err   error  // what the call returned
}

func (e *SetupError) Error() string {
	s := "cwlog: " + e.Cause
	if e.Fix != "" {
		s += "; " + e.Fix
	}
	if e.Err != nil {
		s += " (" + callError(e.Err).Error() + ")"
	}
	return s
}

func (e *SetupError) Unwrap() error { return e.Err }

// diagnose returns the cause and fix of err, returned by call op, when it
// will not end without a change of configuration, credentials or IAM;
// nil for any other error.
func (s *Shipper) diagnose(op string, err error) *SetupError {
	if err == nil {
		return nil
	}
	setup := func(cause, fix string) *SetupError {
		return &SetupError{Op: op, Cause: cause, Fix: fix, Err: err}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDeniedException", "AccessDenied":
			return setup("access denied: the credentials may not call logs:"+op+" on log group "+s.cfg.LogGroup,
				"grant logs:"+op+" on "+s.resource(op)+" to the role or user (see the README's IAM policy)")
		case "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
			"IncompleteSignature", "MissingAuthenticationToken", "SignatureDoesNotMatch":
			return setup("credentials refused: the access key or its secret is not valid here",
				"check the access key, secret and profile the program uses, and that the region is enabled for the account")
		case "ExpiredTokenException", "ExpiredToken", "RequestExpired":
			return setup("credentials expired",
				"renew them (aws sso login, or a credentials provider that refreshes) or check the machine's clock")
		}
		return nil
	}
	var mr *aws.MissingRegionError
	msg := err.Error()
	switch {
	case errors.As(err, &mr) || strings.Contains(msg, "Missing Region"):
		return setup("no AWS region is configured",
			"set AWS_REGION, region in the profile of ~/.aws/config, or config.WithRegion")
	case strings.Contains(msg, "get identity: ") || strings.Contains(msg, "failed to retrieve credentials"):
		return setup("no credentials could be retrieved",
			"set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run with a role (ECS task role, EC2 instance profile, IRSA)")
	}
	return nil
}

// resource is the ARN pattern an IAM policy must allow op on.
func (s *Shipper) resource(op string) string {
	arn := "arn:aws:logs:*:*:log-group:" + s.cfg.LogGroup
	if op == "CreateLogGroup" || op == "PutRetentionPolicy" {
		return arn
	}
	return arn + ":log-stream:" + s.cfg.LogStream
}

// callError is err without the wrappers the SDK adds to every failed call
// (the operation's name, and "exceeded maximum number of attempts, 1" for
// the SDK retries the Shipper turns off), for reports that say themselves
// what was called and which attempt it was.
func callError(err error) error {
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	var me *retry.MaxAttemptsError
	if errors.As(err, &me) {
		err = me.Err
	}
	return err
}
