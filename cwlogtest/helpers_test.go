package cwlogtest

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// testNow is the fixed server clock of most tests, so window boundaries
// can be hit to the millisecond.
var testNow = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

const (
	testGroup  = "g"
	testStream = "s"
)

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// fastRetries keeps the SDK's retry classification but drops the waiting,
// so fault tests run in milliseconds.
func fastRetries(attempts int) func(*cloudwatchlogs.Options) {
	return func(o *cloudwatchlogs.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.Backoff = noBackoff{}
		})
	}
}

// setup starts a server with the fixed clock (unless opts sets one), creates
// testGroup/testStream and returns a client that does not retry.
func setup(t *testing.T, opts *Options) (*Server, *cloudwatchlogs.Client) {
	t.Helper()
	if opts == nil {
		opts = &Options{}
	}
	if opts.Clock == nil {
		opts.Clock = fixedClock
	}
	s := Start(t, opts)
	s.CreateStream(testGroup, testStream)
	return s, s.Client(fastRetries(1))
}

func ev(ts time.Time, msg string) types.InputLogEvent {
	return types.InputLogEvent{Timestamp: aws.Int64(ts.UnixMilli()), Message: aws.String(msg)}
}

func evMs(ms int64, msg string) types.InputLogEvent {
	return types.InputLogEvent{Timestamp: aws.Int64(ms), Message: aws.String(msg)}
}

// sized returns n events at testNow whose batch size is exactly total bytes.
func sized(n, total int) []types.InputLogEvent {
	evs := make([]types.InputLogEvent, n)
	per := total/n - EventOverhead
	extra := total % n
	for i := range evs {
		l := per
		if i < extra {
			l++
		}
		evs[i] = ev(testNow, strings.Repeat("x", l))
	}
	return evs
}

func put(c *cloudwatchlogs.Client, events []types.InputLogEvent) (*cloudwatchlogs.PutLogEventsOutput, error) {
	return c.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: aws.String(testGroup), LogStreamName: aws.String(testStream), LogEvents: events,
	})
}

func lastCall(t *testing.T, s *Server) Call {
	t.Helper()
	calls := s.Calls()
	if len(calls) == 0 {
		t.Fatal("no calls recorded")
	}
	return calls[len(calls)-1]
}

// wantInvalid asserts err is an InvalidParameterException and the server
// recorded rule for it.
func wantInvalid(t *testing.T, s *Server, err error, rule Rule) {
	t.Helper()
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("err = %v, want InvalidParameterException", err)
	}
	if c := lastCall(t, s); c.Rule != rule || c.Outcome != CodeInvalidParameter || c.Stored != 0 {
		t.Fatalf("recorded %+v, want rule %q and nothing stored", c, rule)
	}
}

// cliEnv is this process's environment without its AWS settings, and with
// the AWS CLI kept from reading files, instance metadata or a pager: the
// CLI sees only what a test adds.
func cliEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env, "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
}
