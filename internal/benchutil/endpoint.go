package benchutil

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// childEnv, when set, makes a test binary serve a sink instead of running
// its tests (see ServeIfChild). Its value is the sink's delay.
const childEnv = "CWLOG_BENCH_ENDPOINT_PROCESS"

// ServeIfChild returns at once unless this process was started by
// EndpointProcess, EndpointSlow or EndpointStalled. In that child it serves
// an endpoint that discards what it receives, prints its URL on standard
// output, answers each line read from standard input with the CPU time it
// has used, in nanoseconds, and the events it has received, and exits when
// standard input closes. Call it first thing in TestMain, or from an init
// function of a _test.go file.
func ServeIfChild() {
	v := os.Getenv(childEnv)
	if v == "" {
		return
	}
	delay, err := time.ParseDuration(v)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchutil: endpoint:", err)
		os.Exit(1)
	}
	s := &sink{delay: delay}
	fmt.Println(httptest.NewServer(s).URL)
	for in := bufio.NewScanner(os.Stdin); in.Scan(); {
		fmt.Println(int64(processCPU()), s.events.Load())
	}
	// Exiting also ends the calls a delay still holds.
	os.Exit(0)
}

// child is an endpoint process started by startProcess.
type child struct {
	mu     sync.Mutex
	stdin  io.Writer
	stdout *bufio.Reader
}

// stats returns the CPU time the child has used and the events it has
// received, or zeros if it cannot tell.
func (c *child) stats() (cpu time.Duration, events int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := io.WriteString(c.stdin, "stats\n"); err != nil {
		return 0, 0
	}
	line, err := c.stdout.ReadString('\n')
	if err != nil {
		return 0, 0
	}
	var ns int64
	if _, err := fmt.Sscan(line, &ns, &events); err != nil {
		return 0, 0
	}
	return time.Duration(ns), events
}

// endpoint is what NewShipper needs to know of a client's endpoint: where
// to read what it received, and whether it holds every upload.
type endpoint struct {
	proc    *child // the endpoint's process, or nil when it runs in this one
	sink    *sink  // the endpoint, when it runs in this process
	stalled bool   // the client came from EndpointStalled
}

// received returns the events the endpoint has received and, when it runs
// in a child process, the CPU time that process has used.
func (e endpoint) received() (events int64, cpu time.Duration) {
	if e.proc != nil {
		cpu, events = e.proc.stats()
		return events, cpu
	}
	return e.sink.events.Load(), 0
}

// endpoints maps the clients the Endpoint functions returned to their
// endpoint, until b's cleanup.
var endpoints sync.Map // *cloudwatchlogs.Client -> endpoint

// EndpointProcess starts an endpoint that discards what it receives in a
// child process, re-running the test binary, whose TestMain must call
// ServeIfChild, and returns a real SDK client pointed at it. CloudWatch
// runs outside the application: in a child process the endpoint's work
// neither grows the benchmark's heap nor triggers its garbage
// collections, though it still competes for the machine's cores. A
// Shipper from NewShipper with this client reports the process's CPU time
// too. The process and the client's idle connections end in b's cleanup.
func EndpointProcess(b *testing.B) *cloudwatchlogs.Client {
	b.Helper()
	return startProcess(b, 0, false)
}

// EndpointSlow is EndpointProcess with every PutLogEvents call answered
// latency late, as by a distant Region.
func EndpointSlow(b *testing.B, latency time.Duration) *cloudwatchlogs.Client {
	b.Helper()
	return startProcess(b, latency, false)
}

// EndpointStalled is EndpointProcess holding every PutLogEvents call until
// the benchmark ends. A Shipper using it uploads nothing while the loop
// runs: not a measurement of shipping, but a diagnostic of what the
// adapter and Add cost on their own, with the queue growing as it does
// whenever the uploads fall behind. Meter.Finish then only gives up the
// backlog.
func EndpointStalled(b *testing.B) *cloudwatchlogs.Client {
	b.Helper()
	return startProcess(b, time.Hour, true)
}

// EndpointInProcess starts the endpoint of EndpointProcess in this
// process and returns a real SDK client pointed at it: the endpoint's work
// then also takes the benchmark's heap and garbage collections. It stops
// in b's cleanup.
func EndpointInProcess(b *testing.B) *cloudwatchlogs.Client {
	b.Helper()
	s := new(sink)
	srv := httptest.NewServer(s)
	b.Cleanup(srv.Close)
	return newClient(b, srv.URL, endpoint{sink: s})
}

func startProcess(b *testing.B, delay time.Duration, stalled bool) *cloudwatchlogs.Client {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	// One thread of Go code at a time: the endpoint stands in for a
	// service on other machines, so it should not take both cores from the
	// process measured in bursts of its own garbage collection.
	cmd.Env = append(os.Environ(), childEnv+"="+delay.String(), "GOMAXPROCS=1")
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
	b.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	out := bufio.NewReader(stdout)
	url, err := out.ReadString('\n')
	if err != nil {
		b.Fatalf("benchutil: endpoint process: %v", err)
	}
	return newClient(b, strings.TrimSpace(url), endpoint{proc: &child{stdin: stdin, stdout: out}, stalled: stalled})
}

// newClient returns a real SDK client for the endpoint at url and
// registers it for NewShipper until b's cleanup.
func newClient(b *testing.B, url string, e endpoint) *cloudwatchlogs.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// The Shipper may run several calls at once; keep their connections.
	transport.MaxIdleConnsPerHost = 64
	client := cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDBENCH", SecretAccessKey: "secret"}, nil
		}),
		HTTPClient: &http.Client{Transport: transport},
	})
	endpoints.Store(client, e)
	b.Cleanup(func() {
		endpoints.Delete(client)
		transport.CloseIdleConnections()
	})
	return client
}
