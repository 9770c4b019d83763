package core

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/cwlog/cwlog/cwlogtest"
)

const (
	diagGroup  = "app/web"
	diagStream = "host-1"
)

// diagCase makes one call through a real client and says what diagnose
// must make of its error.
type diagCase struct {
	name   string
	client func(t *testing.T, srv *cwlogtest.Server) *cloudwatchlogs.Client
	fault  cwlogtest.FaultKind // injected into every call, if not FaultNone
	op     string              // the call; default PutLogEvents
	err    error               // a hand-built error instead of a call, where no real one can be had
	cause  []string            // substrings of Cause; none: diagnose must return nil
	fix    []string            // substrings of Fix
}

func TestDiagnose(t *testing.T) {
	const denied = "arn:aws:iam::123456789012:user/test may not call "
	const arnStream = "arn:aws:logs:us-east-1:123456789012:log-group:app/web:log-stream:host-1"
	cases := []diagCase{
		{name: "access denied on PutLogEvents", fault: cwlogtest.FaultAccessDenied,
			cause: []string{"access denied: " + denied + "logs:PutLogEvents on " + arnStream},
			fix:   []string{"allow logs:PutLogEvents on " + arnStream, "a Resource of arn:aws:logs:us-east-1:123456789012:log-group:app/web:* covers"}},
		{name: "access denied on CreateLogGroup", fault: cwlogtest.FaultAccessDenied, op: "CreateLogGroup",
			cause: []string{denied + "logs:CreateLogGroup on arn:aws:logs:us-east-1:123456789012:log-group:app/web:log-stream:"},
			fix:   []string{"allow logs:CreateLogGroup", "aws logs create-log-group --log-group-name app/web", "SkipCreateGroup"}},
		{name: "access denied on CreateLogStream", fault: cwlogtest.FaultAccessDenied, op: "CreateLogStream",
			cause: []string{denied + "logs:CreateLogStream on " + arnStream},
			fix:   []string{"aws logs create-log-stream --log-group-name app/web --log-stream-name host-1", "SkipCreateStream"}},
		{name: "access denied on PutRetentionPolicy", fault: cwlogtest.FaultAccessDenied, op: "PutRetentionPolicy",
			cause: []string{"logs:PutRetentionPolicy"},
			fix:   []string{"aws logs put-retention-policy --log-group-name app/web", "RetentionDays zero"}},
		{name: "access denied without a resource",
			err:   &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: logs:PutLogEvents"},
			cause: []string{"arn:aws:sts::1:assumed-role/r/s may not call logs:PutLogEvents on arn:aws:logs:us-east-1:*:log-group:app/web:log-stream:host-1"},
			fix:   []string{"allow logs:PutLogEvents on arn:aws:logs:us-east-1:*:log-group:app/web:log-stream:host-1"}},
		{name: "access denied on a group without a resource", op: "CreateLogGroup",
			err:   &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access denied"},
			cause: []string{"the credentials in use may not call logs:CreateLogGroup on arn:aws:logs:us-east-1:*:log-group:app/web:*"},
			fix:   []string{"allow logs:CreateLogGroup on arn:aws:logs:us-east-1:*:log-group:app/web:*", "aws logs create-log-group"}},
		{name: "access denied explicitly",
			err: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: logs:PutLogEvents on resource: " +
				arnStream + " with an explicit deny in a service control policy"},
			cause: []string{"access denied", arnStream},
			fix:   []string{"explicitly denies", "remove or narrow that Deny"}},
		{name: "unrecognized client", fault: cwlogtest.FaultUnrecognizedClient,
			cause: []string{"credentials refused: AWS does not recognise the access key ****TEST (from cwlogtest)"},
			fix:   []string{"aws sts get-caller-identity", "region is enabled"}},
		{name: "invalid signature", fault: cwlogtest.FaultInvalidSignature,
			cause: []string{"credentials refused", "****TEST", "secret access key is wrong"},
			fix:   []string{"AWS_SECRET_ACCESS_KEY"}},
		{name: "expired token", fault: cwlogtest.FaultExpiredToken,
			cause: []string{"credentials expired: the session of the access key ****TEST (from cwlogtest) has ended"},
			fix:   []string{"aws sso login", "AWS_SESSION_TOKEN", "config.LoadDefaultConfig"}},
		{name: "unsigned", fault: cwlogtest.FaultMissingToken,
			client: func(t *testing.T, srv *cwlogtest.Server) *cloudwatchlogs.Client {
				return srv.Client(func(o *cloudwatchlogs.Options) { o.Credentials = aws.AnonymousCredentials{} })
			},
			cause: []string{"requests are sent unsigned"},
			fix:   []string{"config.LoadDefaultConfig", "Options.Credentials"}},
		{name: "signature lost on the way", fault: cwlogtest.FaultMissingToken,
			cause: []string{"saw no signature although the client signs"},
			fix:   []string{"endpoint URL", "proxy"}},
		{name: "refused for want of a region", fault: cwlogtest.FaultInvalidSignature,
			client: func(t *testing.T, srv *cwlogtest.Server) *cloudwatchlogs.Client {
				return srv.Client(func(o *cloudwatchlogs.Options) { o.Region = "" })
			},
			cause: []string{causeNoRegion, "signed for none"},
			fix:   []string{"AWS_REGION", "config.WithRegion"}},
		{name: "signature expired",
			err:   &smithy.GenericAPIError{Code: "InvalidSignatureException", Message: "Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z (20260101T001000Z - 5 min.)"},
			cause: []string{"clock is wrong"}, fix: []string{"NTP"}},
		{name: "request expired",
			err:   &smithy.GenericAPIError{Code: "RequestExpired", Message: "Request has expired."},
			cause: []string{"clock is wrong"}, fix: []string{"NTP"}},
		{name: "signed for another region",
			err:   &smithy.GenericAPIError{Code: "InvalidSignatureException", Message: "Credential should be scoped to a valid region, not 'us-east-1'."},
			cause: []string{"another region"}, fix: []string{"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"}},
		{name: "no region",
			client: func(t *testing.T, srv *cwlogtest.Server) *cloudwatchlogs.Client {
				return srv.Client(func(o *cloudwatchlogs.Options) { o.Region, o.BaseEndpoint = "", nil })
			},
			cause: []string{causeNoRegion}, fix: []string{"AWS_REGION", "~/.aws/config", "config.WithRegion"}},
		{name: "invalid region",
			client: func(t *testing.T, srv *cwlogtest.Server) *cloudwatchlogs.Client {
				return srv.Client(func(o *cloudwatchlogs.Options) { o.Region = "us east 1" })
			},
			cause: []string{`"us east 1" is not a valid AWS region name`}, fix: []string{"us-east-1"}},
		{name: "credentials not retrievable",
			client: func(t *testing.T, srv *cwlogtest.Server) *cloudwatchlogs.Client {
				return srv.Client(func(o *cloudwatchlogs.Options) { o.Credentials = aws.NewCredentialsCache(failingCredentials{}) })
			},
			cause: []string{causeNoCredentials},
			fix:   []string{"AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_PROFILE", "aws sso login", "AWS_CONTAINER_CREDENTIALS", "IMDS"}},
		{name: "untrusted certificate",
			client: func(t *testing.T, srv *cwlogtest.Server) *cloudwatchlogs.Client {
				tls := httptest.NewTLSServer(http.NotFoundHandler())
				t.Cleanup(tls.Close)
				return srv.Client(func(o *cloudwatchlogs.Options) { o.BaseEndpoint = aws.String(tls.URL) })
			},
			cause: []string{"TLS certificate is not trusted"}, fix: []string{"CA certificate"}},
		{name: "endpoint not a URL",
			client: func(t *testing.T, srv *cwlogtest.Server) *cloudwatchlogs.Client {
				return srv.Client(func(o *cloudwatchlogs.Options) { o.BaseEndpoint = aws.String("logs.internal") })
			},
			cause: []string{`"/logs.internal" is not a URL`}, fix: []string{"https://"}},
		// Errors that may end by themselves.
		{name: "throttling", fault: cwlogtest.FaultThrottle},
		{name: "internal error", fault: cwlogtest.FaultInternal},
		{name: "unavailable", fault: cwlogtest.FaultUnavailable},
		{name: "dropped connection", fault: cwlogtest.FaultDrop},
		{name: "proxy body limit", fault: cwlogtest.FaultTooLarge},
		{name: "stream missing", fault: cwlogtest.FaultNotFound},
		{name: "invalid batch", fault: cwlogtest.FaultInvalidParameter},
		{name: "bad token", fault: cwlogtest.FaultBadToken},
		{name: "connection refused",
			client: func(t *testing.T, srv *cwlogtest.Server) *cloudwatchlogs.Client {
				return srv.Client(func(o *cloudwatchlogs.Options) { o.BaseEndpoint = aws.String(closedPort(t)) })
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := cwlogtest.Start(t, nil)
			srv.CreateStream(diagGroup, diagStream)
			client := srv.Client()
			if tc.client != nil {
				client = tc.client(t, srv)
			}
			s := &Shipper{cfg: Config{Client: client, LogGroup: diagGroup, LogStream: diagStream}.withDefaults()}
			if tc.fault != cwlogtest.FaultNone {
				srv.SetFault(cwlogtest.AnyOp, cwlogtest.Fault{Kind: tc.fault})
			}
			op := cmpOr(tc.op, "PutLogEvents")
			err := tc.err
			if err == nil {
				err = call(s, op)
			}
			if err == nil {
				t.Fatalf("%s succeeded", op)
			}
			setup := s.diagnose(op, err)
			if len(tc.cause) == 0 {
				if setup != nil {
					t.Fatalf("diagnose(%v) = %v, want nil: it may end by itself", err, setup)
				}
				return
			}
			if setup == nil {
				t.Fatalf("diagnose(%v) = nil", err)
			}
			checkSetup(t, setup, op, tc.cause, tc.fix)
			if !errors.Is(setup, err) {
				t.Errorf("the SetupError does not wrap the call's error")
			}
		})
	}
}

