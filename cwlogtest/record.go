package cwlogtest

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// Outcomes recorded in [Call].Outcome besides the error codes (Code...) of
// calls that were answered with an error.
const (
	// OutcomeOK means the call was answered 200.
	OutcomeOK = "OK"
	// OutcomeDropped means the connection was closed without an answer.
	OutcomeDropped = "Dropped"
	// OutcomeCanceled means the client went away (or the server closed)
	// during an injected delay, before the call was handled.
	OutcomeCanceled = "Canceled"
	// OutcomeTooLarge means the call was answered 413 Request Entity Too
	// Large, as a proxy with a body size limit answers: by SetMaxBodyBytes
	// (Rule RuleBodyLimit) or by FaultTooLarge (Rule RuleFault).
	OutcomeTooLarge = "TooLarge"
)

// Call records one request the server received: what it carried and how
// it was answered. [Server.Calls] returns them.
type Call struct {
	// Op is the operation named by X-Amz-Target, such as OpPutLogEvents:
	// "" when the header was missing, the whole header when it does not
	// start with "Logs_20140328.".
	Op string
	// Time is the server's clock when the call arrived.
	Time time.Time
	// Group and Stream are the log group and log stream the call named, if
	// any; a logGroupIdentifier ARN is recorded as the group's name.
	Group, Stream string
	// Events is the number of events a PutLogEvents call carried, and
	// Bytes their size as the service counts it: message bytes plus
	// EventOverhead each.
	Events, Bytes int
	// Token is the sequenceToken sent; HasToken says whether one was sent.
	Token    string
	HasToken bool
	// Outcome is OutcomeOK, OutcomeDropped, OutcomeCanceled,
	// OutcomeTooLarge or the error code the client received, such as
	// CodeThrottling.
	Outcome string
	// Rule is the rule a refused call broke; RuleFault when the answer
	// came from an injected fault, RuleNone for a call answered OK.
	Rule Rule
	// Fault is the fault injected into the call; the zero Fault if none.
	Fault Fault
	// Stored is the number of events stored and StoredBytes the bytes of
	// their messages. With Fault.AfterStore the client received an error
	// although Stored > 0.
	Stored      int
	StoredBytes int64
	// TooNew, TooOld and Expired count the events of a PutLogEvents call
	// that were rejected one by one (the call itself succeeded and
	// reported them in rejectedLogEventsInfo).
	TooNew, TooOld, Expired int
}

// Stats are running totals since the server started or was last Reset.
type Stats struct {
	// Calls counts every call; PutLogEvents counts the calls of that
	// operation.
	Calls, PutLogEvents int
	// PutOutcomes counts PutLogEvents calls by [Call].Outcome.
	PutOutcomes map[string]int
	// EventsStored and BytesStored (message bytes) count what was stored.
	EventsStored int
	BytesStored  int64
	// TooNew, TooOld and Expired count events rejected one by one.
	TooNew, TooOld, Expired int
	// Faults counts the calls that had a fault injected.
	Faults int
}

type recorder struct {
	mu    sync.Mutex
	calls []Call
	stats Stats
}

func newRecorder() *recorder {
	r := new(recorder)
	r.reset()
	return r
}

func (r *recorder) reset() {
	r.calls = nil
	r.stats = Stats{PutOutcomes: map[string]int{}}
}

func (r *recorder) add(c *Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, *c)
	st := &r.stats
	st.Calls++
	if c.Op == OpPutLogEvents {
		st.PutLogEvents++
		st.PutOutcomes[c.Outcome]++
	}
	st.EventsStored += c.Stored
	st.BytesStored += c.StoredBytes
	st.TooNew += c.TooNew
	st.TooOld += c.TooOld
	st.Expired += c.Expired
	if !c.Fault.IsZero() {
		st.Faults++
	}
}

// Calls returns a copy of every call received since the server started or
// was last Reset, in the order they were answered. A call is recorded
// before its answer is sent, so a client that has its answer finds its
// call here.
func (s *Server) Calls() []Call {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return slices.Clone(s.rec.calls)
}

// CallsOf returns a copy of the calls of one operation, such as
// OpPutLogEvents, in the order they were answered.
func (s *Server) CallsOf(op string) []Call {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	var out []Call
	for _, c := range s.rec.calls {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

// Stats returns a copy of the running totals.
func (s *Server) Stats() Stats {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	st := s.rec.stats
	st.PutOutcomes = maps.Clone(st.PutOutcomes)
	return st
}
