package core

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Report hands err to Config.OnError, called soon after on a goroutine of
// the Shipper's; Report never blocks nor calls user code. Adapters use it
// for failures they cannot return. Reports after Close returned are
// discarded. It is safe for concurrent use.
func (s *Shipper) Report(err error) {
	if err != nil {
		s.rep.report(err)
	}
}

// dropped counts n events dropped for want of room; the reporter reports
// them, as Add may be running inside OnError.
func (s *Shipper) dropped(n uint64) {
	if n == 0 {
		return
	}
	s.stats.droppedFull.Add(n)
	s.rep.noteDrop()
}

const (
	maxPendingReports  = 64          // waiting for a slow OnError; more are counted
	dropReportInterval = time.Second // between two DroppedErrors
)

// reporter calls OnError on a goroutine of its own, one report at a time,
// so that an OnError logging into the same Shipper, even waiting under
// Block, can neither recurse nor stall an upload.
type reporter struct {
	onError func(error)
	policy  FullPolicy
	stats   *counters

	mu      sync.Mutex
	pending []error
	lost    int // reports refused while pending was full

	dropSince atomic.Int64 // Unix ns of the first drop not reported, or 0
	reported  uint64       // drops reported so far; run only
	lastDrops time.Time    // when they were last reported; run only

	wake chan struct{} // capacity 1
	quit chan struct{}
	done chan struct{}
}

func (r *reporter) report(err error) {
	r.mu.Lock()
	if len(r.pending) < maxPendingReports {
		r.pending = append(r.pending, err)
	} else {
		r.lost++
	}
	r.mu.Unlock()
	notify(r.wake)
}

// noteDrop marks drops to report; only the first since the last report
// reads the clock and wakes the reporter.
func (r *reporter) noteDrop() {
	if r.dropSince.Load() == 0 && r.dropSince.CompareAndSwap(0, time.Now().UnixNano()) {
		notify(r.wake)
	}
}

func (r *reporter) run() {
	defer close(r.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-r.wake:
		case <-timer.C:
		case <-r.quit:
			r.deliver()
			r.reportDrops()
			return
		}
		r.deliver()
		if r.dropSince.Load() == 0 {
			continue
		}
		if wait := dropReportInterval - time.Since(r.lastDrops); wait > 0 {
			timer.Reset(wait)
			continue
		}
		r.reportDrops()
	}
}

func (r *reporter) deliver() {
	for {
		r.mu.Lock()
		errs, lost := r.pending, r.lost
		r.pending, r.lost = nil, 0
		r.mu.Unlock()
		if len(errs) == 0 && lost == 0 {
			return
		}
		for _, err := range errs {
			r.onError(err)
		}
		if lost > 0 {
			r.onError(fmt.Errorf("cwlog: %d error reports were not delivered: OnError returns more slowly than errors arrive", lost))
		}
	}
}

// reportDrops reports, as one DroppedError, the drops since the last report.
func (r *reporter) reportDrops() {
	since := r.dropSince.Swap(0)
	total := r.stats.droppedFull.Load()
	n := total - r.reported
	if n == 0 {
		return
	}
	r.reported = total
	r.lastDrops = time.Now()
	e := &DroppedError{Count: int(n), Policy: r.policy}
	if since != 0 {
		e.Since = time.Unix(0, since)
	}
	r.onError(e)
}

// stop makes run deliver what is pending and return, waiting until ctx ends.
func (r *reporter) stop(ctx context.Context) {
	close(r.quit) // called once, by the first Close
	select {
	case <-r.done:
	case <-ctx.Done():
	}
}
