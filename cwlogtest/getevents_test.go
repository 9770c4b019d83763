package cwlogtest

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// fill stores n events one millisecond apart, messages "0".."n-1".
func fill(t *testing.T, c *cloudwatchlogs.Client, n int) {
	t.Helper()
	evs := make([]types.InputLogEvent, n)
	base := testNow.Add(-time.Hour)
	for i := range evs {
		evs[i] = ev(base.Add(time.Duration(i)*time.Millisecond), strconv.Itoa(i))
	}
	if _, err := put(c, evs); err != nil {
		t.Fatal(err)
	}
}

func messagesOf(evs []types.OutputLogEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = aws.ToString(e.Message)
	}
	return out
}

func getInput() *cloudwatchlogs.GetLogEventsInput {
	return &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(testGroup), LogStreamName: aws.String(testStream)}
}

func TestGetLogEventsPagesForward(t *testing.T) {
	_, c := setup(t, nil)
	fill(t, c, 25)
	in := getInput()
	in.StartFromHead = aws.Bool(true)
	in.Limit = aws.Int32(10)
	// As against the service, the forward token repeats at the end of the
	// stream, and only StopOnDuplicateToken makes the paginator notice.
	p := cloudwatchlogs.NewGetLogEventsPaginator(c, in, func(o *cloudwatchlogs.GetLogEventsPaginatorOptions) { o.StopOnDuplicateToken = true })
	var got []string
	pages := 0
	for p.HasMorePages() && pages < 10 {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, messagesOf(out.Events)...)
		pages++
	}
	if len(got) != 25 || got[0] != "0" || got[24] != "24" {
		t.Fatalf("paged %d events %v", len(got), got)
	}
	// 10 + 10 + 5, then an empty page repeating the token ends the paginator.
	if pages != 4 {
		t.Fatalf("%d pages, want 4", pages)
	}
}

func TestGetLogEventsDefaultIsNewestFirstPage(t *testing.T) {
	_, c := setup(t, nil)
	fill(t, c, 25)
	in := getInput()
	in.Limit = aws.Int32(10)
	out, err := c.GetLogEvents(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := messagesOf(out.Events); len(got) != 10 || got[0] != "15" || got[9] != "24" {
		t.Fatalf("got %v, want the last 10 in ascending order", got)
	}
	in.NextToken = out.NextBackwardToken
	out, err = c.GetLogEvents(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := messagesOf(out.Events); len(got) != 10 || got[0] != "5" || got[9] != "14" {
		t.Fatalf("backward page %v, want 5..14", got)
	}
	if ev := out.Events[0]; aws.ToInt64(ev.IngestionTime) != testNow.UnixMilli() {
		t.Fatalf("ingestionTime %d", aws.ToInt64(ev.IngestionTime))
	}
}

func TestGetLogEventsTimeRangeAndOrder(t *testing.T) {
	_, c := setup(t, nil)
	// Two batches that interleave in time: reads come back in timestamp order.
	if _, err := put(c, []types.InputLogEvent{ev(testNow.Add(-3*time.Second), "a"), ev(testNow.Add(-1*time.Second), "c")}); err != nil {
		t.Fatal(err)
	}
	if _, err := put(c, []types.InputLogEvent{ev(testNow.Add(-2*time.Second), "b"), ev(testNow, "d")}); err != nil {
		t.Fatal(err)
	}
	in := getInput()
	in.StartFromHead = aws.Bool(true)
	out, err := c.GetLogEvents(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := messagesOf(out.Events); len(got) != 4 || got[0] != "a" || got[1] != "b" || got[2] != "c" || got[3] != "d" {
		t.Fatalf("got %v, want a b c d", got)
	}
	in.StartTime = aws.Int64(testNow.Add(-2 * time.Second).UnixMilli())
	in.EndTime = aws.Int64(testNow.UnixMilli()) // exclusive
	out, err = c.GetLogEvents(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := messagesOf(out.Events); len(got) != 2 || got[0] != "b" || got[1] != "c" {
		t.Fatalf("got %v, want b c", got)
	}
}

func TestGetLogEventsErrors(t *testing.T) {
	_, c := setup(t, nil)
	in := getInput()
	in.LogStreamName = aws.String("missing")
	_, err := c.GetLogEvents(context.Background(), in)
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("err = %v, want ResourceNotFoundException", err)
	}
	in = getInput()
	in.NextToken = aws.String("nonsense")
	_, err = c.GetLogEvents(context.Background(), in)
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("err = %v, want InvalidParameterException", err)
	}
}

// TestAWSCLIReadsEvents proves the wire format is right for a client that
// shares no code with this package.
func TestAWSCLIReadsEvents(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("aws CLI not on PATH; skipping the independent-client interop check")
	}
	s, c := setup(t, &Options{Clock: time.Now})
	now := time.Now()
	if _, err := put(c, []types.InputLogEvent{ev(now.Add(-time.Second), "hello"), ev(now, "wörld")}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// The endpoint, region and credentials come from Env alone.
	cmd := exec.CommandContext(ctx, aws, "logs", "get-log-events",
		"--log-group-name", testGroup, "--log-stream-name", testStream,
		"--start-from-head", "--output", "json")
	cmd.Env = append(cliEnv(), s.Env()...)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("aws logs get-log-events: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("aws logs get-log-events: %v", err)
	}
	var resp struct {
		Events []struct {
			Timestamp     int64  `json:"timestamp"`
			Message       string `json:"message"`
			IngestionTime int64  `json:"ingestionTime"`
		} `json:"events"`
		NextForwardToken  string `json:"nextForwardToken"`
		NextBackwardToken string `json:"nextBackwardToken"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("CLI output %q: %v", out, err)
	}
	if len(resp.Events) != 2 || resp.Events[0].Message != "hello" || resp.Events[1].Message != "wörld" || resp.Events[1].Timestamp != now.UnixMilli() {
		t.Fatalf("CLI read %+v", resp)
	}
	if resp.NextForwardToken == "" || resp.NextBackwardToken == "" {
		t.Fatalf("CLI got no paging tokens: %s", out)
	}
}
