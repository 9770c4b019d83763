package cwlogtest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
)

// noRetries makes the SDK send each call once.
func noRetries(o *cloudwatchlogs.Options) { o.RetryMaxAttempts = 1 }

// putErr is put without the output.
func putErr(c *cloudwatchlogs.Client, events []types.InputLogEvent) error {
	_, err := put(c, events)
	return err
}

// want413 asserts err carries HTTP status 413.
func want413(t *testing.T, err error) {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusRequestEntityTooLarge {
		t.Fatalf("err = %v (%T), want an HTTP 413 response error", err, err)
	}
}

// putTooLarge starts a server that takes bodies of up to limit bytes and
// puts one event of twice that through a client made with opt, which must
// be answered 413, and returns the server, the client and the error.
func putTooLarge(t *testing.T, limit int, opt func(*cloudwatchlogs.Options)) (*Server, *cloudwatchlogs.Client, error) {
	t.Helper()
	s, _ := setup(t, nil)
	c := s.Client(opt)
	s.SetMaxBodyBytes(limit)
	err := putErr(c, []types.InputLogEvent{ev(testNow, strings.Repeat("x", 2*limit))})
	want413(t, err)
	return s, c, err
}

func TestBodyLimitRejectsLargeBodies(t *testing.T) {
	s, c, _ := putTooLarge(t, 4096, noRetries)
	if n := s.EventCount(testGroup, testStream); n != 0 {
		t.Fatalf("stored %d events of a rejected body", n)
	}
	calls := s.CallsOf(OpPutLogEvents)
	if len(calls) != 1 {
		t.Fatalf("recorded %d calls, want 1", len(calls))
	}
	if c := calls[0]; c.Outcome != OutcomeTooLarge || c.Rule != RuleBodyLimit || !c.Fault.IsZero() || c.Stored != 0 {
		t.Fatalf("recorded %+v", c)
	}

	if _, err := put(c, []types.InputLogEvent{ev(testNow, strings.Repeat("y", 1000))}); err != nil {
		t.Fatalf("put under the limit: %v", err)
	}
	if n := s.EventCount(testGroup, testStream); n != 1 {
		t.Fatalf("stored %d, want 1", n)
	}
	st := s.Stats()
	if st.PutOutcomes[OutcomeTooLarge] != 1 || st.PutOutcomes[OutcomeOK] != 1 || st.Faults != 0 {
		t.Fatalf("stats = %+v", st)
	}
}

// TestTooLargeErrorFromSDK pins what aws-sdk-go-v2 makes of a proxy's 413,
// which clients classify on: an *awshttp.ResponseError with status 413
// around a *smithy.DeserializationError (the HTML is not JSON), and no
// smithy.APIError, since there is no error code to report.
func TestTooLargeErrorFromSDK(t *testing.T) {
	_, _, err := putTooLarge(t, 100, noRetries)
	var ae smithy.APIError
	if errors.As(err, &ae) {
		t.Fatalf("errors.As(err, smithy.APIError) = %T code %q; the 413 was expected to carry no API error", ae, ae.ErrorCode())
	}
	var de *smithy.DeserializationError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want a DeserializationError inside", err)
	}
	var oe *smithy.OperationError
	if !errors.As(err, &oe) || oe.Operation() != OpPutLogEvents {
		t.Fatalf("err = %v, want an OperationError for PutLogEvents", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "StatusCode: 413") {
		t.Fatalf("err.Error() = %q", msg)
	}
}

func TestTooLargeIsNotRetriedBySDK(t *testing.T) {
	s, _, _ := putTooLarge(t, 100, fastRetries(5))
	if got := outcomes(s.CallsOf(OpPutLogEvents)); len(got) != 1 || got[0] != OutcomeTooLarge {
		t.Fatalf("outcomes %v, want one TooLarge call", got)
	}
}

