package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/writercw"
)

type runFlags struct {
	fs           *flag.FlagSet
	ship         shipFlags
	stderrPrefix string
}

const runAbout = `Runs COMMAND with its arguments and copies what it writes to standard
output and standard error to cwlog's own, and each line of both to the
stream as one event, verbatim: JSON lines stay JSON. Lines of standard
error are not marked, unless -stderr-prefix marks them in the stream. The
command reads cwlog's standard input.

cwlog passes SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 on to
the command, except a Ctrl-C, Ctrl-\ or hang-up of the terminal, which the
command receives itself. When the command ends, cwlog delivers its last
lines within -timeout and exits with the command's status: its exit code,
or 128 + the number of the signal that ended it, as shells do. Lines lost
are reported on standard error and do not change the status. A command
that cannot be started exits 127 (not found) or 126 (not executable).

Before starting the command, run checks, within -timeout, that events can
reach the stream. If they cannot, it prints the cause and the fix and runs the command
anyway: the output still reaches the terminal, and the stream once the
cause is fixed, as the Shipper keeps retrying. -check=false skips the
check. An AWS configuration that cannot be loaded (a profile that does
not exist) exits 1 without running the command.

The command writes to pipes, not to a terminal: programs that buffer
output that is not a terminal (C stdio, Python) print in bursts unless
told not to (stdbuf -oL, PYTHONUNBUFFERED=1). A full buffer drops the
newest lines by default (-when-full drop-newest), so that the command never
waits for CloudWatch Logs. Output of processes the command left running is
copied for at most 2s after it exits.
`

// outputGrace bounds the wait for the command's output after it exited:
// processes it started may hold its pipes open.
const outputGrace = 2 * time.Second

func newRunFlags() *runFlags {
	f := &runFlags{fs: newFlagSet("run", "-group G -stream S [flags] -- COMMAND [ARG...]", runAbout)}
	f.ship.register(f.fs, core.DropNewest)
	f.fs.StringVar(&f.stderrPrefix, "stderr-prefix", "", "write this `text` before each line of the command's standard error in the\nstream (not on the terminal); default none")
	return f
}

func runMain(args []string) int {
	f := newRunFlags()
	if code, ok := parse(f.fs, args); !ok {
		return code
	}
	argv := f.fs.Args()
	if len(argv) == 0 {
		return usageError(f.fs, errors.New("no command to run: give it after the flags and --"))
	}
	if err := f.ship.validate(); err != nil {
		return usageError(f.fs, err)
	}
	if _, err := exec.LookPath(argv[0]); err != nil {
		fmt.Fprintln(os.Stderr, "cwlog run:", err)
		return startStatus(err)
	}
	s, err := connect(&f.ship)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cwlog run:", err)
		return exitFailed
	}
	if err := check(s, &f.ship); err != nil {
		fmt.Fprintln(os.Stderr, err)
		fmt.Fprintln(os.Stderr, "cwlog run: startup check failed; running the command anyway (-check=false skips the check)")
	}

	keepBrokenPipes()
	// One Writer each: a Writer joins the parts of a line written in
	// several Writes, which must come from one source.
	out := writercw.New(s, f.ship.writerOptions())
	errOut := writercw.New(s, f.ship.writerOptions())
	var errShip io.Writer = errOut
	if f.stderrPrefix != "" {
		errShip = &prefixer{w: errOut, prefix: []byte(f.stderrPrefix)}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = os.Stdin
	cmd.Stdout = &tee{term: os.Stdout, ship: out}
	cmd.Stderr = &tee{term: os.Stderr, ship: errShip}
	cmd.WaitDelay = outputGrace
	status := execute(cmd)
	// Closing the Writers ships a last line without a newline.
	finish(s, &f.ship, os.Stderr, out, errOut)
	return status
}

// execute runs cmd, passing signals on to it, and returns its exit status
// as a shell reports it.
func execute(cmd *exec.Cmd) int {
	// Before Start, so that no signal ends cwlog while the command runs.
	sigs := make(chan os.Signal, len(relayedSignals))
	notify(sigs, relayedSignals...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "cwlog run:", err)
		return startStatus(err)
	}
	exited := make(chan struct{})
	relayed := make(chan struct{})
	go func() {
		defer close(relayed)
		for {
			select {
			case sig := <-sigs:
				if !reachedCommand(sig, cmd.Process.Pid) {
					cmd.Process.Signal(sig)
				}
			case <-exited:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(exited)
	<-relayed
	if errors.Is(err, exec.ErrWaitDelay) {
		fmt.Fprintf(os.Stderr, "cwlog run: the command's output was still open %v after it exited; stopped copying it\n", outputGrace)
	}
	return exitStatus(cmd.ProcessState)
}

// startStatus is the status for a command that could not be started, as
// shells give: 127 when it does not exist, 126 when it cannot be executed.
func startStatus(err error) int {
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		return exitNotFound
	}
	return exitCannotRun
}
