package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/cwlogtest"
)

// endpointEnv, when set, makes this program serve the local endpoint
// instead of measuring (see serveIfChild).
const endpointEnv = "CWLOG_RSS_ENDPOINT"

// Outage is how the endpoint misbehaves until it recovers.
type Outage struct {
	Kind    string        // "unavailable", "hang" or "slow"
	Latency time.Duration // for "slow": how late each call is answered
}

// fault is what the endpoint does to each PutLogEvents call in o.
func (o Outage) fault() (cwlogtest.Fault, error) {
	switch o.Kind {
	case "unavailable":
		// Down: every call answered at once with 503, retried after the
		// Shipper's backoff.
		return cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable}, nil
	case "hang":
		// Unreachable: no call is answered; each ends at CallTimeout.
		return cwlogtest.Fault{Delay: 24 * time.Hour}, nil
	case "slow":
		// Slow: every call is stored and answered, Latency late.
		if o.Latency <= 0 {
			return cwlogtest.Fault{}, fmt.Errorf("outage slow needs a latency above 0")
		}
		return cwlogtest.Fault{Delay: o.Latency}, nil
	}
	return cwlogtest.Fault{}, fmt.Errorf("unknown outage %q: want unavailable, hang or slow", o.Kind)
}

func (o Outage) String() string {
	if o.Kind == "slow" {
		return "slow " + o.Latency.String()
	}
	return o.Kind
}

// endpoint is the local CloudWatch Logs endpoint, in this process or in a
// child, that the measured Shipper's client talks to.
type endpoint interface {
	URL() string
	// Fail starts the outage; Recover ends it.
	Fail(Outage) error
	Recover() error
	Close() error
}

// control applies a command of the child's protocol to srv.
func control(srv *cwlogtest.Server, cmd string) error {
	f := strings.Fields(cmd)
	switch {
	case len(f) == 1 && f[0] == "recover":
		srv.ClearFaults()
		return nil
	case len(f) == 3 && f[0] == "fail":
		lat, err := time.ParseDuration(f[2])
		if err != nil {
			return err
		}
		fault, err := Outage{Kind: f[1], Latency: lat}.fault()
		if err != nil {
			return err
		}
		srv.SetFault(cwlogtest.OpPutLogEvents, fault)
		return nil
	}
	return fmt.Errorf("unknown command %q", cmd)
}

func failCommand(o Outage) string { return fmt.Sprintf("fail %s %s", o.Kind, o.Latency) }

// newServer starts the endpoint, keeping no events: what it is sent is
// checked and counted, never stored, so that it holds nothing it is given.
func newServer() (*cwlogtest.Server, error) {
	return cwlogtest.NewServer(&cwlogtest.Options{DiscardEvents: true})
}

// inProcess is the endpoint running in this process: its memory and its
// collections are the measured process's, as real CloudWatch's are not.
type inProcess struct{ srv *cwlogtest.Server }

func startInProcess() (*inProcess, error) {
	srv, err := newServer()
	if err != nil {
		return nil, err
	}
	return &inProcess{srv}, nil
}

func (e *inProcess) URL() string { return e.srv.URL() }
func (e *inProcess) Fail(o Outage) error {
	return control(e.srv, failCommand(o))
}
func (e *inProcess) Recover() error { return control(e.srv, "recover") }
func (e *inProcess) Close() error   { return e.srv.Close() }

// child is the endpoint running in a child process, this program run
// again with endpointEnv set, as CloudWatch runs outside the application.
type child struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	url string
}

func startChild() (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	// One thread of Go code: the endpoint stands in for a service on
	// other machines, and should take as little of this one as it can.
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "GOMEMLIMIT=") || strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMAXPROCS=")
	})
	cmd.Env = append(env, endpointEnv+"=1", "GOMAXPROCS=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, in: in, out: bufio.NewReader(outPipe)}
	url, err := c.out.ReadString('\n')
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("endpoint process: %w", err)
	}
	c.url = strings.TrimSpace(url)
	return c, nil
}

func (c *child) URL() string { return c.url }

// do sends cmd to the child and waits for its answer.
func (c *child) do(cmd string) error {
	if _, err := io.WriteString(c.in, cmd+"\n"); err != nil {
		return fmt.Errorf("endpoint process: %w", err)
	}
	line, err := c.out.ReadString('\n')
	if err != nil {
		return fmt.Errorf("endpoint process: %w", err)
	}
	if line = strings.TrimSpace(line); line != "ok" {
		return fmt.Errorf("endpoint process: %s", line)
	}
	return nil
}

func (c *child) Fail(o Outage) error { return c.do(failCommand(o)) }
func (c *child) Recover() error      { return c.do("recover") }

// Close ends the child: it exits when its standard input closes.
func (c *child) Close() error {
	c.in.Close()
	return c.cmd.Wait()
}

// serveIfChild returns at once unless this process is an endpoint started
// by startChild. Then it serves the endpoint, prints its URL, answers each
// command read from standard input with "ok" or the error, and exits when
// standard input closes.
func serveIfChild() {
	if os.Getenv(endpointEnv) == "" {
		return
	}
	srv, err := newServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rss: endpoint:", err)
		os.Exit(1)
	}
	fmt.Println(srv.URL())
	for in := bufio.NewScanner(os.Stdin); in.Scan(); {
		if err := control(srv, in.Text()); err != nil {
			fmt.Println(strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		fmt.Println("ok")
	}
	srv.Close()
	os.Exit(0)
}

// newClient returns a real SDK client for the endpoint at url, configured
// as an application's would be but for the endpoint and credentials.
func newClient(url string) *cloudwatchlogs.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDRSSRSSRSS", SecretAccessKey: "secret"}, nil
		}),
		HTTPClient: &http.Client{Transport: t},
	})
}
