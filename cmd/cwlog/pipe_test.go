package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/cwlog/cwlog/cwlogtest"
)

func TestPipe(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	input := "plain text\n" +
		`{"level":"info","msg":"hello","n":1}` + "\n" +
		"\n" + // empty: skipped
		"windows line\r\n" +
		"  spaced  \n" +
		`{"level":"warn","msg":"last, without a newline"}`
	want := []string{
		"plain text",
		`{"level":"info","msg":"hello","n":1}`,
		"windows line",
		"  spaced  ",
		`{"level":"warn","msg":"last, without a newline"}`,
	}
	r := cwlog(t, awsEnv(t, srv.URL()), input, "pipe", "-group", "app", "-stream", "pipe-1")
	if r.status != 0 {
		t.Fatalf("want status 0, got %v", r)
	}
	if got := srv.Messages("app", "pipe-1"); !slices.Equal(got, want) {
		t.Errorf("stored\n%q\nwant\n%q", got, want)
	}
	if summary := "cwlog: 5 events delivered, 0 dropped, 0 rejected\n"; !strings.HasSuffix(r.stderr, summary) {
		t.Errorf("stderr does not end with the summary %q:\n%s", summary, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
}

func TestPipeQuiet(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	r := cwlog(t, awsEnv(t, srv.URL()), "one\ntwo\n", "pipe", "-group", "app", "-stream", "s", "-quiet")
	if r.status != 0 || r.stderr != "" {
		t.Fatalf("want status 0 and nothing on stderr, got %v", r)
	}
	if got := srv.Messages("app", "s"); !slices.Equal(got, []string{"one", "two"}) {
		t.Errorf("stored %q", got)
	}
}

func TestPipeCheckFails(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	r := cwlog(t, awsEnv(t, srv.URL()), "never shipped\n", "pipe", "-group", "missing", "-stream", "s", "-no-create")
	if r.status != 1 {
		t.Fatalf("want status 1, got %v", r)
	}
	for _, want := range []string{"log group missing does not exist", "-no-create sets SkipCreateGroup", "-check=false skips it"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if groups := srv.Groups(); len(groups) != 0 {
		t.Errorf("groups %q were created", groups)
	}
}

func TestPipeUndelivered(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	// Without the check, and the group missing, Close gives up at -timeout.
	r := cwlog(t, awsEnv(t, srv.URL()), "lost\n", "pipe", "-group", "missing", "-stream", "s",
		"-no-create", "-check=false", "-timeout", "1s")
	if r.status != 1 {
		t.Fatalf("want status 1, got %v", r)
	}
	for _, want := range []string{"gave up delivering 1 event after -timeout 1s", "cwlog: 0 events delivered, 1 dropped, 0 rejected"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}
