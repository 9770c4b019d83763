package core

import (
	"errors"
	"fmt"
	"time"
)

// Errors Add returns (see Add); each event is also counted in Stats.
var (
	ErrClosed       = errors.New("cwlog: shipper is closed")                      // after Close began
	ErrBufferFull   = errors.New("cwlog: buffer full, event dropped")             // counted as dropped
	ErrEmptyMessage = errors.New("cwlog: empty message, event rejected")          // counted as rejected
	ErrBeforeEpoch  = errors.New("cwlog: event time before 1970, event rejected") // counted as rejected
)

// RetryError reports a failed API call that the Shipper will retry. The
// Shipper never gives up on a batch while it runs: an error that will not
// end by itself (a *SetupError) is retried slowly and reported once per
// change of cause, any other at each failed call.
type RetryError struct {
	Op      string        // "PutLogEvents", "CreateLogStream", ...
	Events  int           // events in the batch the call is for
	Attempt int           // 1 for the first failure of this batch
	Next    time.Duration // wait before the next attempt
	Err     error         // what the call returned
}

func (e *RetryError) Error() string {
	what := e.Op
	switch {
	case e.Events > 0 && e.Op == "PutLogEvents":
		what = fmt.Sprintf("PutLogEvents of %d events", e.Events)
	case e.Events > 0:
		what = fmt.Sprintf("%s, before PutLogEvents of %d events,", e.Op, e.Events)
	}
	return fmt.Sprintf("cwlog: %s failed (attempt %d, next in %v): %s", what, e.Attempt, e.Next.Round(time.Millisecond), errorText(e.Err))
}

func (e *RetryError) Unwrap() error { return e.Err }

// Recovered is not a failure: it reports the end of one. OnError receives
// it when a call succeeds after the Shipper was failing, or after two or
// more failed calls in a row.
type Recovered struct {
	Outage   time.Duration // since the first failed call
	Failures int           // failed calls in the outage
	Waited   int           // events added and not yet delivered at its end
}

func (e *Recovered) Error() string {
	return fmt.Sprintf("cwlog: delivering again after %v (%d failed calls); %d events waited",
		e.Outage.Round(time.Millisecond), e.Failures, e.Waited)
}

// RejectedError reports events CloudWatch refused for good (Stats.Rejected).
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
		s += ": " + errorText(e.Err)
	}
	return s
}

func (e *RejectedError) Unwrap() error { return e.Err }

// DroppedError reports the events dropped for a full buffer since the last.
type DroppedError struct {
	Count  int
	Policy FullPolicy
	Since  time.Time // when the first of them was dropped
}

func (e *DroppedError) Error() string {
	if e.Since.IsZero() {
		return fmt.Sprintf("cwlog: %d events dropped, buffer full (policy %v)", e.Count, e.Policy)
	}
	return fmt.Sprintf("cwlog: %d events dropped, buffer full, since %s (policy %v)",
		e.Count, e.Since.Format("15:04:05.000"), e.Policy)
}

// UndeliveredError is returned by Close when its context ended first;
// Count events were counted as dropped.
type UndeliveredError struct {
	Count int
	Err   error // the context's error
}

func (e *UndeliveredError) Error() string {
	return fmt.Sprintf("cwlog: %d events not delivered: %v", e.Count, e.Err)
}

func (e *UndeliveredError) Unwrap() error { return e.Err }
