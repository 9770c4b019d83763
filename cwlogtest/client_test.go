package cwlogtest

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// TestEnvPointsDefaultConfigAtServer is the path of code under test that
// builds its own client from the default configuration.
func TestEnvPointsDefaultConfigAtServer(t *testing.T) {
	s, _ := setup(t, nil)
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "") // registers the restore
			os.Unsetenv(k)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}

	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	c := cloudwatchlogs.NewFromConfig(cfg)
	if _, err := c.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: aws.String(testGroup), LogStreamName: aws.String(testStream), LogEvents: []types.InputLogEvent{ev(testNow, "via env")},
	}); err != nil {
		t.Fatal(err)
	}
	if got := s.Messages(testGroup, testStream); !slices.Equal(got, []string{"via env"}) {
		t.Fatalf("stored %q", got)
	}
}

func TestStartRejectsBadOptions(t *testing.T) {
	if _, err := NewServer(&Options{MaxEventBytes: -1}); err == nil || !strings.HasPrefix(err.Error(), "cwlogtest: ") {
		t.Fatalf("err = %v, want a cwlogtest error", err)
	}
}

func TestCloseIsIdempotentAndKeepsStore(t *testing.T) {
	s, err := NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.CreateStream(testGroup, testStream)
	c := s.Client(fastRetries(1))
	if _, err := put(c, []types.InputLogEvent{ev(time.Now(), "m")}); err != nil {
		t.Fatal(err)
	}
	if s.Close() != nil || s.Close() != nil {
		t.Fatal("Close returned an error")
	}
	if _, err := put(c, []types.InputLogEvent{ev(time.Now(), "late")}); err == nil {
		t.Fatal("put succeeded after Close")
	}
	if got := s.Messages(testGroup, testStream); !slices.Equal(got, []string{"m"}) {
		t.Fatalf("after Close, stored %q", got)
	}
}
