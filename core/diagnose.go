package core

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go"
)

// SetupError reports a failure that will not end by itself: the fix is in
// the program's configuration, its credentials, IAM or the network path.
// Check returns it at once. The Shipper keeps retrying, slowly (IAM can be
// fixed while the program runs), and reports it once per change of cause.
// Its text is "cwlog: Cause; Fix (what the call returned)".
type SetupError struct {
	Op    string // the call that failed, e.g. "PutLogEvents"
	Cause string // what is wrong
	Fix   string // what to do about it
	Err   error  // what the call returned
}

func (e *SetupError) Error() string { return "cwlog: " + e.text() }

// text is the error's message without the "cwlog: " every report starts with.
func (e *SetupError) text() string {
	s := e.Cause
	if e.Fix != "" {
		s += "; " + e.Fix
	}
	if e.Err != nil {
		s += " (" + errorText(e.Err) + ")"
	}
	return s
}

func (e *SetupError) Unwrap() error { return e.Err }

// errorText is err's message as a report quotes it: a *SetupError's
// without its prefix; any other without the words the SDK wraps a failed
// call in ("operation error CloudWatch Logs: PutLogEvents, " and
// "exceeded maximum number of attempts, 1, "), keeping what wraps it.
func errorText(err error) string {
	if se, ok := err.(*SetupError); ok {
		return se.text()
	}
	if err == nil {
		return "<nil>"
	}
	text := err.Error()
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		text = strings.Replace(text, fmt.Sprintf("operation error %s: %s, ", oe.ServiceID, oe.OperationName), "", 1)
	}
	var me *retry.MaxAttemptsError
	if errors.As(err, &me) {
		text = strings.Replace(text, fmt.Sprintf("exceeded maximum number of attempts, %d, ", me.Attempt), "", 1)
	}
	return text
}

// diagnose returns the cause and fix of err, returned by call op, when it
// will not end without a change of configuration, credentials or IAM;
// nil for any other error (throttling, service faults, the network, a
// missing group or stream, which the Shipper creates or waits for).
func (s *Shipper) diagnose(op string, err error) *SetupError {
	if err == nil {
		return nil
	}
	var cause, fix string
	var ae smithy.APIError
	if errors.As(err, &ae) {
		cause, fix = s.diagnoseAPI(op, ae)
	} else {
		cause, fix = s.diagnoseClient(err)
	}
	if cause == "" {
		return nil
	}
	return &SetupError{Op: op, Cause: cause, Fix: fix, Err: err}
}

// The causes and fixes the SDK's and the service's errors do not spell out.
const (
	causeNoRegion = "no AWS region is configured"
	fixNoRegion   = `set AWS_REGION, or region in the ~/.aws/config profile AWS_PROFILE names, or pass config.WithRegion("us-east-1") to config.LoadDefaultConfig`

	causeNoCredentials = "no credentials could be retrieved"
	fixNoCredentials   = "provide one source the default chain of config.LoadDefaultConfig tries, in this order: " +
		"the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with AWS_SESSION_TOKEN for temporary keys); " +
		"a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, as IRSA sets on EKS); " +
		"the shared config and credentials files (~/.aws/config, ~/.aws/credentials) and the profile AWS_PROFILE names, " +
		"with its keys, SSO session (run aws sso login), credential_process or role to assume; " +
		"ECS container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, set by ECS for a task role); " +
		"the EC2 instance profile, read from IMDS"

	causeUnsigned = "requests are sent unsigned: the client has no credentials (nil or aws.AnonymousCredentials)"
	fixUnsigned   = "build the client with cloudwatchlogs.NewFromConfig from config.LoadDefaultConfig, or set Options.Credentials"

	fixRefused = "check which credentials the program picks up (AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/credentials; " +
		"aws sts get-caller-identity names their owner), that the key is active, that temporary keys come with their " +
		"session token, and that the region is enabled for the account"

	causeClock = "the request's time differs from AWS's by more than 5 minutes: the machine's clock is wrong"
	fixClock   = "synchronise the clock (NTP, chrony, or the hypervisor's time sync)"
)

