package core_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

// checkWithin runs s.Check with a deadline d away, generous for tests
// that must pass, and returns its error.
func checkWithin(s *core.Shipper, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return s.Check(ctx)
}

// ops lists the operations of the calls srv received, in order.
func ops(srv *cwlogtest.Server) []string {
	var out []string
	for _, c := range srv.Calls() {
		out = append(out, c.Op)
	}
	return out
}

// checkStoresNothing fails t unless the stream holds no event and s
// counted nothing.
func checkStoresNothing(t *testing.T, srv *cwlogtest.Server, s *core.Shipper) {
	t.Helper()
	if n := srv.EventCount(group, stream); n > 0 {
		t.Errorf("the stream holds %d events after Check, want 0", n)
	}
	if st := s.Stats(); st != (core.Stats{}) {
		t.Errorf("Stats after Check = %+v, want all zero", st)
	}
}

func TestCheckPasses(t *testing.T) {
	srv, s, errs := start(t, nil, nil)
	if err := checkWithin(s, 10*time.Second); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if got := ops(srv); !slices.Equal(got, []string{"PutLogEvents"}) {
		t.Fatalf("calls %v, want one PutLogEvents", got)
	}
	// The service's 14-day rule keeps the probe out of the stream.
	if st := srv.Stats(); st.TooOld != 1 || st.EventsStored != 0 {
		t.Fatalf("endpoint stats %+v, want the probe rejected as too old", st)
	}
	checkStoresNothing(t, srv, s)
	if len(errs.All()) != 0 {
		t.Fatalf("Check reported %v", errs.All())
	}
}

func TestCheckCreates(t *testing.T) {
	tests := []struct {
		name      string
		makeGroup bool
		retention int32
		want      []string
	}{
		{"stream", true, 0, []string{"PutLogEvents", "CreateLogStream", "PutLogEvents"}},
		{"group and stream", false, 0, []string{"PutLogEvents", "CreateLogGroup", "CreateLogStream", "PutLogEvents"}},
		{"group with retention", false, 30, []string{"PutLogEvents", "CreateLogGroup", "PutRetentionPolicy", "CreateLogStream", "PutLogEvents"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := cwlogtest.Start(t, nil)
			if tt.makeGroup {
				srv.CreateGroup(group)
			}
			s, _ := newShipper(t, srv, func(c *core.Config) { c.RetentionDays = tt.retention })
			if err := checkWithin(s, 10*time.Second); err != nil {
				t.Fatalf("Check: %v", err)
			}
			if got := ops(srv); !slices.Equal(got, tt.want) {
				t.Fatalf("calls %v, want %v", got, tt.want)
			}
			if !slices.Contains(srv.Streams(group), stream) {
				t.Fatalf("stream not created: %v", srv.Streams(group))
			}
			checkStoresNothing(t, srv, s)
		})
	}
}

// TestCheckLeastPrivilege: with the group and stream in place, Check
// needs nothing but logs:PutLogEvents.
func TestCheckLeastPrivilege(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	for _, op := range []string{cwlogtest.OpCreateLogGroup, cwlogtest.OpCreateLogStream, cwlogtest.OpPutRetentionPolicy, cwlogtest.OpDescribeLogStreams} {
		srv.SetFault(op, cwlogtest.Fault{Kind: cwlogtest.FaultAccessDenied})
	}
	if err := checkWithin(s, 10*time.Second); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if got := ops(srv); !slices.Equal(got, []string{"PutLogEvents"}) {
		t.Fatalf("calls %v, want one PutLogEvents", got)
	}
}

// checkCase is a misconfiguration Check must name, with its fix.
type checkCase struct {
	name   string
	setup  func(t *testing.T, srv *cwlogtest.Server, c *core.Config)
	op     string   // SetupError.Op
	cause  []string // in SetupError.Cause
	fix    []string // in SetupError.Fix
	not    string   // not in SetupError.Cause
	calls  int      // calls the endpoint received
	stream bool     // the group and stream exist
}

