//go:build unix

package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func init() {
	// kill writes a line and kills itself with SIGKILL.
	childModes["kill"] = func() int {
		fmt.Println("before kill")
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute)
		return 0
	}
	// trap says "ready" once it catches SIGTERM and SIGINT, then waits for
	// one, writes a last line naming it and exits 7.
	childModes["trap"] = func() int {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
		fmt.Println("ready")
		sig := <-sigs
		fmt.Println("caught", sig)
		return 7
	}
}