// diagnoseAPI diagnoses an error the endpoint answered with.
func (s *Shipper) diagnoseAPI(op string, ae smithy.APIError) (cause, fix string) {
	code, msg := ae.ErrorCode(), ae.ErrorMessage()
	switch code {
	case "AccessDeniedException", "AccessDenied":
		return s.accessDenied(op, msg)
	case "ExpiredTokenException", "ExpiredToken":
		return "credentials expired: the session of the access key" + s.credentialsInUse() + " has ended",
			"get new temporary credentials (aws sso login, or a new AWS_SESSION_TOKEN), or build the client " +
				"with config.LoadDefaultConfig from a profile or role whose credentials renew themselves"
	case "RequestExpired":
		return causeClock, fixClock
	case "MissingAuthenticationToken", "MissingAuthenticationTokenException":
		if o, ok := s.clientOptions(); ok && o.Credentials != nil {
			return "the endpoint saw no signature although the client signs its requests: the URL may not be " +
					"a CloudWatch Logs endpoint (API Gateway answers so for unknown paths), or a proxy strips the Authorization header",
				"check the endpoint URL (BaseEndpoint, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) and the proxy"
		}
		return causeUnsigned, fixUnsigned
	case "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException",
		"SignatureDoesNotMatch", "IncompleteSignature":
		if region, ok := s.clientRegion(); ok && region == "" {
			return causeNoRegion + ", so requests are signed for none and the endpoint refuses them", fixNoRegion
		}
		return s.credentialsRefused(code, msg)
	}
	return "", ""
}

// credentialsRefused diagnoses credentials the endpoint did not accept.
func (s *Shipper) credentialsRefused(code, msg string) (cause, fix string) {
	switch {
	case strings.Contains(msg, "Signature expired"):
		return causeClock, fixClock
	case strings.Contains(msg, "should be scoped to"):
		return "the request was signed for another region than the endpoint's",
			"make the region (AWS_REGION, config.WithRegion) the one of the endpoint URL (BaseEndpoint, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS)"
	case code == "UnrecognizedClientException" || code == "InvalidClientTokenId":
		return "credentials refused: AWS does not recognise the access key" + s.credentialsInUse(), fixRefused
	}
	return "credentials refused: the signature does not match the access key" + s.credentialsInUse() +
			", so the secret access key is wrong",
		"use the secret created with that access key (AWS_SECRET_ACCESS_KEY, or aws_secret_access_key in the profile)"
}

// accessDenied names the action and resource IAM refused, from the
// service's message "User: P is not authorized to perform: logs:X on
// resource: ARN because ..." when it has them.
func (s *Shipper) accessDenied(op, msg string) (cause, fix string) {
	action := "logs:" + op
	if a, _, _ := strings.Cut(after(msg, "perform: "), " "); strings.HasPrefix(a, "logs:") {
		action = a
	}
	arn, _, _ := strings.Cut(after(msg, "on resource: "), " ")
	if arn == "" {
		arn = s.resource(op)
	}
	who := "the credentials in use"
	if p, _, ok := strings.Cut(after(msg, "User: "), " is not authorized"); ok && p != "" {
		who = p
	}
	cause = "access denied: " + who + " may not call " + action + " on " + arn
	if strings.Contains(msg, "explicit deny") {
		fix = "a policy explicitly denies it (the service's message says which kind: identity-based, " +
			"permissions boundary, service control or VPC endpoint policy); remove or narrow that Deny"
	} else {
		fix = "allow " + action + " on " + arn + " in an IAM policy of that role or user"
		if group, _, ok := strings.Cut(arn, ":log-stream:"); ok {
			fix += " (a Resource of " + group + ":* covers the group and all its streams)"
		}
	}
	return cause, fix + s.createInstead(op)
}

