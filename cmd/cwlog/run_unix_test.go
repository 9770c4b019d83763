//go:build unix

package main

import (
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/cwlog/cwlog/cwlogtest"
)

func TestRunKilledBySignal(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	child, env := childArgs(t, awsEnv(t, srv.URL()), "kill")
	r := cwlog(t, env, "", append([]string{"run", "-group", "app", "-stream", "s"}, child...)...)
	if want := 128 + int(syscall.SIGKILL); r.status != want {
		t.Fatalf("want status %d, got %v", want, r)
	}
	if got := srv.Messages("app", "s"); !slices.Equal(got, []string{"before kill"}) {
		t.Errorf("stored %q, want the line before the kill", got)
	}
}

// TestRunRelaysSignal sends a signal to cwlog alone, not to its process
// group, while its child waits for it; the child writes a last line and
// exits 7.
func TestRunRelaysSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			srv := cwlogtest.Start(t, nil)
			child, env := childArgs(t, awsEnv(t, srv.URL()), "trap")
			p := newProc(t, env, append([]string{"run", "-group", "app", "-stream", "s"}, child...)...)
			// In a process group of its own, cwlog is not in the
			// foreground group of a terminal the tests may run in, whose
			// Ctrl-C it would leave to the child.
			p.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			stdout, stderr := newOutput(), newOutput()
			p.Stdout, p.Stderr = stdout, stderr
			if err := p.Start(); err != nil {
				t.Fatal(err)
			}
			stdout.line(t, "ready")
			if err := p.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			r := p.result(t, p.Wait(), stdout, stderr)
			if r.status != 7 {
				t.Fatalf("want the child's status 7, got %v", r)
			}
			last := "caught " + sig.String()
			if !strings.HasSuffix(r.stdout, last+"\n") {
				t.Errorf("stdout does not end with %q: %v", last, r)
			}
			if got := srv.Messages("app", "s"); !slices.Equal(got, []string{"ready", last}) {
				t.Errorf("stored %q, want ready and %q", got, last)
			}
		})
	}
}