func TestCheckSetupErrors(t *testing.T) {
	const who = "arn:aws:iam::123456789012:user/test may not call "
	client := func(srv *cwlogtest.Server, edit func(*cloudwatchlogs.Options)) func(*testing.T, *cwlogtest.Server, *core.Config) {
		return func(_ *testing.T, srv *cwlogtest.Server, c *core.Config) { c.Client = srv.Client(edit) }
	}
	fault := func(op string, kind cwlogtest.FaultKind) func(*testing.T, *cwlogtest.Server, *core.Config) {
		return func(_ *testing.T, srv *cwlogtest.Server, _ *core.Config) {
			srv.SetFault(op, cwlogtest.Fault{Kind: kind})
		}
	}
	cases := []checkCase{
		{name: "no region", op: "PutLogEvents", stream: true,
			setup: client(nil, func(o *cloudwatchlogs.Options) { o.Region, o.BaseEndpoint = "", nil }),
			cause: []string{"no AWS region is configured"}, fix: []string{"AWS_REGION", "config.WithRegion"}},
		{name: "no credentials", op: "PutLogEvents", stream: true,
			setup: client(nil, func(o *cloudwatchlogs.Options) {
				o.Credentials = awssdk.NewCredentialsCache(awssdk.CredentialsProviderFunc(func(context.Context) (awssdk.Credentials, error) {
					return awssdk.Credentials{}, errors.New("no EC2 IMDS role found")
				}))
			}),
			cause: []string{"no credentials could be retrieved"},
			fix:   []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "IRSA", "SSO", "ECS", "IMDS"}},
		{name: "unsigned to AWS", op: "PutLogEvents", stream: true,
			setup: client(nil, func(o *cloudwatchlogs.Options) { o.Credentials, o.BaseEndpoint = nil, nil }),
			cause: []string{"unsigned"}, fix: []string{"config.LoadDefaultConfig"}},
		{name: "credentials refused", op: "PutLogEvents", stream: true, calls: 1,
			setup: fault(cwlogtest.AnyOp, cwlogtest.FaultUnrecognizedClient),
			cause: []string{"credentials refused", "****TEST"}, fix: []string{"aws sts get-caller-identity"}},
		{name: "credentials expired", op: "PutLogEvents", stream: true, calls: 1,
			setup: fault(cwlogtest.AnyOp, cwlogtest.FaultExpiredToken),
			cause: []string{"credentials expired"}, fix: []string{"aws sso login"}},
		{name: "PutLogEvents denied", op: "PutLogEvents", stream: true, calls: 1,
			setup: fault(cwlogtest.OpPutLogEvents, cwlogtest.FaultAccessDenied),
			cause: []string{who + "logs:PutLogEvents on arn:aws:logs:us-east-1:123456789012:log-group:app/test:log-stream:instance-1"},
			fix:   []string{"allow logs:PutLogEvents on arn:aws:logs:us-east-1:123456789012:log-group:app/test:log-stream:instance-1"}},
		{name: "CreateLogStream denied", op: "CreateLogStream", calls: 2,
			setup: func(_ *testing.T, srv *cwlogtest.Server, _ *core.Config) {
				srv.CreateGroup(group)
				srv.SetFault(cwlogtest.OpCreateLogStream, cwlogtest.Fault{Kind: cwlogtest.FaultAccessDenied})
			},
			cause: []string{who + "logs:CreateLogStream on arn:aws:logs:us-east-1:123456789012:log-group:app/test:log-stream:instance-1"},
			fix:   []string{"allow logs:CreateLogStream", "aws logs create-log-stream --log-group-name app/test --log-stream-name instance-1", "SkipCreateStream"}},
		{name: "group missing", op: "PutLogEvents", calls: 1,
			setup: func(_ *testing.T, _ *cwlogtest.Server, c *core.Config) {
				c.SkipCreateGroup, c.SkipCreateStream = true, true
			},
			cause: []string{"log group app/test does not exist", "SkipCreateGroup"}, not: "log stream",
			fix: []string{"aws logs create-log-group --log-group-name app/test",
				"&& aws logs create-log-stream --log-group-name app/test --log-stream-name instance-1)"}},
		{name: "stream missing", op: "PutLogEvents", calls: 1,
			setup: func(_ *testing.T, srv *cwlogtest.Server, c *core.Config) {
				srv.CreateGroup(group)
				c.SkipCreateStream = true
			},
			cause: []string{"log stream instance-1 does not exist", "SkipCreateStream"},
			fix:   []string{"aws logs create-log-stream --log-group-name app/test --log-stream-name instance-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := cwlogtest.Start(t, nil)
			if tc.stream {
				srv.CreateStream(group, stream)
			}
			s, errs := newShipper(t, srv, func(c *core.Config) { tc.setup(t, srv, c) })
			begun := time.Now()
			err := checkWithin(s, 20*time.Second)
			var setup *core.SetupError
			if !errors.As(err, &setup) {
				t.Fatalf("Check = %v, want a *SetupError", err)
			}
			// A failure that will not pass returns at once, not at the deadline.
			if took := time.Since(begun); took > 10*time.Second {
				t.Errorf("Check took %v", took)
			}
			checkSetupError(t, setup, tc)
			if n := len(srv.Calls()); n != tc.calls {
				t.Errorf("the endpoint received %d calls (%v), want %d", n, ops(srv), tc.calls)
			}
			checkStoresNothing(t, srv, s)
			if len(errs.All()) != 0 {
				t.Errorf("Check reported %v", errs.All())
			}
		})
	}
}