// checkSetup fails t unless e is for op and its Cause and Fix hold the
// substrings given.
func checkSetup(t *testing.T, e *SetupError, op string, cause, fix []string) {
	t.Helper()
	if e.Op != op {
		t.Errorf("Op = %q, want %q", e.Op, op)
	}
	for _, want := range cause {
		if !strings.Contains(e.Cause, want) {
			t.Errorf("Cause %q\ndoes not contain %q", e.Cause, want)
		}
	}
	for _, want := range fix {
		if !strings.Contains(e.Fix, want) {
			t.Errorf("Fix %q\ndoes not contain %q", e.Fix, want)
		}
	}
	if text := e.Error(); !strings.HasPrefix(text, "cwlog: "+e.Cause+"; "+e.Fix) {
		t.Errorf("Error() = %q, want the cause and the fix", text)
	}
}

// call makes op as the Shipper does, without the SDK's retries.
func call(s *Shipper, op string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g, st := &s.cfg.LogGroup, &s.cfg.LogStream
	var err error
	switch op {
	case "CreateLogGroup":
		_, err = s.cfg.Client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: g}, s.callOptions)
	case "CreateLogStream":
		_, err = s.cfg.Client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: g, LogStreamName: st}, s.callOptions)
	case "PutRetentionPolicy":
		_, err = s.cfg.Client.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: g, RetentionInDays: aws.Int32(7)}, s.callOptions)
	default:
		_, err = s.cfg.Client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: g, LogStreamName: st,
			LogEvents: []types.InputLogEvent{{Message: aws.String("m"), Timestamp: aws.Int64(time.Now().UnixMilli())}}}, s.callOptions)
	}
	return err
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// failingCredentials stands for a credential source that finds nothing.
type failingCredentials struct{}

