package cwlogtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func messages(evs []Event) string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Message
	}
	return strings.Join(out, ",")
}

func TestEventsByTime(t *testing.T) {
	s, c := setup(t, nil)
	// Two calls that interleave in time, with equal timestamps across them.
	if _, err := put(c, []types.InputLogEvent{ev(testNow.Add(-2*time.Second), "a"), ev(testNow, "d1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := put(c, []types.InputLogEvent{ev(testNow.Add(-time.Second), "b"), ev(testNow, "d2")}); err != nil {
		t.Fatal(err)
	}
	if got := messages(s.Events(testGroup, testStream)); got != "a,d1,b,d2" {
		t.Fatalf("Events: %s, want storage order a,d1,b,d2", got)
	}
	byTime := s.EventsByTime(testGroup, testStream)
	if got := messages(byTime); got != "a,b,d1,d2" {
		t.Fatalf("EventsByTime: %s, want a,b,d1,d2", got)
	}
	if !byTime[0].Time().Equal(testNow.Add(-2 * time.Second)) {
		t.Fatalf("Time() = %v, want %v", byTime[0].Time(), testNow.Add(-2*time.Second))
	}
	// GetLogEvents reads the same order.
	out, err := c.GetLogEvents(context.Background(), &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(testGroup), LogStreamName: aws.String(testStream), StartFromHead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(messagesOf(out.Events), ","); got != "a,b,d1,d2" {
		t.Fatalf("GetLogEvents: %s", got)
	}
	byTime[0].Message = "mutated"
	if s.EventsByTime(testGroup, testStream)[0].Message != "a" {
		t.Fatal("EventsByTime returned a view into the store, want a copy")
	}
	if s.EventsByTime(testGroup, "missing") != nil || s.Events("missing", testStream) != nil {
		t.Fatal("a missing stream has events")
	}
}

func TestRetention(t *testing.T) {
	s, c := setup(t, nil)
	if days, ok := s.Retention(testGroup); !ok || days != 0 {
		t.Fatalf("Retention of a new group = %d, %v; want 0, true", days, ok)
	}
	if _, err := c.PutRetentionPolicy(context.Background(), &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(testGroup), RetentionInDays: aws.Int32(30)}); err != nil {
		t.Fatal(err)
	}
	if days, ok := s.Retention(testGroup); !ok || days != 30 {
		t.Fatalf("Retention = %d, %v; want 30, true", days, ok)
	}
	if _, ok := s.Retention("missing"); ok {
		t.Fatal("Retention of a missing group reported ok")
	}
}

func TestGroupsAndStreams(t *testing.T) {
	s, _ := setup(t, nil)
	s.CreateStream("b", "y")
	s.CreateStream("b", "x")
	s.CreateGroup("a")
	if got := strings.Join(s.Groups(), ","); got != "a,b,"+testGroup {
		t.Fatalf("Groups = %s", got)
	}
	if got := strings.Join(s.Streams("b"), ","); got != "x,y" {
		t.Fatalf("Streams = %s", got)
	}
	if s.Streams("a") == nil || len(s.Streams("a")) != 0 || s.Streams("missing") != nil {
		t.Fatalf("Streams of an empty group %v, of a missing one %v", s.Streams("a"), s.Streams("missing"))
	}
}