func checkSetupError(t *testing.T, e *core.SetupError, tc checkCase) {
	t.Helper()
	if e.Op != tc.op {
		t.Errorf("Op = %q, want %q", e.Op, tc.op)
	}
	for _, want := range tc.cause {
		if !strings.Contains(e.Cause, want) {
			t.Errorf("Cause %q\ndoes not contain %q", e.Cause, want)
		}
	}
	for _, want := range tc.fix {
		if !strings.Contains(e.Fix, want) {
			t.Errorf("Fix %q\ndoes not contain %q", e.Fix, want)
		}
	}
	if tc.not != "" && strings.Contains(e.Cause, tc.not) {
		t.Errorf("Cause %q contains %q", e.Cause, tc.not)
	}
	if !strings.Contains(e.Error(), e.Cause+"; "+e.Fix) {
		t.Errorf("Error() = %q, want the cause and the fix", e.Error())
	}
}

// TestCheckUnreachable: a closed port is retried until the deadline, then
// named.
func TestCheckUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	srv := cwlogtest.Start(t, nil)
	s, _ := newShipper(t, srv, func(c *core.Config) {
		c.Client = srv.Client(func(o *cloudwatchlogs.Options) { o.BaseEndpoint = awssdk.String(url) })
	})
	const deadline = 500 * time.Millisecond
	begun := time.Now()
	err = checkWithin(s, deadline)
	took := time.Since(begun)
	var setup *core.SetupError
	if !errors.As(err, &setup) {
		t.Fatalf("Check = %v, want a *SetupError", err)
	}
	if took < deadline || took > deadline+10*time.Second {
		t.Errorf("Check returned after %v; want it to retry until its deadline, %v", took, deadline)
	}
	checkSetupError(t, setup, checkCase{op: "PutLogEvents",
		cause: []string{"endpoint unreachable: no answer from " + url},
		fix:   []string{"network path", "VPC interface endpoint", "HTTPS_PROXY", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"}})
	if !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("Error() = %q, want the connection's failure", err)
	}
}

// TestCheckSilentEndpoint: an endpoint that never answers is named when
// the deadline cuts the call short.
func TestCheckSilentEndpoint(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Delay: time.Hour})
	err := checkWithin(s, 300*time.Millisecond)
	var setup *core.SetupError
	if !errors.As(err, &setup) || !strings.Contains(setup.Cause, "endpoint unreachable: no answer from "+srv.URL()) {
		t.Fatalf("Check = %v, want endpoint unreachable", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Check = %v, want it to wrap the deadline", err)
	}
}

func TestCheckRetriesThrottling(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	srv.FailNext(cwlogtest.OpPutLogEvents, 3, cwlogtest.Fault{Kind: cwlogtest.FaultThrottle})
	if err := checkWithin(s, 10*time.Second); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if n := len(srv.CallsOf(cwlogtest.OpPutLogEvents)); n != 4 {
		t.Fatalf("%d PutLogEvents calls, want 3 throttled and 1 passing", n)
	}
	checkStoresNothing(t, srv, s)
}

