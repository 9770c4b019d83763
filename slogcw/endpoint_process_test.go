package slogcw_test

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

// endpointEnv, when set, makes the test binary serve the local endpoint
// instead of running tests (see serveEndpoint).
const endpointEnv = "SLOGCW_TEST_ENDPOINT_PROCESS"

// serveEndpoint runs in a child process: it starts a testutil server that
// keeps no events, prints its URL, and serves until standard input closes.
func serveEndpoint() {
	srv, err := testutil.NewServer(&testutil.Options{DiscardEvents: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(srv.URL())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
	os.Exit(0)
}

// startEndpointProcess runs the local endpoint in a child process, as
// CloudWatch runs outside the application: its request decoding then
// neither takes the benchmark's heap nor triggers its garbage collections.
// It still competes for the machine's cores.
// It returns a real SDK client pointed at it; both stop when b ends.
func startEndpointProcess(b *testing.B) *cloudwatchlogs.Client {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), endpointEnv+"=1")
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
	b.Cleanup(func() {
		transport.CloseIdleConnections()
		stdin.Close()
		cmd.Wait()
	})
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("endpoint process: %v", err)
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
