package main

import (
	"os"
	"os/signal"
)

// notify relays sigs to c, except those cwlog was started with ignored:
// a command a shell runs in the background, or nohup runs, keeps ignoring
// them, and so does the command of run, which inherits the setting.
func notify(c chan<- os.Signal, sigs ...os.Signal) {
	for _, sig := range sigs {
		if !signal.Ignored(sig) {
			signal.Notify(c, sig)
		}
	}
}
