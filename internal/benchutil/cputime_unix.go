//go:build unix

package benchutil

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used, in all its threads.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
