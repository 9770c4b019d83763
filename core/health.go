package core

import (
	"strconv"
	"sync"
	"time"
)

// State says whether events are flowing to CloudWatch.
type State int

const (
	// Delivering: the last call succeeded, or none failed yet.
	Delivering State = iota
	// Retrying: the last call failed with an error that may end by itself
	// (throttling, a service fault, the network).
	Retrying
	// Failing: the last call failed with an error that will not end
	// without a fix (a *SetupError: credentials, IAM, region, a missing
	// group or stream the Shipper may not create). The Shipper retries
	// slowly, so that a fix made while it runs is picked up.
	Failing
)

func (st State) String() string {
	if st >= Delivering && st <= Failing {
		return [...]string{"delivering", "retrying", "failing"}[st]
	}
	return "State(" + strconv.Itoa(int(st)) + ")"
}

// Health is what a health endpoint or a metric exposes of a Shipper.
type Health struct {
	State         State
	Since         time.Time // when State began (the Shipper's start for the first)
	LastError     error     // the last failed call's error, nil if none failed
	LastErrorAt   time.Time
	LastDelivered time.Time // when a batch was last stored, zero before the first

	Concurrency int  // PutLogEvents calls allowed at once, now
	Chained     bool // calls chain sequence tokens (Concurrency 1, or a token-checking endpoint)
}

// Health returns the Shipper's state and its last error.
func (s *Shipper) Health() Health {
	s.health.mu.Lock()
	h := s.health.Health
	s.health.mu.Unlock()
	h.Concurrency, h.Chained = 1, s.chained.Load()
	if s.conc != nil {
		h.Concurrency = s.conc.current()
	}
	return h
}

// healthState tracks Health and decides which failures and recoveries to
// report: every transient failure, a setup failure once per cause, and the
// end of an outage.
type healthState struct {
	mu sync.Mutex
	Health
	cause    string    // the setup failure last reported, while Failing
	failures int       // failed calls since the last success
	outage   time.Time // the first of them
}

// failed records a failed call and reports whether to report it.
func (h *healthState) failed(err error, setup *SetupError) bool {
	now := time.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failures == 0 {
		h.outage = now
	}
	h.failures++
	h.LastError, h.LastErrorAt = err, now
	state, cause := Retrying, ""
	if setup != nil {
		state, cause = Failing, setup.Op+": "+setup.Cause
	}
	if state != h.State {
		h.State, h.Since = state, now
	}
	if setup == nil {
		return true
	}
	report := cause != h.cause
	h.cause = cause
	return report
}

// delivered records a successful call; it returns the recovery to report
// if an outage ended.
func (h *healthState) delivered() *Recovered {
	now := time.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.LastDelivered = now
	if h.failures == 0 {
		return nil
	}
	var r *Recovered
	if h.State == Failing || h.failures >= 2 {
		r = &Recovered{Outage: now.Sub(h.outage), Failures: h.failures}
	}
	h.State, h.Since, h.cause, h.failures = Delivering, now, "", 0
	return r
}