func (failingCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, errors.New("no credentials in this test's environment")
}

// closedPort is the URL of a port on 127.0.0.1 that nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}

// TestSDKClientSideErrorShapes pins what the SDK returns, without a call
// reaching the endpoint, for the misconfigurations diagnose recognises by
// their text: if an SDK release changes them, this fails first.
func TestSDKClientSideErrorShapes(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	srv.CreateStream(diagGroup, diagStream)
	tests := []struct {
		name string
		opt  func(*cloudwatchlogs.Options)
		want string // in the error; "" for a call that succeeds
	}{
		{"no region, no endpoint", func(o *cloudwatchlogs.Options) { o.Region, o.BaseEndpoint = "", nil },
			"failed to resolve service endpoint, endpoint rule error, Invalid Configuration: Missing Region"},
		// With an endpoint, the SDK signs for region "": the endpoint decides.
		{"no region, an endpoint", func(o *cloudwatchlogs.Options) { o.Region = "" }, ""},
		{"invalid region", func(o *cloudwatchlogs.Options) { o.Region = "us east 1" },
			"failed to bind endpoint params, invalid input region us east 1"},
		{"credentials fail", func(o *cloudwatchlogs.Options) { o.Credentials = failingCredentials{} },
			"get identity: get credentials: no credentials in this test's environment"},
		{"cached credentials fail", func(o *cloudwatchlogs.Options) { o.Credentials = aws.NewCredentialsCache(failingCredentials{}) },
			"get identity: get credentials: failed to refresh cached credentials, no credentials in this test's environment"},
		// Without credentials the SDK sends the request unsigned.
		{"nil credentials", func(o *cloudwatchlogs.Options) { o.Credentials = nil }, ""},
		{"anonymous credentials", func(o *cloudwatchlogs.Options) { o.Credentials = aws.AnonymousCredentials{} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := srv.Client(tt.opt)
			s := &Shipper{cfg: Config{Client: c, LogGroup: diagGroup, LogStream: diagStream}.withDefaults()}
			before := len(srv.Calls())
			err := call(s, "PutLogEvents")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("err = %v, want success", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant it to contain %q", err, tt.want)
			}
			var ae smithy.APIError
			if errors.As(err, &ae) || len(srv.Calls()) != before {
				t.Fatalf("the error came from the endpoint: %v", err)
			}
		})
	}
	t.Run("anonymous credentials read back as nil", func(t *testing.T) {
		c := srv.Client(func(o *cloudwatchlogs.Options) { o.Credentials = aws.AnonymousCredentials{} })
		if got := c.Options().Credentials; got != nil {
			t.Fatalf("Options().Credentials = %T, want nil", got)
		}
	})
}