func TestFaultTooLarge(t *testing.T) {
	s, _ := setup(t, nil)
	c := s.Client(noRetries)
	s.FailNext(OpPutLogEvents, 1, Fault{Kind: FaultTooLarge})
	_, err := put(c, []types.InputLogEvent{ev(testNow, "m")})
	want413(t, err)
	if n := s.EventCount(testGroup, testStream); n != 0 {
		t.Fatalf("stored %d, want 0", n)
	}
	call := lastCall(t, s)
	if call.Outcome != OutcomeTooLarge || call.Rule != RuleFault || call.Fault.Kind != FaultTooLarge || call.Stored != 0 || call.Events != 1 {
		t.Fatalf("recorded %+v", call)
	}
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err != nil {
		t.Fatalf("fault outlived FailNext: %v", err)
	}
	if FaultTooLarge.String() != "too-large" {
		t.Fatalf("FaultTooLarge.String() = %q", FaultTooLarge.String())
	}
}

// A body the proxy refuses never reaches the service, so it does not use
// up a fault meant for the service.
func TestBodyLimitComesBeforeFaults(t *testing.T) {
	s, _ := setup(t, nil)
	c := s.Client(noRetries)
	s.SetMaxBodyBytes(1000)
	s.FailNext(OpPutLogEvents, 1, Fault{Kind: FaultThrottle})
	want413(t, putErr(c, []types.InputLogEvent{ev(testNow, strings.Repeat("x", 2000))}))
	_, err := put(c, []types.InputLogEvent{ev(testNow, "m")})
	var te *types.ThrottlingException
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want the scripted throttle", err)
	}
	if got := outcomes(s.CallsOf(OpPutLogEvents)); len(got) != 2 || got[0] != OutcomeTooLarge || got[1] != CodeThrottling {
		t.Fatalf("outcomes %v", got)
	}
}

func TestBodyLimitLifted(t *testing.T) {
	s, _ := setup(t, nil)
	c := s.Client(noRetries)
	big := []types.InputLogEvent{ev(testNow, strings.Repeat("x", 2000))}

	s.SetMaxBodyBytes(1000)
	want413(t, putErr(c, big))
	s.SetMaxBodyBytes(0)
	if _, err := put(c, big); err != nil {
		t.Fatalf("put after SetMaxBodyBytes(0): %v", err)
	}

	s.SetMaxBodyBytes(1000)
	s.ClearFaults()
	want413(t, putErr(c, big))
	s.Reset()
	s.CreateStream(testGroup, testStream)
	if _, err := put(c, big); err != nil {
		t.Fatalf("put after Reset: %v", err)
	}
}

// rawPut sends a PutLogEvents body by hand, with a Content-Length or, when
// chunked, without one.
func rawPut(t *testing.T, s *Server, body string, chunked bool) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL(), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", targetPrefix+OpPutLogEvents)
	if chunked {
		req.ContentLength = -1
		req.TransferEncoding = []string{"chunked"}
	}
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestBodyLimitBoundary(t *testing.T) {
	body := fmt.Sprintf(`{"logGroupName":%q,"logStreamName":%q,"logEvents":[{"timestamp":%d,"message":"hello"}]}`, testGroup, testStream, testNow.UnixMilli())
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			s, _ := setup(t, nil)

			s.SetMaxBodyBytes(len(body))
			resp, got := rawPut(t, s, body, chunked)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("body of exactly the limit: %d %s", resp.StatusCode, got)
			}
			if msgs := s.Messages(testGroup, testStream); len(msgs) != 1 || msgs[0] != "hello" {
				t.Fatalf("stored %q, want [hello]", msgs)
			}

			s.SetMaxBodyBytes(len(body) - 1)
			resp, got = rawPut(t, s, body, chunked)
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("body one byte over the limit: %d %s", resp.StatusCode, got)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html" {
				t.Fatalf("Content-Type %q, want text/html", ct)
			}
			if et := resp.Header.Get("X-Amzn-Errortype"); et != "" {
				t.Fatalf("X-Amzn-ErrorType %q, want none", et)
			}
			if !strings.Contains(got, "<title>413 Request Entity Too Large</title>") || strings.Contains(got, "__type") {
				t.Fatalf("body %q", got)
			}
			if n := s.EventCount(testGroup, testStream); n != 1 {
				t.Fatalf("stored %d, want the first event only", n)
			}
			if got := outcomes(s.CallsOf(OpPutLogEvents)); len(got) != 2 || got[0] != OutcomeOK || got[1] != OutcomeTooLarge {
				t.Fatalf("outcomes %v", got)
			}
		})
	}
}
