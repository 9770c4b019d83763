package benchutil

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/internal/testutil"
)

// childEnv, when set, makes a test binary serve the local endpoint instead
// of running its tests (see ServeIfChild).
const childEnv = "CWLOG_BENCH_ENDPOINT_PROCESS"

// ServeIfChild returns at once unless this process was started by
// EndpointProcess. In that child it starts a testutil server that counts
// events without keeping them, prints its URL on standard output, serves
// until standard input closes, and exits. Call it first thing in TestMain.
func ServeIfChild() {
	if os.Getenv(childEnv) == "" {
		return
	}
	srv, err := testutil.NewServer(&testutil.Options{DiscardEvents: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchutil: endpoint:", err)
		os.Exit(1)
	}
	fmt.Println(srv.URL())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
	os.Exit(0)
}

// EndpointProcess starts the local endpoint in a child process, re-running
// the test binary, whose TestMain must call ServeIfChild, and returns a
// real SDK client pointed at it. CloudWatch runs outside the application:
// in a child process the endpoint's request decoding neither grows the
// benchmark's heap nor triggers its garbage collections, though it still
// competes for the machine's cores. The process and the client's idle
// connections end in b's cleanup.
func EndpointProcess(b *testing.B) *cloudwatchlogs.Client {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// The Shipper may run several calls at once; keep their connections.
	transport.MaxIdleConnsPerHost = 64
	b.Cleanup(func() {
		transport.CloseIdleConnections()
		stdin.Close()
		cmd.Wait()
	})
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("benchutil: endpoint process: %v", err)
	}
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(strings.TrimSpace(url)),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDBENCH", SecretAccessKey: "secret"}, nil
		}),
		HTTPClient: &http.Client{Transport: transport},
	})
}

// EndpointInProcess starts the local endpoint in this process and returns
// a real SDK client pointed at it: the endpoint's work then also takes the
// benchmark's heap and garbage collections. It stops in b's cleanup.
func EndpointInProcess(b *testing.B) *cloudwatchlogs.Client {
	b.Helper()
	return testutil.Start(b, &testutil.Options{DiscardEvents: true}).Client()
}
