package cwlogtest

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func TestDescribeLogStreams(t *testing.T) {
	s, c := setup(t, nil)
	for _, n := range []string{"web-2", "web-1", "db-1", "web-3"} {
		s.CreateStream(testGroup, n)
	}
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "hello")}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p := cloudwatchlogs.NewDescribeLogStreamsPaginator(c, &cloudwatchlogs.DescribeLogStreamsInput{
		LogGroupName: aws.String(testGroup), LogStreamNamePrefix: aws.String("web-"), Limit: aws.Int32(2),
	})
	var names []string
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ls := range out.LogStreams {
			names = append(names, aws.ToString(ls.LogStreamName))
		}
	}
	if strings.Join(names, ",") != "web-1,web-2,web-3" {
		t.Fatalf("names %v", names)
	}
	out, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(testGroup), LogStreamNamePrefix: aws.String(testStream)})
	if err != nil || len(out.LogStreams) != 1 {
		t.Fatalf("%v %+v", err, out)
	}
	ls := out.LogStreams[0]
	if aws.ToInt64(ls.LastEventTimestamp) != testNow.UnixMilli() || aws.ToInt64(ls.CreationTime) != testNow.UnixMilli() || ls.UploadSequenceToken != nil {
		t.Fatalf("stream %+v", ls)
	}
	if _, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(testGroup), Limit: aws.Int32(51)}); err == nil {
		t.Fatal("limit 51 accepted")
	}
}

// TestDescribeLogStreamsStoredBytesIsZero: the service has reported
// storedBytes as 0 for log streams since June 2019 (the SDK marks the field
// deprecated), yet still sends the member. Code must not read stream sizes
// from it, so the server must not offer them either.
func TestDescribeLogStreamsStoredBytesIsZero(t *testing.T) {
	s, c := setup(t, nil)
	if _, err := put(c, []types.InputLogEvent{ev(testNow, "hello"), ev(testNow, "world")}); err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeLogStreams(context.Background(), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(testGroup)})
	if err != nil || len(out.LogStreams) != 1 {
		t.Fatalf("%v %+v", err, out)
	}
	if sb := out.LogStreams[0].StoredBytes; sb == nil || *sb != 0 {
		t.Fatalf("storedBytes = %v, want present and 0", sb)
	}
	_, body := rawCall(t, s, targetPrefix+OpDescribeLogStreams, `{"logGroupName":"g"}`, false)
	streams, _ := body["logStreams"].([]any)
	if len(streams) != 1 {
		t.Fatalf("body %v", body)
	}
	if sb, ok := streams[0].(map[string]any)["storedBytes"]; !ok || sb != float64(0) {
		t.Fatalf("wire storedBytes = %v (present %v), want 0", sb, ok)
	}
	// The server's own accounting still counts what was stored.
	if st := s.Stats(); st.BytesStored != 10 {
		t.Fatalf("Stats().BytesStored = %d, want 10", st.BytesStored)
	}
}

func TestDescribeLogStreamsLastEventTimeOrder(t *testing.T) {
	s, c := setup(t, nil)
	s.CreateStream(testGroup, "a")
	s.CreateStream(testGroup, "b")
	ctx := context.Background()
	for i, name := range []string{"b", testStream, "a"} {
		_, err := c.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(testGroup), LogStreamName: aws.String(name),
			LogEvents: []types.InputLogEvent{evMs(testNow.UnixMilli()+int64(i), strconv.Itoa(i))}})
		if err != nil {
			t.Fatal(err)
		}
	}
	out, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(testGroup), OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ls := range out.LogStreams {
		names = append(names, aws.ToString(ls.LogStreamName))
	}
	if got := strings.Join(names, ","); got != "a,s,b" {
		t.Fatalf("newest first: %s, want a,s,b", got)
	}
}