// createInstead is the way around a denied call the Shipper makes only to
// create what is missing.
func (s *Shipper) createInstead(op string) string {
	g, st := shellQuote(s.cfg.LogGroup), shellQuote(s.cfg.LogStream)
	switch op {
	case "CreateLogGroup":
		return "; or create the group beforehand (aws logs create-log-group --log-group-name " + g + ") and set SkipCreateGroup"
	case "CreateLogStream":
		return "; or create the stream beforehand (aws logs create-log-stream --log-group-name " + g +
			" --log-stream-name " + st + ") and set SkipCreateStream"
	case "PutRetentionPolicy":
		return "; or set the retention yourself (aws logs put-retention-policy --log-group-name " + g +
			" --retention-in-days N) and leave RetentionDays zero"
	}
	return ""
}

// after returns what follows the first sep in s, or "".
func after(s, sep string) string {
	_, rest, _ := strings.Cut(s, sep)
	return rest
}

// diagnoseClient diagnoses an error the SDK returned without an answer
// from the endpoint: its configuration, or a connection it cannot trust.
func (s *Shipper) diagnoseClient(err error) (cause, fix string) {
	msg := err.Error()
	var mr *aws.MissingRegionError
	var cert *tls.CertificateVerificationError
	var ue *url.Error
	switch {
	case errors.As(err, &mr) || strings.Contains(msg, "Missing Region"):
		return causeNoRegion, fixNoRegion
	case strings.Contains(msg, "invalid input region"):
		region, _ := s.clientRegion()
		return fmt.Sprintf("%q is not a valid AWS region name", region),
			"use a region code such as us-east-1 or eu-west-1 (aws account list-regions lists them) in AWS_REGION, the profile's region, or config.WithRegion"
	case strings.Contains(msg, "get identity: "):
		return causeNoCredentials, fixNoCredentials
	case errors.As(err, &cert):
		return "the endpoint's TLS certificate is not trusted",
			"if a proxy or firewall inspects TLS, add its CA certificate to the system's trust store (or SSL_CERT_FILE); otherwise check the endpoint URL"
	case errors.As(err, &ue) && strings.Contains(ue.Err.Error(), "unsupported protocol scheme"):
		return fmt.Sprintf("the endpoint URL %q is not a URL", ue.URL),
			"give a full URL such as https://logs.us-east-1.amazonaws.com in BaseEndpoint or AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"
	}
	return "", ""
}

// clientOptions are the Client's options, when it is a *cloudwatchlogs.Client.
func (s *Shipper) clientOptions() (cloudwatchlogs.Options, bool) {
	c, ok := s.cfg.Client.(*cloudwatchlogs.Client)
	if !ok || c == nil {
		return cloudwatchlogs.Options{}, false
	}
	return c.Options(), true
}

// clientRegion is the Client's region, when it is a *cloudwatchlogs.Client.
func (s *Shipper) clientRegion() (string, bool) {
	o, ok := s.clientOptions()
	return o.Region, ok
}

// credentialsInUse describes the access key the Client signs with, as
// " ****WXYZ (from Source)", or "" when that cannot be had at once. Only
// the last 4 characters are shown, as aws configure list shows them.
func (s *Shipper) credentialsInUse() string {
	o, ok := s.clientOptions()
	if !ok || o.Credentials == nil {
		return ""
	}
	// The request was just signed with them: a cache answers at once.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	c, err := o.Credentials.Retrieve(ctx)
	if err != nil || len(c.AccessKeyID) < 4 {
		return ""
	}
	d := " ****" + c.AccessKeyID[len(c.AccessKeyID)-4:]
	if c.Source != "" {
		d += " (from " + c.Source + ")"
	}
	return d
}

// resource is the ARN an IAM policy must allow op on, in the Client's
// region when known, in any account. For calls on the group the service
// checks ARN:log-stream: (its AccessDeniedException says so), which
// ARN:* covers and ARN alone does not.
func (s *Shipper) resource(op string) string {
	region, _ := s.clientRegion()
	if region == "" {
		region = "*"
	}
	arn := "arn:aws:logs:" + region + ":*:log-group:" + s.cfg.LogGroup
	if op == "CreateLogGroup" || op == "PutRetentionPolicy" {
		return arn + ":*"
	}
	return arn + ":log-stream:" + s.cfg.LogStream
}
