package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/writercw"
)

type pipeFlags struct {
	fs   *flag.FlagSet
	ship shipFlags
}

const pipeAbout = `Ships each line of standard input to the stream as one event, verbatim:
JSON lines stay JSON, a line ending "\r\n" loses both bytes, empty lines
are skipped, and a last line without a newline is shipped too. Each event
is timed when its line is read, or by -time-key.

At the end of input, pipe delivers everything within -timeout and exits 0,
or 1 if lines were dropped, rejected or not delivered in time. SIGINT,
SIGTERM and SIGHUP end the input early: the lines read so far are
delivered the same way, and a second signal ends cwlog at once.

Before reading, pipe checks that events can reach the stream; if not, it
prints the cause and the fix and exits 1 (-check=false skips the check).
By default a full buffer stops pipe reading (-when-full block), so a fast
writer waits rather than losing lines.
`

func newPipeFlags() *pipeFlags {
	f := &pipeFlags{fs: newFlagSet("pipe", "-group G -stream S [flags]", pipeAbout)}
	f.ship.register(f.fs, core.Block)
	return f
}

func pipeMain(args []string) int {
	f := newPipeFlags()
	if code, ok := parse(f.fs, args); !ok {
		return code
	}
	if f.fs.NArg() > 0 {
		return usageError(f.fs, fmt.Errorf("unexpected argument %q: pipe reads standard input", f.fs.Arg(0)))
	}
	if err := f.ship.validate(); err != nil {
		return usageError(f.fs, err)
	}
	s, err := connect(&f.ship)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cwlog pipe:", err)
		return exitFailed
	}
	if err := check(s, &f.ship); err != nil {
		fmt.Fprintln(os.Stderr, err)
		fmt.Fprintln(os.Stderr, "cwlog pipe: startup check failed; -check=false skips it")
		finish(s, &f.ship, io.Discard)
		return exitFailed
	}

	w := writercw.New(s, f.ship.writerOptions())
	readErr := copyInput(w, os.Stdin)
	delivered := finish(s, &f.ship, os.Stderr, w)
	if readErr != nil {
		fmt.Fprintln(os.Stderr, "cwlog pipe: reading standard input:", readErr)
		return exitFailed
	}
	if !delivered {
		return exitFailed
	}
	return exitOK
}

// copyInput copies in to w until the end of input or a stop signal, and
// returns the error reading in, if any. After a signal, the goroutine
// reading in is left blocked in its Read: the process is about to exit.
func copyInput(w io.Writer, in io.Reader) error {
	sigs := make(chan os.Signal, 1)
	notify(sigs, stopSignals...)
	defer signal.Stop(sigs)
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(w, in)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case sig := <-sigs:
		// From here on the signal's default action applies again.
		signal.Stop(sigs)
		fmt.Fprintf(os.Stderr, "cwlog pipe: %v: no more input; delivering what was read\n", sig)
		return nil
	}
}
