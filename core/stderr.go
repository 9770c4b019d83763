package core

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// stderrReporter, the default OnError, writes errors to w, at most one
// line per interval, the next saying how many were suppressed: a logging
// library that floods standard error during an outage helps nobody.
type stderrReporter struct {
	w        io.Writer
	interval time.Duration
	now      func() time.Time

	mu         sync.Mutex
	last       time.Time
	suppressed int
}

func (r *stderrReporter) report(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if !r.last.IsZero() && now.Sub(r.last) < r.interval {
		r.suppressed++
		return
	}
	r.last = now
	if r.suppressed > 0 {
		fmt.Fprintf(r.w, "%v (%d more errors suppressed)\n", err, r.suppressed)
		r.suppressed = 0
		return
	}
	fmt.Fprintln(r.w, err)
}
