package cwlogtest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwlog/cwlog/cwlogtest"
)

// A test starts a server (in a test function, Start(t, nil) closes it at
// the end), sends events through the real SDK client and reads back what
// was stored.
func Example() {
	// A fixed clock makes the output independent of when this runs.
	now := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	srv, err := cwlogtest.NewServer(&cwlogtest.Options{Clock: func() time.Time { return now }})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	srv.CreateStream("app", "web-1")

	client := srv.Client()
	ctx := context.Background()
	put := func(events ...types.InputLogEvent) {
		_, err := client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{
			LogGroupName:  aws.String("app"),
			LogStreamName: aws.String("web-1"),
			LogEvents:     events,
		})
		if err != nil {
			panic(err)
		}
	}
	put(types.InputLogEvent{Timestamp: aws.Int64(now.Add(time.Second).UnixMilli()), Message: aws.String("second")})
	put(types.InputLogEvent{Timestamp: aws.Int64(now.UnixMilli()), Message: aws.String("first")})

	fmt.Println("groups:", srv.Groups(), "streams:", srv.Streams("app"))
	fmt.Println("as stored:", srv.Messages("app", "web-1"))
	for _, e := range srv.EventsByTime("app", "web-1") {
		fmt.Println(e.Time().UTC().Format("15:04:05.000"), e.Message)
	}
	// Output:
	// groups: [app] streams: [web-1]
	// as stored: [second first]
	// 12:00:00.000 first
	// 12:00:01.000 second
}

// The next two PutLogEvents calls are throttled. The SDK's retryer retries
// them, and the third attempt stores the event; Calls shows all three.
func ExampleServer_FailNext() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	srv.CreateStream("app", "web-1")
	srv.FailNext(cwlogtest.OpPutLogEvents, 2, cwlogtest.Fault{Kind: cwlogtest.FaultThrottle})

	// The default retryer, with its waits cut short for the example.
	client := srv.Client(func(o *cloudwatchlogs.Options) {
		o.Retryer = retry.AddWithMaxBackoffDelay(retry.NewStandard(), time.Millisecond)
	})
	_, err = client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
		LogGroupName:  aws.String("app"),
		LogStreamName: aws.String("web-1"),
		LogEvents:     []types.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("hello")}},
	})
	fmt.Println("err:", err)
	for _, c := range srv.Calls() {
		fmt.Printf("%s %s fault=%s stored=%d\n", c.Op, c.Outcome, c.Fault.Kind, c.Stored)
	}
	fmt.Println("stored:", srv.Messages("app", "web-1"))
	// Output:
	// err: <nil>
	// PutLogEvents ThrottlingException fault=throttle stored=0
	// PutLogEvents ThrottlingException fault=throttle stored=0
	// PutLogEvents OK fault=none stored=1
	// stored: [hello]
}

// With TokensLegacy each PutLogEvents must carry the token the previous one
// returned, as on endpoints that still chain sequence tokens. A call with
// the wrong token is refused, and the error says which token to send.
func ExampleTokenMode() {
	srv, err := cwlogtest.NewServer(&cwlogtest.Options{Tokens: cwlogtest.TokensLegacy})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	srv.CreateStream("app", "web-1")
	client := srv.Client()
	put := func(token *string, msg string) (*cloudwatchlogs.PutLogEventsOutput, error) {
		return client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
			LogGroupName:  aws.String("app"),
			LogStreamName: aws.String("web-1"),
			LogEvents:     []types.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String(msg)}},
			SequenceToken: token,
		})
	}

	out, err := put(nil, "one") // a new stream expects no token
	fmt.Println("first:", err)
	next := out.NextSequenceToken

	_, err = put(nil, "two") // no token: refused
	var bad *types.InvalidSequenceTokenException
	if !errors.As(err, &bad) {
		panic(err)
	}
	fmt.Println("second:", bad.ErrorCode(), "expected token matches:", aws.ToString(bad.ExpectedSequenceToken) == aws.ToString(next))

	_, err = put(bad.ExpectedSequenceToken, "two") // sent again with the expected token
	fmt.Println("third:", err)
	fmt.Println("stored:", srv.Messages("app", "web-1"))
	// Output:
	// first: <nil>
	// second: InvalidSequenceTokenException expected token matches: true
	// third: <nil>
	// stored: [one two]
}

// An AfterStore fault stores the batch and then answers with an error, as
// when the service's answer is lost on the way. The SDK retries the 503,
// and since AWS no longer checks sequence tokens, the batch is stored
// twice: the duplicate a client must expect after a lost answer.
func ExampleFault_afterStore() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	srv.CreateStream("app", "web-1")
	srv.FailNext(cwlogtest.OpPutLogEvents, 1, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable, AfterStore: true})

	client := srv.Client(func(o *cloudwatchlogs.Options) {
		o.Retryer = retry.AddWithMaxBackoffDelay(retry.NewStandard(), time.Millisecond)
	})
	_, err = client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
		LogGroupName:  aws.String("app"),
		LogStreamName: aws.String("web-1"),
		LogEvents:     []types.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("once")}},
	})
	fmt.Println("err:", err)
	for _, c := range srv.CallsOf(cwlogtest.OpPutLogEvents) {
		fmt.Printf("%s stored=%d\n", c.Outcome, c.Stored)
	}
	fmt.Println("stored:", srv.Messages("app", "web-1"))
	// Output:
	// err: <nil>
	// ServiceUnavailableException stored=1
	// OK stored=1
	// stored: [once once]
}

// SetMaxBodyBytes stands in for a proxy in front of the service whose
// request body limit is lower than the service's batch size: a larger call
// is answered 413 and never reaches the service.
func ExampleServer_SetMaxBodyBytes() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	srv.CreateStream("app", "web-1")
	srv.SetMaxBodyBytes(1024)

	client := srv.Client()
	for _, size := range []int{100, 2000} {
		_, err := client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
			LogGroupName:  aws.String("app"),
			LogStreamName: aws.String("web-1"),
			LogEvents:     []types.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String(strings.Repeat("x", size))}},
		})
		fmt.Println(size, "bytes, failed:", err != nil)
	}
	for _, c := range srv.Calls() {
		fmt.Printf("%s rule=%q\n", c.Outcome, c.Rule)
	}
	// Output:
	// 100 bytes, failed: false
	// 2000 bytes, failed: true
	// OK rule=""
	// TooLarge rule="body-limit"
}

// The AWS CLI, or any program that reads the AWS environment, reaches the
// server through Env.
func ExampleServer_Env() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	srv.CreateStream("app", "web-1")

	cmd := exec.Command("aws", "logs", "describe-log-streams", "--log-group-name", "app")
	cmd.Env = append(os.Environ(), srv.Env()...)
	out, err := cmd.CombinedOutput()
	fmt.Printf("%s %v\n", out, err)
}
