//go:build !unix

package benchutil

import "time"

// processCPU is not measured here; Meter then reports no cpu-ns/op.
func processCPU() time.Duration { return 0 }
