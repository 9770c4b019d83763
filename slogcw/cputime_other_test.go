//go:build !unix

package slogcw_test

import "time"

// processCPU is not measured here; benchmarks then report zero.
func processCPU() time.Duration { return 0 }
