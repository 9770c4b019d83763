package benchutil

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/internal/testutil"
)

// childEnv, when set, makes a test binary serve the local endpoint instead
// of running its tests (see ServeIfChild).
const childEnv = "CWLOG_BENCH_ENDPOINT_PROCESS"

// ServeIfChild returns at once unless this process was started by
// EndpointProcess. In that child it starts a testutil server that counts
// events without keeping them, prints its URL on standard output, answers
// each line read from standard input with the CPU time it has used, in
// nanoseconds, and exits when standard input closes. Call it first thing
// in TestMain.
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
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		fmt.Println(int64(processCPU()))
	}
	srv.Close()
	os.Exit(0)
}

// child is an endpoint process started by EndpointProcess.
type child struct {
	mu     sync.Mutex
	stdin  io.Writer
	stdout *bufio.Reader
}

// cpu returns the CPU time the child has used, or 0 if it cannot tell.
func (c *child) cpu() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := io.WriteString(c.stdin, "cpu\n"); err != nil {
		return 0
	}
	line, err := c.stdout.ReadString('\n')
	if err != nil {
		return 0
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
	if err != nil {
		return 0
	}
	return time.Duration(ns)
}

// endpoint is what NewShipper needs to know of a client's endpoint: the
// process whose CPU time to report, and whether it holds every upload.
type endpoint struct {
	proc    *child // nil unless the client came from EndpointProcess
	stalled bool   // the client came from EndpointStalled
}

// endpoints maps the clients the Endpoint functions returned to their
// endpoint, until b's cleanup.
var endpoints sync.Map // *cloudwatchlogs.Client -> endpoint

func register(b *testing.B, c *cloudwatchlogs.Client, e endpoint) {
	endpoints.Store(c, e)
	b.Cleanup(func() { endpoints.Delete(c) })
}

// EndpointProcess starts the local endpoint in a child process, re-running
// the test binary, whose TestMain must call ServeIfChild, and returns a
// real SDK client pointed at it. CloudWatch runs outside the application:
// in a child process the endpoint's request decoding neither grows the
// benchmark's heap nor triggers its garbage collections, though it still
// competes for the machine's cores. A Shipper from NewShipper with this
// client reports the process's CPU time too. The process and the client's
// idle connections end in b's cleanup.
func EndpointProcess(b *testing.B) *cloudwatchlogs.Client {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	// One thread of Go code at a time: the endpoint stands in for a
	// service on other machines, so it should not take both cores from the
	// process measured in bursts of its own garbage collection.
	cmd.Env = append(os.Environ(), childEnv+"=1", "GOMAXPROCS=1")
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
	out := bufio.NewReader(stdout)
	url, err := out.ReadString('\n')
	if err != nil {
		b.Fatalf("benchutil: endpoint process: %v", err)
	}
	client := cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(strings.TrimSpace(url)),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDBENCH", SecretAccessKey: "secret"}, nil
		}),
		HTTPClient: &http.Client{Transport: transport},
	})
	register(b, client, endpoint{proc: &child{stdin: stdin, stdout: out}})
	return client
}

// EndpointInProcess starts the local endpoint in this process and returns
// a real SDK client pointed at it: the endpoint's work then also takes the
// benchmark's heap and garbage collections. It stops in b's cleanup.
func EndpointInProcess(b *testing.B) *cloudwatchlogs.Client {
	b.Helper()
	return testutil.Start(b, &testutil.Options{DiscardEvents: true}).Client()
}

// EndpointStalled starts the local endpoint in this process, holding every
// PutLogEvents call until the benchmark ends, and returns a real SDK client
// pointed at it. A Shipper using it uploads nothing while the loop runs:
// not a measurement of shipping, but a diagnostic of what the adapter and
// Add cost on their own, with the queue growing as it does whenever the
// uploads fall behind. Meter.Finish then only gives up the backlog.
func EndpointStalled(b *testing.B) *cloudwatchlogs.Client {
	b.Helper()
	srv := testutil.Start(b, &testutil.Options{DiscardEvents: true})
	srv.SetFault("PutLogEvents", testutil.Fault{Delay: time.Hour})
	c := srv.Client()
	register(b, c, endpoint{stalled: true})
	return c
}
