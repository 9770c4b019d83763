//go:build !unix

package main

import (
	"os"
	"syscall"
)

// stopSignals end the input of pipe, and serve.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// relayedSignals are caught while the command of run runs, so that cwlog
// outlives it and delivers its last lines.
var relayedSignals = stopSignals

// reachedCommand is true: a console sends Ctrl-C and its close events to
// every process attached to it, the command included, and a process can be
// sent no other signal than Kill.
func reachedCommand(os.Signal, int) bool { return true }

func keepBrokenPipes() {}

// exitStatus is the command's exit code.
func exitStatus(st *os.ProcessState) int { return st.ExitCode() }
