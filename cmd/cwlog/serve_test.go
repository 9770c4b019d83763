package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func TestServe(t *testing.T) {
	p := newProc(t, os.Environ(), "serve", "-addr", "127.0.0.1:0")
	stdout, stderr := newOutput(), newOutput()
	p.Stdout, p.Stderr = stdout, stderr
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	running := true
	t.Cleanup(func() {
		if running {
			p.Process.Kill()
			p.Wait()
		}
	})
	url := stdout.line(t, "http://127.0.0.1:")
	stderr.line(t, "Stop it with")
	if want := "export AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=" + url + "\n"; !strings.Contains(stderr.String(), want) {
		t.Errorf("the instructions lack %q:\n%s", want, stderr)
	}

	ctx, cancel := context.WithTimeout(context.Background(), runBound)
	defer cancel()
	transport := http.DefaultTransport.(*http.Transport).Clone()
	defer transport.CloseIdleConnections()
	client := cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
		HTTPClient: &http.Client{Transport: transport},
	})
	messages := func(t *testing.T, stream string) []string {
		t.Helper()
		out, err := client.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{
			LogGroupName: aws.String("tests"), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true),
		})
		if err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, e := range out.Events {
			msgs = append(msgs, aws.ToString(e.Message))
		}
		return msgs
	}

	t.Run("sdk", func(t *testing.T) {
		if _, err := client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("tests")}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{
			LogGroupName: aws.String("tests"), LogStreamName: aws.String("sdk"),
		}); err != nil {
			t.Fatal(err)
		}
		now := aws.Int64(time.Now().UnixMilli())
		if _, err := client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{
			LogGroupName: aws.String("tests"), LogStreamName: aws.String("sdk"),
			LogEvents: []types.InputLogEvent{{Message: aws.String("first"), Timestamp: now}, {Message: aws.String("second"), Timestamp: now}},
		}); err != nil {
			t.Fatal(err)
		}
		if got := messages(t, "sdk"); !slices.Equal(got, []string{"first", "second"}) {
			t.Errorf("read back %q", got)
		}
	})

	t.Run("pipe", func(t *testing.T) {
		r := cwlog(t, awsEnv(t, url), "piped 1\npiped 2\n", "pipe", "-group", "tests", "-stream", "piped")
		if r.status != 0 {
			t.Fatalf("want status 0, got %v", r)
		}
		if got := messages(t, "piped"); !slices.Equal(got, []string{"piped 1", "piped 2"}) {
			t.Errorf("read back %q", got)
		}
	})

	t.Run("aws cli", func(t *testing.T) {
		awsCLI, err := exec.LookPath("aws")
		if err != nil {
			t.Skip("no aws command")
		}
		// --endpoint-url, which every version of the CLI takes, rather
		// than AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, which older ones ignore.
		cli := exec.CommandContext(ctx, awsCLI, "logs", "get-log-events", "--endpoint-url", url,
			"--log-group-name", "tests", "--log-stream-name", "sdk", "--start-from-head", "--output", "json")
		cli.Env = append(awsEnv(t, url), "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=")
		out, err := cli.Output()
		if err != nil {
			var stderr []byte
			if exit, ok := err.(*exec.ExitError); ok {
				stderr = exit.Stderr
			}
			t.Fatalf("aws logs get-log-events: %v\n%s", err, stderr)
		}
		var answer struct{ Events []struct{ Message string } }
		if err := json.Unmarshal(out, &answer); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		var got []string
		for _, e := range answer.Events {
			got = append(got, e.Message)
		}
		if !slices.Equal(got, []string{"first", "second"}) {
			t.Errorf("the AWS CLI read %q", got)
		}
	})

	if runtime.GOOS == "windows" {
		return // no SIGTERM to send; Cleanup kills it
	}
	if err := p.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := p.result(t, p.Wait(), stdout, stderr)
	running = false
	if r.status != 0 {
		t.Errorf("want status 0 after SIGTERM, got %v", r)
	}
}

func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := cwlog(t, os.Environ(), "", "serve", "-addr", ln.Addr().String())
	if r.status != 1 || !strings.Contains(r.stderr, "cwlog serve: listen tcp "+ln.Addr().String()) {
		t.Fatalf("want status 1 and the listen error, got %v", r)
	}
}
