package core

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Errors Add returns. Each is also counted in Stats.
var (
	// ErrClosed is returned by Add after Close has begun.
	ErrClosed = errors.New("cwlog: shipper is closed")
	// ErrBufferFull is returned by Add under the DropNewest policy when
	// the buffer holds BufferLimit bytes; the event is counted as dropped.
	ErrBufferFull = errors.New("cwlog: buffer full, event dropped")
	// ErrEmptyMessage is returned by Add for an event with an empty
	// message, which CloudWatch refuses; it is counted as rejected.
	ErrEmptyMessage = errors.New("cwlog: empty message, event rejected")
	// ErrBeforeEpoch is returned by Add for an event timed before
	// 1970-01-01, which CloudWatch cannot store; it is counted as rejected.
	ErrBeforeEpoch = errors.New("cwlog: event time before 1970, event rejected")
)

// RetryError reports a failed API call that the Shipper will retry.
type RetryError struct {
	Op      string // "PutLogEvents", "CreateLogStream", ...
	Events  int    // events in the batch being sent, 0 for other calls
	Attempt int    // 1 for the first failure of this batch
	Err     error  // what the call returned
}

func (e *RetryError) Error() string {
	return fmt.Sprintf("cwlog: %s (%d events, attempt %d) failed, retrying: %v", e.Op, e.Events, e.Attempt, e.Err)
}

func (e *RetryError) Unwrap() error { return e.Err }

// RejectedError reports events CloudWatch refused; they are counted in
// Stats.Rejected and never retried.
type RejectedError struct {
	TooOld  int   // older than 14 days
	TooNew  int   // more than 2 hours in the future
	Expired int   // older than the log group's retention
	Invalid int   // refused by the service as invalid on their own
	Err     error // the service's error for Invalid events, if any
}

func (e *RejectedError) Error() string {
	s := fmt.Sprintf("cwlog: CloudWatch rejected events: %d too old, %d too new, %d expired, %d invalid",
		e.TooOld, e.TooNew, e.Expired, e.Invalid)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *RejectedError) Unwrap() error { return e.Err }

// DroppedError reports events dropped because the buffer was full.
type DroppedError struct {
	Count  int
	Policy FullPolicy
}

func (e *DroppedError) Error() string {
	return fmt.Sprintf("cwlog: buffer full, %d events dropped (policy %v)", e.Count, e.Policy)
}

// UndeliveredError is returned by Close when its context ended before every
// event was delivered. Count events were given up and counted as dropped.
type UndeliveredError struct {
	Count int
	Err   error // the context's error
}

func (e *UndeliveredError) Error() string {
	return fmt.Sprintf("cwlog: %d events not delivered: %v", e.Count, e.Err)
}

func (e *UndeliveredError) Unwrap() error { return e.Err }

// stderrReporter writes errors to w, at most one line per interval; the
// next line says how many were suppressed in between. A logging library
// that floods standard error during an outage helps nobody.
type stderrReporter struct {
	w        io.Writer
	interval time.Duration
	now      func() time.Time

	mu         sync.Mutex
	last       time.Time
	suppressed int
}

func newStderrReporter() func(error) {
	r := &stderrReporter{w: os.Stderr, interval: time.Second, now: time.Now}
	return r.report
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
