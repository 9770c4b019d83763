//go:build unix

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// stopSignals end the input of pipe, and serve.
var stopSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// relayedSignals are passed on to the command of run. Left alone, the
// first four would end cwlog before it delivered the command's last lines,
// and the Go runtime would swallow the last two.
var relayedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// reachedCommand reports whether the command of process pid received sig
// without cwlog relaying it. A terminal sends SIGINT and SIGQUIT (Ctrl-C,
// Ctrl-\) and, when it hangs up, SIGHUP to its foreground process group:
// if cwlog is in that group and the command still shares it, the command
// has the signal already, and a relayed copy would make it see a second
// Ctrl-C. Any other signal was sent to cwlog alone.
func reachedCommand(sig os.Signal, pid int) bool {
	switch sig {
	case syscall.SIGINT, syscall.SIGQUIT, syscall.SIGHUP:
	default:
		return false
	}
	return inForeground(pid)
}

// keepBrokenPipes makes writes to a closed standard output or error fail
// with EPIPE instead of ending cwlog, so that run keeps shipping what its
// command writes after the reader of cwlog's output went away. A handler,
// unlike an ignored SIGPIPE, is not inherited by the command.
func keepBrokenPipes() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
}

// exitStatus is the status a shell gives a command that ended as st says:
// its exit code, or 128 + the number of the signal that ended it.
func exitStatus(st *os.ProcessState) int {
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return st.ExitCode()
}
