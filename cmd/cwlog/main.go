// Command cwlog ships lines of text to Amazon CloudWatch Logs, one event per
// line, and runs a local CloudWatch Logs-compatible endpoint for tests.
//
//	cwlog pipe -group G -stream S              standard input to a log stream
//	cwlog run -group G -stream S -- CMD ARGS   CMD's output to the terminal and the stream
//	cwlog serve [-addr 127.0.0.1:4566]         a local endpoint for tests in any language
//
// Install it with
//
//	go install github.com/cwlog/cwlog/cmd/cwlog@latest
//
// AWS settings are read as the AWS CLI reads them: AWS_REGION, AWS_PROFILE,
// AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, the shared config and credentials
// files, and the rest of the default chain; -region, -profile and
// -endpoint-url override them. `cwlog help COMMAND` describes each command,
// its flags and its exit status.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
)

// Exit statuses, as shells and the flag package use them.
const (
	exitOK        = 0
	exitFailed    = 1   // events lost, a failed startup check, an I/O error
	exitUsage     = 2   // bad flags or arguments
	exitCannotRun = 126 // run: the command exists but cannot be executed
	exitNotFound  = 127 // run: no such command
)

// command is a subcommand: its name, a line for the overview, and its main.
type command struct {
	name    string
	summary string
	main    func(args []string) int
	// usage writes the command's full help to w.
	usage func(w io.Writer)
}

var commands []command

func init() {
	// Assigned here, as the commands' help refers back to the list.
	commands = []command{
		{"pipe", "ship standard input, one event per line", pipeMain, func(w io.Writer) { printUsage(w, newPipeFlags().fs) }},
		{"run", "run a command, copying its output to the terminal and the stream", runMain, func(w io.Writer) { printUsage(w, newRunFlags().fs) }},
		{"serve", "run a local CloudWatch Logs-compatible endpoint for tests", serveMain, func(w io.Writer) { printUsage(w, newServeFlags().fs) }},
		{"version", "print cwlog's version", versionMain, func(w io.Writer) { fmt.Fprintln(w, "usage: cwlog version") }},
		{"help", "describe cwlog or one of its commands", helpMain, func(w io.Writer) { fmt.Fprintln(w, "usage: cwlog help [command]") }},
	}
}

func main() {
	os.Exit(cli(os.Args[1:]))
}

// cli runs the command args name and returns the exit status.
func cli(args []string) int {
	if len(args) == 0 {
		overview(os.Stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		overview(os.Stdout)
		return exitOK
	}
	if c := lookup(args[0]); c != nil {
		return c.main(args[1:])
	}
	fmt.Fprintf(os.Stderr, "cwlog: unknown command %q\nRun 'cwlog help' for usage.\n", args[0])
	return exitUsage
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func overview(w io.Writer) {
	fmt.Fprint(w, `cwlog ships lines of text to Amazon CloudWatch Logs, one event per line.

Usage:
  cwlog pipe -group G -stream S [flags]
  cwlog run -group G -stream S [flags] -- COMMAND [ARG...]
  cwlog serve [-addr 127.0.0.1:4566]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
AWS settings are read as the AWS CLI reads them (AWS_REGION, AWS_PROFILE,
AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, the shared config and credentials files);
-region, -profile and -endpoint-url override them.

Exit status: 0 when every line was delivered, 1 when lines were lost or the
startup check failed, 2 for bad flags or arguments; run exits with its
command's status. 'cwlog help COMMAND' describes a command and its flags.
`)
}

func helpMain(args []string) int {
	switch len(args) {
	case 0:
		overview(os.Stdout)
		return exitOK
	case 1:
		if c := lookup(args[0]); c != nil {
			c.usage(os.Stdout)
			return exitOK
		}
		fmt.Fprintf(os.Stderr, "cwlog help: unknown command %q\n", args[0])
	default:
		fmt.Fprintln(os.Stderr, "usage: cwlog help [command]")
	}
	return exitUsage
}

func versionMain(args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(os.Stderr, "usage: cwlog version")
		return exitUsage
	}
	version := "(unknown)"
	if info, ok := debug.ReadBuildInfo(); ok {
		version = info.Main.Version
	}
	fmt.Printf("cwlog %s %s %s/%s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
