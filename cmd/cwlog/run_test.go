package main

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/cwlog/cwlog/cwlogtest"
)

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name   string
		flags  []string
		stored []string
	}{
		{"unmarked", nil, []string{
			"out 1", `{"level":"info","msg":"json stays json","n":1}`, "out unfinished",
			"err 1", "err 2", "err unfinished",
		}},
		{"stderr-prefix", []string{"-stderr-prefix", "[stderr] "}, []string{
			"out 1", `{"level":"info","msg":"json stays json","n":1}`, "out unfinished",
			"[stderr] err 1", "[stderr] err 2", "[stderr] err unfinished",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := cwlogtest.Start(t, nil)
			child, env := childArgs(t, awsEnv(t, srv.URL()), "both")
			args := append([]string{"run", "-group", "app", "-stream", "run-1"}, tc.flags...)
			r := cwlog(t, env, "", append(args, child...)...)
			if r.status != 3 {
				t.Fatalf("want the child's status 3, got %v", r)
			}
			if got := stored(srv, "app", "run-1"); !slices.Equal(got, sorted(tc.stored...)) {
				t.Errorf("stored\n%q\nwant, in any order,\n%q", got, tc.stored)
			}
			if r.stdout != bothStdout {
				t.Errorf("stdout %q, want the child's %q", r.stdout, bothStdout)
			}
			if !strings.HasPrefix(r.stderr, bothStderr) {
				t.Errorf("stderr does not start with the child's %q:\n%s", bothStderr, r.stderr)
			}
			if summary := "cwlog: 6 events delivered, 0 dropped, 0 rejected\n"; !strings.HasSuffix(r.stderr, summary) {
				t.Errorf("stderr does not end with the summary %q:\n%s", summary, r.stderr)
			}
		})
	}
}

func TestRunCheckFailsRunsAnyway(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	child, env := childArgs(t, awsEnv(t, srv.URL()), "both")
	args := []string{"run", "-group", "missing", "-stream", "s", "-no-create", "-timeout", "1s"}
	r := cwlog(t, env, "", append(args, child...)...)
	if r.status != 3 {
		t.Fatalf("want the child's status 3, got %v", r)
	}
	if r.stdout != bothStdout {
		t.Errorf("stdout %q, want the child's %q", r.stdout, bothStdout)
	}
	for _, want := range []string{
		"log group missing does not exist",
		"running the command anyway",
		"cwlog: 0 events delivered, 6 dropped, 0 rejected",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestRunCannotStart(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	env := awsEnv(t, srv.URL())
	t.Run("not found", func(t *testing.T) {
		r := cwlog(t, env, "", "run", "-group", "app", "-stream", "s", "--", "cwlog-test-no-such-command")
		if r.status != exitNotFound || !strings.Contains(r.stderr, "cwlog-test-no-such-command") {
			t.Fatalf("want status 127 and the command named, got %v", r)
		}
	})
	t.Run("no such path", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "absent")
		r := cwlog(t, env, "", "run", "-group", "app", "-stream", "s", "--", path)
		if r.status != exitNotFound {
			t.Fatalf("want status 127, got %v", r)
		}
	})
	t.Run("not executable", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("Windows has no execute permission to withhold")
		}
		path := filepath.Join(t.TempDir(), "script")
		if err := os.WriteFile(path, []byte("#!/bin/sh\necho hi\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := cwlog(t, env, "", "run", "-group", "app", "-stream", "s", "--", path)
		if r.status != exitCannotRun {
			t.Fatalf("want status 126, got %v", r)
		}
	})
	if groups := srv.Groups(); len(groups) != 0 {
		t.Errorf("groups %q were created for commands that never ran", groups)
	}
}
