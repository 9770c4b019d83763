package cwlogtest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func TestCreateAndDelete(t *testing.T) {
	s, _ := setup(t, nil)
	c := s.Client(fastRetries(1))
	ctx := context.Background()
	var exists *types.ResourceAlreadyExistsException
	var notFound *types.ResourceNotFoundException

	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("app/#1.x_y-z")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("app/#1.x_y-z")}); !errors.As(err, &exists) {
		t.Fatalf("err = %v, want ResourceAlreadyExistsException", err)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("nope"), LogStreamName: aws.String("s")}); !errors.As(err, &notFound) {
		t.Fatalf("err = %v, want ResourceNotFoundException", err)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("app/#1.x_y-z"), LogStreamName: aws.String("host/123 [x]")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String("app/#1.x_y-z"), LogStreamName: aws.String("host/123 [x]")}); !errors.As(err, &exists) {
		t.Fatalf("err = %v, want ResourceAlreadyExistsException", err)
	}
	if got := s.Streams("app/#1.x_y-z"); len(got) != 1 || got[0] != "host/123 [x]" {
		t.Fatalf("streams %v", got)
	}
	if _, err := c.DeleteLogStream(ctx, &cloudwatchlogs.DeleteLogStreamInput{LogGroupName: aws.String("app/#1.x_y-z"), LogStreamName: aws.String("other")}); !errors.As(err, &notFound) {
		t.Fatalf("err = %v, want ResourceNotFoundException", err)
	}
	if _, err := c.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("app/#1.x_y-z")}); err != nil {
		t.Fatal(err)
	}
	if s.Streams("app/#1.x_y-z") != nil {
		t.Fatal("deleting a group kept its streams")
	}
	if _, err := c.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("app/#1.x_y-z")}); !errors.As(err, &notFound) {
		t.Fatalf("err = %v, want ResourceNotFoundException", err)
	}

	// Deleted out from under a writer: the next put is ResourceNotFound.
	s.DeleteStream(testGroup, testStream)
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); !errors.As(err, &notFound) {
		t.Fatalf("err = %v, want ResourceNotFoundException", err)
	}
}

func TestNameValidation(t *testing.T) {
	s, c := setup(t, nil)
	ctx := context.Background()
	for _, name := range []string{"", "aws/lambda/x", "has space", "colon:", strings.Repeat("g", 513)} {
		_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name)})
		wantInvalid(t, s, err, RuleName)
	}
	if _, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(strings.Repeat("g", 512))}); err != nil {
		t.Fatalf("512-char group: %v", err)
	}
	for _, name := range []string{"", "a:b", "a*b", strings.Repeat("s", 513)} {
		_, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(testGroup), LogStreamName: aws.String(name)})
		wantInvalid(t, s, err, RuleName)
	}
	if _, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(testGroup), LogStreamName: aws.String(strings.Repeat("é", 512))}); err != nil {
		t.Fatalf("512-character stream: %v", err)
	}
}

func TestPutRetentionPolicy(t *testing.T) {
	s, c := setup(t, nil)
	ctx := context.Background()
	for _, days := range []int32{0, 2, 4000} {
		_, err := c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(testGroup), RetentionInDays: aws.Int32(days)})
		wantInvalid(t, s, err, RuleRetention)
	}
	for _, days := range retentionDays {
		if _, err := c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(testGroup), RetentionInDays: aws.Int32(int32(days))}); err != nil {
			t.Fatalf("%d days: %v", days, err)
		}
	}
	_, err := c.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String("missing"), RetentionInDays: aws.Int32(1)})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("err = %v, want ResourceNotFoundException", err)
	}
}

func TestResetAndDirectHelpers(t *testing.T) {
	s, c := setup(t, &Options{DiscardEvents: true})
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "m"), ev(testNow, "n")}); err != nil {
		t.Fatal(err)
	}
	if n := s.EventCount(testGroup, testStream); n != 2 || len(s.Events(testGroup, testStream)) != 0 {
		t.Fatalf("DiscardEvents: count %d, events %v", n, s.Events(testGroup, testStream))
	}
	s.SetFault(AnyOp, Fault{Kind: FaultThrottle})
	s.Reset()
	if len(s.Groups()) != 0 || len(s.Calls()) != 0 || s.Stats().Calls != 0 || s.EventCount(testGroup, testStream) != -1 {
		t.Fatal("Reset left state behind")
	}
	s.CreateStream(testGroup, testStream)
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "m")}); err != nil {
		t.Fatalf("Reset kept the fault: %v", err)
	}
}
