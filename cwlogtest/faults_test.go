package cwlogtest

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
)

func outcomes(calls []Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Outcome
	}
	return out
}

func TestFaultKindsDeserializeToTypedErrors(t *testing.T) {
	tests := []struct {
		kind   FaultKind
		target any
		code   string
	}{
		{FaultThrottle, new(*types.ThrottlingException), CodeThrottling},
		{FaultInternal, new(*types.InternalServerException), CodeInternal},
		{FaultUnavailable, new(*types.ServiceUnavailableException), CodeServiceUnavailable},
		{FaultAccessDenied, new(*types.AccessDeniedException), CodeAccessDenied},
		{FaultUnrecognizedClient, new(*types.UnrecognizedClientException), CodeUnrecognizedClient},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			s, c := setup(t, nil)
			s.FailNext(OpPutLogEvents, 1, Fault{Kind: tt.kind})
			_, err := put(c, []types.InputLogEvent{ev(testNow, "m")})
			if !errors.As(err, tt.target) {
				t.Fatalf("err = %v (%T), want %T", err, err, tt.target)
			}
			call := lastCall(t, s)
			if call.Outcome != tt.code || call.Rule != RuleFault || call.Fault.Kind != tt.kind || call.Stored != 0 {
				t.Fatalf("recorded %+v", call)
			}
			if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err != nil {
				t.Fatalf("fault outlived FailNext: %v", err)
			}
		})
	}
}

func TestThrottleMessage(t *testing.T) {
	s, c := setup(t, nil)
	s.FailNext(AnyOp, 1, Fault{Kind: FaultThrottle})
	_, err := put(c, []types.InputLogEvent{ev(testNow, "m")})
	var te *types.ThrottlingException
	if !errors.As(err, &te) || aws.ToString(te.Message) != "Rate exceeded" {
		t.Fatalf("err = %v", err)
	}
}

func TestFailNextIsRetriedBySDK(t *testing.T) {
	s, _ := setup(t, nil)
	c := s.Client(fastRetries(5))
	s.FailNext(OpPutLogEvents, 3, Fault{Kind: FaultThrottle})
	s.FailNext(OpPutLogEvents, 1, Fault{Kind: FaultUnavailable})
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err != nil {
		t.Fatalf("put after retries: %v", err)
	}
	got := outcomes(s.CallsOf(OpPutLogEvents))
	want := []string{CodeThrottling, CodeThrottling, CodeThrottling, CodeServiceUnavailable, OutcomeOK}
	if len(got) != len(want) {
		t.Fatalf("outcomes %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("outcomes %v, want %v", got, want)
		}
	}
}

func TestFaultScopedByOperation(t *testing.T) {
	s, c := setup(t, nil)
	s.SetFault(OpPutLogEvents, Fault{Kind: FaultThrottle})
	if _, err := c.CreateLogStream(context.Background(), &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(testGroup), LogStreamName: aws.String("other")}); err != nil {
		t.Fatalf("CreateLogStream hit a PutLogEvents fault: %v", err)
	}
	for range 3 {
		if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err == nil {
			t.Fatal("put succeeded while throttled")
		}
	}
	s.SetFault(OpPutLogEvents, Fault{})
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err != nil {
		t.Fatalf("put after lifting the fault: %v", err)
	}
	s.SetFault(AnyOp, Fault{Kind: FaultUnrecognizedClient})
	_, err := c.DeleteLogStream(context.Background(), &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String(testGroup), LogStreamName: aws.String("other")})
	var uce *types.UnrecognizedClientException
	if !errors.As(err, &uce) {
		t.Fatalf("err = %v, want UnrecognizedClientException", err)
	}
	s.ClearFaults()
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err != nil {
		t.Fatalf("put after ClearFaults: %v", err)
	}
	if st := s.Stats(); st.Faults != 4 || st.PutOutcomes[CodeThrottling] != 3 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestFaultFunc(t *testing.T) {
	s, c := setup(t, nil)
	// Every even PutLogEvents call is throttled.
	s.SetFaultFunc(func(op string, n int) Fault {
		if op == OpPutLogEvents && n%2 == 0 {
			return Fault{Kind: FaultThrottle}
		}
		return Fault{}
	})
	var failed int
	for range 6 {
		if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err != nil {
			failed++
		}
	}
	if failed != 3 || s.EventCount(testGroup, testStream) != 3 {
		t.Fatalf("failed %d, stored %d; want 3 and 3", failed, s.EventCount(testGroup, testStream))
	}
}

