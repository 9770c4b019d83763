package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cwlog/cwlog/cwlogtest"
)

// These tests build the command and run it as a user would, against the
// local endpoint started in the test process. The commands that run
// another command run this test binary as it, in one of childModes.

// runBound bounds one run of cwlog. A run loads the AWS settings, makes a
// few calls to an endpoint in this process and runs a child that ends at
// once: a second or two, even under the race detector. The bound is far
// above that, so that a loaded machine does not fail a test; it only stops
// a run that hangs.
const runBound = 2 * time.Minute

// childEnv names the environment variable that makes this test binary act
// as a child of cwlog run, in the mode it holds.
const childEnv = "CWLOG_TEST_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		child, ok := childModes[mode]
		if !ok {
			fmt.Fprintf(os.Stderr, "unknown %s %q\n", childEnv, mode)
			os.Exit(99)
		}
		os.Exit(child())
	}
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		if built.dir != "" {
			os.RemoveAll(built.dir)
		}
		os.Exit(code)
	}))
}

// built is the command, built once for all tests.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
	skip string
}

// binary returns the path of the built command.
func binary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		goBin, err := exec.LookPath("go")
		if err != nil {
			built.skip = "no go command to build cwlog with"
			return
		}
		built.dir, built.err = os.MkdirTemp("", "cwlog-test-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "cwlog")
		if runtime.GOOS == "windows" {
			built.path += ".exe"
		}
		args := []string{"build", "-o", built.path}
		if raceEnabled {
			args = append(args, "-race")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, goBin, append(args, ".")...).CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.skip != "" {
		t.Skip(built.skip)
	}
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// awsEnv is the environment of a cwlog pointed at url: the process's own
// without its AWS settings, then the endpoint, dummy credentials and a
// region, and no shared files.
func awsEnv(t *testing.T, url string) []string {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(strings.ToUpper(kv), "AWS_") && !strings.HasPrefix(kv, childEnv+"=") {
			env = append(env, kv)
		}
	}
	dir := t.TempDir()
	return append(env,
		"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS="+url,
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_REGION=us-east-1",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
	)
}

// result is how a run of cwlog ended.
type result struct {
	status         int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit status %d\nstdout:\n%s\nstderr:\n%s", r.status, r.stdout, r.stderr)
}

// proc is a run of cwlog, bounded by runBound.
type proc struct {
	*exec.Cmd
	ctx context.Context
}

// newProc returns cwlog with args and the environment env, not started.
func newProc(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), runBound)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = env
	cmd.WaitDelay = 10 * time.Second
	return &proc{Cmd: cmd, ctx: ctx}
}

// cwlog runs cwlog with args, stdin as its input, and returns how it ended.
func cwlog(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	p := newProc(t, env, args...)
	p.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	p.Stdout, p.Stderr = &stdout, &stderr
	return p.result(t, p.Run(), &stdout, &stderr)
}

// result returns how p ended, given the error of its Run or Wait.
func (p *proc) result(t *testing.T, err error, stdout, stderr fmt.Stringer) result {
	t.Helper()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if p.ctx.Err() != nil {
		t.Fatalf("cwlog %s did not end within %v\n%v", strings.Join(p.Args[1:], " "), runBound, r)
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.status = exitStatus(exit.ProcessState)
	default:
		t.Fatalf("cwlog %s: %v\n%v", strings.Join(p.Args[1:], " "), err, r)
	}
	return r
}

// childArgs are the arguments of cwlog run that run this test binary as
// a child in mode, and env the environment that selects the mode.
func childArgs(t *testing.T, env []string, mode string) ([]string, []string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return []string{"--", self}, append(slices.Clip(env), childEnv+"="+mode)
}

// output collects what a process writes and tells when a line appeared.
type output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newOutput() *output { return &output{changed: make(chan struct{}, 1)} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	o.buf.Write(p)
	o.mu.Unlock()
	select {
	case o.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// line waits, within runBound, for a whole line starting with prefix, and
// returns it without its line ending.
func (o *output) line(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.NewTimer(runBound)
	defer deadline.Stop()
	for {
		for _, l := range strings.SplitAfter(o.String(), "\n") {
			if strings.HasSuffix(l, "\n") && strings.HasPrefix(l, prefix) {
				return strings.TrimRight(l, "\r\n")
			}
		}
		select {
		case <-o.changed:
		case <-deadline.C:
			t.Fatalf("no line starting %q within %v; output:\n%s", prefix, runBound, o.String())
		}
	}
}

// stored returns the messages of a stream, sorted, for comparing
// lines written to two pipes, whose order between them is not kept.
func stored(srv *cwlogtest.Server, group, stream string) []string {
	msgs := srv.Messages(group, stream)
	slices.Sort(msgs)
	return msgs
}

func sorted(s ...string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestVersion(t *testing.T) {
	r := cwlog(t, os.Environ(), "", "version")
	if r.status != 0 || !strings.HasPrefix(r.stdout, "cwlog ") {
		t.Fatalf("want the version on stdout and status 0, got %v", r)
	}
}