// TestCheckGivesUpAtDeadline: a fault that may pass is retried until the
// deadline, then named as the last failure, not as a *SetupError.
func TestCheckGivesUpAtDeadline(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	err := checkWithin(s, 300*time.Millisecond)
	var setup *core.SetupError
	var unavailable *types.ServiceUnavailableException
	switch {
	case err == nil:
		t.Fatal("Check passed")
	case errors.As(err, &setup):
		t.Fatalf("Check = %v, a *SetupError for a failure that may pass", err)
	case !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &unavailable):
		t.Fatalf("Check = %v, want the deadline and the last failure", err)
	case !strings.Contains(err.Error(), "may pass by itself"):
		t.Fatalf("Check = %q, want it to say the failure may pass", err)
	}
	if n := len(srv.CallsOf(cwlogtest.OpPutLogEvents)); n < 2 {
		t.Fatalf("%d calls: the failure was not retried", n)
	}
}

// TestCheckLegacyTokens: on an endpoint that checks sequence tokens, the
// probe passes whether or not the stream has a token, and the Shipper
// delivers afterwards.
func TestCheckLegacyTokens(t *testing.T) {
	srv, s, _ := start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy}, nil)
	want := msgs("legacy", 10)
	mustAddAll(t, s, want[:5])
	shiptest.Flush(t, s)
	// The stream has a token now, which the probe does not send.
	before := len(srv.Calls())
	if err := checkWithin(s, 10*time.Second); err != nil {
		t.Fatalf("Check: %v", err)
	}
	probe := srv.Calls()[before:]
	if len(probe) != 1 || probe[0].Outcome != cwlogtest.CodeInvalidSequenceToken {
		t.Fatalf("Check's calls %+v, want one answered InvalidSequenceToken", probe)
	}
	mustAddAll(t, s, want[5:])
	checkDelivers(t, srv, s, want)
	checkBalanced(t, s.Stats())
}

// TestCheckWhileShipping: Check runs beside the worker and counts nothing.
func TestCheckWhileShipping(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	want := msgs("beside", 2000)
	done := make(chan error, 1)
	go func() {
		var err error
		for range 5 {
			if err = checkWithin(s, 10*time.Second); err != nil {
				break
			}
		}
		done <- err
	}()
	addAll(t, s, want, 4)
	if err := shiptest.Within(t, 20*time.Second, done, "Check did not return"); err != nil {
		t.Fatalf("Check: %v", err)
	}
	checkDelivers(t, srv, s, want)
	if st := s.Stats(); st.Added != uint64(len(want)) || st.Delivered != uint64(len(want)) || st.Rejected != 0 {
		t.Fatalf("Stats %+v count the probes", st)
	}
}

// TestCheckUnsignedToAnEndpoint: without credentials, an endpoint given as
// BaseEndpoint decides; here it refuses, as AWS does.
func TestCheckUnsignedToAnEndpoint(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	srv.CreateStream(group, stream)
	s, _ := newShipper(t, srv, func(c *core.Config) {
		c.Client = srv.Client(func(o *cloudwatchlogs.Options) { o.Credentials = awssdk.AnonymousCredentials{} })
	})
	if err := checkWithin(s, 10*time.Second); err != nil {
		t.Fatalf("Check with an endpoint that takes unsigned requests: %v", err)
	}
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultMissingToken})
	err := checkWithin(s, 10*time.Second)
	var setup *core.SetupError
	if !errors.As(err, &setup) || !strings.Contains(setup.Cause, "requests are sent unsigned") {
		t.Fatalf("Check = %v, want requests sent unsigned", err)
	}
}

// TestCheckHostDoesNotResolve: a host name that cannot resolve (.invalid
// never does) is named as unreachable, whether the lookup fails or the
// deadline cuts it short.
func TestCheckHostDoesNotResolve(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	s, _ := newShipper(t, srv, func(c *core.Config) {
		c.Client = srv.Client(func(o *cloudwatchlogs.Options) { o.BaseEndpoint = awssdk.String("http://logs.cwlog-test.invalid") })
	})
	err := checkWithin(s, 500*time.Millisecond)
	var setup *core.SetupError
	if !errors.As(err, &setup) || !strings.Contains(setup.Cause, "endpoint unreachable") || !strings.Contains(setup.Cause, "logs.cwlog-test.invalid") {
		t.Fatalf("Check = %v, want the endpoint named unreachable", err)
	}
}
