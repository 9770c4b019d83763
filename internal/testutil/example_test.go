package testutil_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwlog/cwlog/internal/testutil"
)

func Example() {
	srv, err := testutil.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	srv.CreateStream("app", "host-1")

	client := srv.Client()
	srv.FailNext(testutil.OpPutLogEvents, 1, testutil.Fault{Kind: testutil.FaultThrottle})
	_, err = client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
		LogGroupName:  aws.String("app"),
		LogStreamName: aws.String("host-1"),
		LogEvents: []types.InputLogEvent{
			{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("hello")},
		},
	})
	fmt.Println("err:", err)
	fmt.Println("stored:", srv.Messages("app", "host-1"))
	for _, c := range srv.Calls() {
		fmt.Println(c.Op, c.Outcome)
	}
	// Output:
	// err: <nil>
	// stored: [hello]
	// PutLogEvents ThrottlingException
	// PutLogEvents OK
}
