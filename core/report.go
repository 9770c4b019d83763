package core

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Report hands err to Config.OnError, which a goroutine of the Shipper's
// calls soon after; Report itself never blocks and never calls user code.
// Adapters use it for failures they cannot return to their caller. Reports
// made after Close has returned are discarded.
func (s *Shipper) Report(err error) {
	if err != nil {
		s.rep.report(err)
	}
}

// dropped counts n events dropped for want of room and lets the reporter
// know, without calling user code: Add may be running inside OnError.
func (s *Shipper) dropped(n uint64) {
	if n == 0 {
		return
	}
	s.stats.droppedFull.Add(n)
	s.rep.noteDrop()
}

// maxPendingReports bounds the reports waiting for a slow OnError; beyond
// it they are counted and the count is reported instead.
const maxPendingReports = 64

// dropReportInterval is the least time between two reports of dropped
// events, each of which sums up every drop since the one before.
const dropReportInterval = time.Second

// reporter calls OnError on a goroutine of its own, one report at a time.
// Neither Add nor the uploads ever call user code: an OnError that logs
// through an adapter into the same Shipper, even one that waits under the
// Block policy, can then neither recurse nor stall an upload, and drops
// are summed up rather than reported one by one.
type reporter struct {
	onError func(error)
	policy  FullPolicy
	stats   *counters

	mu      sync.Mutex
	pending []error
	lost    int // reports refused while pending was full

	// dropSince is when the first drop not yet reported happened, in Unix
	// nanoseconds, or 0.
	dropSince atomic.Int64
	reported  uint64    // drops reported so far; run only
	lastDrops time.Time // when they were last reported; run only

	wake     chan struct{} // capacity 1
	quit     chan struct{}
	quitOnce sync.Once
	done     chan struct{}
}

func (r *reporter) init(onError func(error), policy FullPolicy, stats *counters) {
	r.onError, r.policy, r.stats = onError, policy, stats
	r.wake = make(chan struct{}, 1)
	r.quit = make(chan struct{})
	r.done = make(chan struct{})
}

func (r *reporter) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *reporter) report(err error) {
	r.mu.Lock()
	if len(r.pending) < maxPendingReports {
		r.pending = append(r.pending, err)
	} else {
		r.lost++
	}
	r.mu.Unlock()
	r.signal()
}

// noteDrop marks that drops wait to be reported. Only the first drop
// since the last report reads the clock and wakes the reporter.
func (r *reporter) noteDrop() {
	if r.dropSince.Load() == 0 && r.dropSince.CompareAndSwap(0, time.Now().UnixNano()) {
		r.signal()
	}
}

// run delivers reports until stop, then delivers what is left.
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

// deliver calls OnError with every pending report, in order.
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

// stop makes run deliver what is pending and return, and waits for that
// until ctx ends.
func (r *reporter) stop(ctx context.Context) {
	r.quitOnce.Do(func() { close(r.quit) })
	select {
	case <-r.done:
	case <-ctx.Done():
	}
}
