// Command benchtable runs the module's benchmarks and prints, per
// benchmark group, a Markdown table of the median and range of every
// metric, each sub-benchmark's ratio to its baseline, and a verdict
// against the project's performance targets.
//
// Run it from the module root:
//
//	go run ./internal/cmd/benchtable [-count 6] [-benchtime 1s] [-pkgs ./core/,./slogcw/]
//
// The benchmarks run in rounds: each round is one go test -count 1 over
// every package, and -count sets the number of rounds. On a shared machine
// whose load drifts over minutes, a benchmark and its baseline are then
// always measured close together, and each ratio is the median of the
// rounds' own ratios (see Compare).
//
// The raw output of go test is saved to a file, whose path is printed,
// for benchstat; if benchstat is on PATH its summary is printed too. With
// -in, an existing raw file is rendered instead of running anything.
//
// A sub-benchmark's baseline is the one of the same group and mode whose
// name ends in "-discard" or starts with "raw-sdk", unless a target names
// another (see targets.go). The command exits with status 1 if go test
// failed or a target was missed.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

func main() {
	count := flag.Int("count", 6, "rounds: runs of each benchmark, one per go test -count 1")
	benchtime := flag.String("benchtime", "", "go test -benchtime; empty for its default")
	pkgs := flag.String("pkgs", "./core/,./slogcw/,./zapcw/,./logruscw/", "comma-separated packages to benchmark")
	bench := flag.String("bench", ".", "go test -bench pattern")
	timeout := flag.String("timeout", "3h", "go test -timeout, per package")
	rawPath := flag.String("o", "", "file for the raw go test output; default a new temporary file")
	in := flag.String("in", "", "render this raw go test output instead of running benchmarks")
	flag.Parse()

	raw, runErr := *in, error(nil)
	if raw == "" {
		var err error
		raw, runErr, err = run(*rawPath, *count, *benchtime, *bench, *timeout, strings.Split(*pkgs, ","))
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(2)
		}
	}
	f, err := os.Open(raw)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(2)
	}
	out, err := Parse(f)
	f.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(2)
	}

	fmt.Printf("Raw output: %s\n\n", raw)
	Render(os.Stdout, out)
	benchstat(raw)

	failed := runErr != nil || len(out.Failures) > 0
	if len(out.Failures) > 0 {
		fmt.Println("Failures:")
		for _, l := range out.Failures {
			fmt.Println("    " + l)
		}
	}
	if runErr != nil {
		fmt.Fprintln(os.Stderr, "benchtable: go test:", runErr)
	}
	for _, g := range Groups(out) {
		for _, r := range g.Rows {
			if c := Compare(g, r); c.Target != nil && !c.Pass {
				failed = true
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}

// run runs go test, copying its output to standard error as it comes and
// to the raw file, and returns the file's path, go test's own failure
// (benchmarks may still have results worth printing) and any error that
// prevented running it at all.
func run(rawPath string, count int, benchtime, bench, timeout string, pkgs []string) (string, error, error) {
	var f *os.File
	var err error
	if rawPath == "" {
		f, err = os.CreateTemp("", "benchtable-*.txt")
	} else {
		f, err = os.Create(rawPath)
	}
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	// -p 1: packages one after another, so that no benchmark competes with
	// another package's for the cores.
	args := []string{"test", "-p", "1", "-run", "^$", "-bench", bench, "-benchmem", "-count", "1", "-timeout", timeout}
	if benchtime != "" {
		args = append(args, "-benchtime", benchtime)
	}
	args = append(args, pkgs...)
	var runErr error
	for round := 1; round <= count; round++ {
		fmt.Fprintf(os.Stderr, "round %d of %d: go %s\n", round, count, strings.Join(args, " "))
		cmd := exec.Command("go", args...)
		cmd.Stdout = io.MultiWriter(f, os.Stderr)
		cmd.Stderr = io.MultiWriter(f, os.Stderr)
		if err := cmd.Run(); err != nil && runErr == nil {
			runErr = err
		}
	}
	if err := f.Close(); err != nil {
		return "", nil, err
	}
	return f.Name(), runErr, nil
}

// benchstat prints benchstat's summary of the raw file when benchstat is
// installed.
func benchstat(raw string) {
	bin, err := exec.LookPath("benchstat")
	if err != nil {
		return
	}
	var buf bytes.Buffer
	cmd := exec.Command(bin, raw)
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err = cmd.Run()
	fmt.Println("benchstat:")
	fmt.Println()
	fmt.Println("```")
	fmt.Print(buf.String())
	if err != nil {
		fmt.Println("benchstat:", err)
	}
	fmt.Println("```")
	fmt.Println()
}