func TestFaultRateIsSeeded(t *testing.T) {
	run := func() []string {
		s, c := setup(t, &Options{Seed: 42})
		s.SetFaultRate(OpPutLogEvents, 0.3, Fault{Kind: FaultThrottle})
		for range 200 {
			put(c, []types.InputLogEvent{ev(testNow, "m")})
		}
		return outcomes(s.CallsOf(OpPutLogEvents))
	}
	a, b := run(), run()
	throttled := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("call %d: %s vs %s; same seed must give the same sequence", i, a[i], b[i])
		}
		if a[i] == CodeThrottling {
			throttled++
		}
	}
	if throttled < 30 || throttled > 90 {
		t.Fatalf("%d of 200 throttled at rate 0.3", throttled)
	}
}

func TestDroppedConnection(t *testing.T) {
	s, c := setup(t, nil)
	s.FailNext(OpPutLogEvents, 1, Fault{Kind: FaultDrop})
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err == nil {
		t.Fatal("put succeeded over a dropped connection")
	}
	if call := lastCall(t, s); call.Outcome != OutcomeDropped || call.Stored != 0 {
		t.Fatalf("recorded %+v", call)
	}
	if n := s.EventCount(testGroup, testStream); n != 0 {
		t.Fatalf("stored %d, want 0", n)
	}
}

func TestStoreThenFail(t *testing.T) {
	for _, kind := range []FaultKind{FaultDrop, FaultInternal, FaultUnavailable} {
		t.Run(kind.String(), func(t *testing.T) {
			s, c := setup(t, nil)
			s.FailNext(OpPutLogEvents, 1, Fault{Kind: kind, AfterStore: true})
			if _, err := put(c, []types.InputLogEvent{ev(testNow, "a"), ev(testNow, "b")}); err == nil {
				t.Fatal("put succeeded; want the answer lost")
			}
			if got := s.Messages(testGroup, testStream); len(got) != 2 {
				t.Fatalf("stored %q, want the batch kept", got)
			}
			if call := lastCall(t, s); call.Stored != 2 || call.Outcome == OutcomeOK {
				t.Fatalf("recorded %+v", call)
			}
		})
	}
}

