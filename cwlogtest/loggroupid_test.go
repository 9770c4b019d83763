package cwlogtest

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

const exclusiveMsg = "LogGroup name and LogGroup identifier are mutually exclusive parameters."

// readOps calls each operation the server implements that accepts both
// logGroupName and logGroupIdentifier, with the members given.
var readOps = []struct {
	op   string
	call func(c *cloudwatchlogs.Client, name, id *string) error
}{
	{OpDescribeLogStreams, func(c *cloudwatchlogs.Client, name, id *string) error {
		_, err := c.DescribeLogStreams(context.Background(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: name, LogGroupIdentifier: id})
		return err
	}},
	{OpGetLogEvents, func(c *cloudwatchlogs.Client, name, id *string) error {
		_, err := c.GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{LogGroupName: name, LogGroupIdentifier: id, LogStreamName: aws.String(testStream)})
		return err
	}},
}

func TestLogGroupNameAndIdentifierAreExclusive(t *testing.T) {
	for _, tt := range readOps {
		t.Run(tt.op, func(t *testing.T) {
			s, c := setup(t, nil)
			// Even when both name the same group, as the service does.
			err := tt.call(c, aws.String(testGroup), aws.String(testGroup))
			var ipe *types.InvalidParameterException
			if !errors.As(err, &ipe) || aws.ToString(ipe.Message) != exclusiveMsg {
				t.Fatalf("err = %v, want InvalidParameterException %q", err, exclusiveMsg)
			}
			if call := lastCall(t, s); call.Op != tt.op || call.Outcome != CodeInvalidParameter || call.Rule != RuleValidation {
				t.Fatalf("recorded %+v", call)
			}
		})
	}
}

func TestLogGroupIdentifierAlone(t *testing.T) {
	arn := "arn:aws:logs:us-east-1:123456789012:log-group:" + testGroup
	for _, tt := range readOps {
		for _, id := range []string{testGroup, arn, arn + ":*"} {
			t.Run(tt.op+"/"+id, func(t *testing.T) {
				s, c := setup(t, nil)
				if err := tt.call(c, nil, aws.String(id)); err != nil {
					t.Fatalf("logGroupIdentifier %q: %v", id, err)
				}
				if call := lastCall(t, s); call.Group != testGroup {
					t.Fatalf("recorded group %q, want %q", call.Group, testGroup)
				}
			})
		}
	}
}
