package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestSIGTERMDeliversLastRecords builds the program, runs it, sends it
// SIGTERM while its last records are still buffered, and checks that it
// exits with status 0 having stored every record it logged, the last
// before the signal and the one after it included.
func TestSIGTERMDeliversLastRecords(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no SIGTERM to send")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the program with")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "shutdown")
	if out, err := exec.CommandContext(ctx, goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.CommandContext(ctx, bin)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()

	var out []string
	select {
	case l, ok := <-lines:
		if !ok || !strings.HasPrefix(l, "working") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("first line %q, want the program to say it is working; stderr: %s", l, stderr.String())
		}
		out = append(out, l)
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the program did not start working within 30s")
	}
	// A few records are logged meanwhile; the first upload is due only
	// FlushInterval (1 s) after the first, so they are still buffered.
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for l := range lines {
		out = append(out, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\nstdout:\n%s\nstderr:\n%s", err, strings.Join(out, "\n"), stderr.String())
	}
	checkOutput(t, out)
}

// checkOutput fails t unless the stored records listed in out are the
// requests served 1 to n, in order, then the shutdown record saying n were
// served, and the statistics show every event delivered.
func checkOutput(t *testing.T, out []string) {
	t.Helper()
	text := strings.Join(out, "\n")
	var recs []map[string]any
	for _, l := range out {
		if !strings.HasPrefix(l, "{") {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("stored record %q is not JSON: %v", l, err)
		}
		recs = append(recs, rec)
	}
	if len(recs) < 2 {
		t.Fatalf("stored %d records, want at least a request and the shutdown:\n%s", len(recs), text)
	}
	last := recs[len(recs)-1]
	served, _ := last["served"].(float64)
	if last["msg"] != "shutting down" || int(served) != len(recs)-1 {
		t.Fatalf("last stored record %v, want the shutdown record counting the %d before it:\n%s", last, len(recs)-1, text)
	}
	for i, rec := range recs[:len(recs)-1] {
		if rec["msg"] != "request served" || rec["seq"] != float64(i+1) {
			t.Fatalf("stored record %d is %v, want request %d:\n%s", i, rec, i+1, text)
		}
	}
	n := len(recs)
	for _, want := range []string{
		fmt.Sprintf("stored %d events:", n),
		fmt.Sprintf("stats: added %d, delivered %d, rejected 0, dropped 0", n, n),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}