func TestLatency(t *testing.T) {
	s, c := setup(t, nil)
	s.FailNext(OpPutLogEvents, 1, Fault{Delay: 50 * time.Millisecond})
	start := time.Now()
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Fatalf("answered in %v, want >= 50ms", d)
	}

	// A client that gives up ends the wait; nothing is stored.
	s.FailNext(OpPutLogEvents, 1, Fault{Delay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(testGroup), LogStreamName: aws.String(testStream), LogEvents: []types.InputLogEvent{ev(testNow, "late")}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(s.CallsOf(OpPutLogEvents)) < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if call := lastCall(t, s); call.Outcome != OutcomeCanceled || s.EventCount(testGroup, testStream) != 1 {
		t.Fatalf("recorded %+v, stored %d", call, s.EventCount(testGroup, testStream))
	}
}

func TestCloseAbortsDelays(t *testing.T) {
	s, err := NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.CreateStream(testGroup, testStream)
	s.SetFault(AnyOp, Fault{Delay: time.Hour})
	c := s.Client(fastRetries(1))
	done := make(chan error, 1)
	go func() {
		_, err := put(c, []types.InputLogEvent{ev(time.Now(), "m")})
		done <- err
	}()
	picked := func() int {
		s.faults.mu.Lock()
		defer s.faults.mu.Unlock()
		return s.faults.counts[OpPutLogEvents]
	}
	for picked() == 0 {
		time.Sleep(time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited on an injected delay")
	}
	if err := <-done; err == nil {
		t.Fatal("put succeeded against a closed server")
	}
}

// TestCredentialAndPermissionFaults checks each fault that stands for a
// setup problem answers with the service's code and message shape.
func TestCredentialAndPermissionFaults(t *testing.T) {
	const denied = "User: arn:aws:iam::123456789012:user/test is not authorized to perform: logs:"
	tests := []struct {
		name string
		kind FaultKind
		call func(*cloudwatchlogs.Client) error
		code string
		msg  string
	}{
		{"access denied on a stream", FaultAccessDenied, func(c *cloudwatchlogs.Client) error {
			_, err := put(c, []types.InputLogEvent{ev(testNow, "m")})
			return err
		}, CodeAccessDenied, denied + "PutLogEvents on resource: arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s because no identity-based policy allows the logs:PutLogEvents action"},
		{"access denied on a group", FaultAccessDenied, func(c *cloudwatchlogs.Client) error {
			_, err := c.CreateLogGroup(context.Background(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("new/group")})
			return err
		}, CodeAccessDenied, denied + "CreateLogGroup on resource: arn:aws:logs:us-east-1:123456789012:log-group:new/group:log-stream: because no identity-based policy allows the logs:CreateLogGroup action"},
		{"expired token", FaultExpiredToken, func(c *cloudwatchlogs.Client) error {
			_, err := put(c, []types.InputLogEvent{ev(testNow, "m")})
			return err
		}, CodeExpiredToken, "The security token included in the request is expired"},
		{"invalid signature", FaultInvalidSignature, func(c *cloudwatchlogs.Client) error {
			_, err := put(c, []types.InputLogEvent{ev(testNow, "m")})
			return err
		}, CodeInvalidSignature, "The request signature we calculated does not match the signature you provided."},
		{"missing token", FaultMissingToken, func(c *cloudwatchlogs.Client) error {
			_, err := put(c, []types.InputLogEvent{ev(testNow, "m")})
			return err
		}, CodeMissingToken, "Request is missing Authentication Token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := setup(t, nil)
			s.FailNext(AnyOp, 1, Fault{Kind: tt.kind})
			err := tt.call(c)
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tt.code || !strings.HasPrefix(ae.ErrorMessage(), tt.msg) {
				t.Fatalf("err = %v\nwant %s: %s", err, tt.code, tt.msg)
			}
			if call := lastCall(t, s); call.Outcome != tt.code || call.Rule != RuleFault || call.Fault.Kind != tt.kind {
				t.Fatalf("recorded %+v", call)
			}
		})
	}
}

// TestAWSCLISeesAccessDenied proves a client that shares no code with this
// package reads the AccessDeniedException's code and message.
func TestAWSCLISeesAccessDenied(t *testing.T) {
	cli, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("aws CLI not on PATH; skipping the independent-client interop check")
	}
	s, _ := setup(t, nil)
	s.SetFault(OpCreateLogStream, Fault{Kind: FaultAccessDenied})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, "logs", "create-log-stream", "--endpoint-url", s.URL(),
		"--log-group-name", testGroup, "--log-stream-name", "denied", "--region", "us-east-1")
	cmd.Env = append(cliEnv(), "AWS_ACCESS_KEY_ID=AKIDTEST", "AWS_SECRET_ACCESS_KEY=secret", "AWS_MAX_ATTEMPTS=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("aws logs create-log-stream succeeded under FaultAccessDenied:\n%s", out)
	}
	want := "(AccessDeniedException) when calling the CreateLogStream operation: User: arn:aws:iam::123456789012:user/test is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:denied"
	if !strings.Contains(string(out), want) {
		t.Fatalf("CLI said:\n%s\nwant it to contain:\n%s", out, want)
	}
}
