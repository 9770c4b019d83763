package core

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// upload sorts a chunk by time and sends it as batches (one, unless it
// spans over 24 hours) until each event is delivered or given up.
func (s *Shipper) upload(es []entry, lim limits) {
	sortEntries(es)
	var st sendState
	for len(es) > 0 {
		n := cutBatch(es, lim)
		s.send(es[:n], &st)
		es = es[n:]
	}
}

// sendState is what the sends of one chunk share.
type sendState struct {
	refusals int // calls refused whole in a row, to space out the next
}

// send delivers one valid batch, retrying until it is stored or refused for
// good, or until Close gives up. Every retry waits by the backoff and is
// reported, except the first after another writer moved the token chain
// on; creating a missing stream and resending is not a retry. A failure
// that will not end by itself (a *SetupError) waits longer and is
// reported once per cause (see healthState).
func (s *Shipper) send(batch []entry, st *sendState) {
	// The input points into batch, unchanged while it is sent, and reuses
	// an earlier send's memory: nothing is allocated per event.
	buf := s.getSendBuf()
	defer s.putSendBuf(buf)
	events := buf.events[:0]
	for i := range batch {
		events = append(events, types.InputLogEvent{Message: &batch[i].msg, Timestamp: &batch[i].ts})
	}
	buf.events = events
	in := &cloudwatchlogs.PutLogEventsInput{
		LogGroupName:  &s.cfg.LogGroup,
		LogStreamName: &s.cfg.LogStream,
		LogEvents:     events,
	}
	failures := 0    // failed calls for this batch
	setups := 0      // of which the last in a row failed for a *SetupError
	created := false // the stream was created for this batch
	retry := func(op string, err error) {
		failures++
		s.stats.retries.Add(1)
		wait := s.backoff(failures)
		var setup *SetupError
		if errors.As(err, &setup) {
			setups++
			wait = s.setupBackoff(setups)
		} else {
			setups = 0
		}
		if s.health.failed(err, setup) {
			s.rep.report(&RetryError{Op: op, Events: len(batch), Attempt: failures, Next: wait, Err: err})
		}
		sleep(s.ctx, wait)
	}
	for {
		if s.ctx.Err() != nil {
			s.stats.droppedClose.Add(uint64(len(batch)))
			return
		}
		chained, probing := s.chained.Load(), s.conc != nil && s.conc.probing()
		in.SequenceToken = nil
		switch {
		case chained:
			in.SequenceToken = s.nextToken()
		case probing:
			in.SequenceToken = &probeToken
		}
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.CallTimeout)
		began := time.Now()
		out, err := s.cfg.Client.PutLogEvents(ctx, in, s.callOptions, buf.writeBody)
		cancel()
		rtt := time.Since(began)
		class, setup := s.judge(err)
		s.observe(rtt, err != nil, class == retryLater && setup == nil)
		if err == nil {
			if chained {
				s.setToken(out.NextSequenceToken)
			}
			if probing {
				s.conc.decide() // the endpoint ignores tokens
			}
			st.refusals = 0
			s.stats.batches.Add(1)
			s.accepted(len(batch), out.RejectedLogEventsInfo)
			s.recovered()
			return
		}
		if s.ctx.Err() != nil {
			continue // Close gave up; counted above
		}
		switch class {
		case badToken:
			if !chained {
				s.chain()
			}
			var e *types.InvalidSequenceTokenException
			if errors.As(err, &e) {
				s.setToken(e.ExpectedSequenceToken)
			}
			// Another writer moved the chain on: resend at once. If the
			// race goes on, back off so that the two do not spin.
			if failures == 0 {
				failures++
				s.stats.retries.Add(1)
				continue
			}
			retry("PutLogEvents", err)
		case alreadyTaken:
			var e *types.DataAlreadyAcceptedException
			if chained && errors.As(err, &e) {
				s.setToken(e.ExpectedSequenceToken)
			}
			// Stored by an earlier attempt whose response was lost.
			st.refusals = 0
			s.stats.delivered.Add(uint64(len(batch)))
			s.recovered()
			return
		case notFound:
			if chained {
				s.setToken(nil) // a new stream starts a new chain
			}
			if created {
				// Still missing: an endpoint slow to show new streams,
				// or one deleting them.
				retry("PutLogEvents", err)
				continue
			}
			// The first write to a new stream: create it and resend.
			op, cerr := s.ensureStream(err)
			if cerr != nil {
				retry(op, cerr)
				continue
			}
			created = true
		case tooLarge:
			s.shrink(batch, st, err)
			return
		case invalidBatch:
			s.refused(batch, st, err)
			return
		default:
			if setup != nil {
				err = setup
			}
			retry("PutLogEvents", err)
		}
	}
}

// judge sorts a PutLogEvents error, once per failed call: its class, and
// for one to retry later, its *SetupError if it will not end by itself.
func (s *Shipper) judge(err error) (errorClass, *SetupError) {
	if err == nil {
		return retryLater, nil
	}
	class := classify(err)
	if class != retryLater {
		return class, nil
	}
	return class, s.diagnose("PutLogEvents", err)
}

// observe tells the limiter how a call went: its round trip, whether it
// failed, and whether under load (throttling, a service fault, the
// network, a timeout), which asks for fewer calls at once. A call Close
// cut short tells nothing.
func (s *Shipper) observe(rtt time.Duration, failed, load bool) {
	if s.conc == nil {
		return
	}
	s.conc.observe(rtt, failed, failed && load && s.ctx.Err() == nil)
}

// probeToken is the sequence token of the first PutLogEvents of an
// adaptive Shipper, sent alone: no endpoint ever issued it, so one that
// checks tokens refuses the call (InvalidSequenceToken, with the token it
// expects, storing nothing), while one that ignores them, as AWS does,
// stores the batch. Either way the first answer says whether calls must
// chain tokens, before any call runs beside another.
var probeToken = "0"

// chain makes calls chain sequence tokens, one at a time, from now on: the
// endpoint answered that it checks them.
func (s *Shipper) chain() {
	if s.chained.Swap(true) {
		return
	}
	s.conc.pin()
	s.rep.report(errors.New("cwlog: the endpoint checks sequence tokens: uploading one batch at a time, chaining them"))
}

func (s *Shipper) nextToken() *string {
	s.tokenMu.Lock()
	defer s.tokenMu.Unlock()
	return s.token
}

func (s *Shipper) setToken(t *string) {
	s.tokenMu.Lock()
	s.token = t
	s.tokenMu.Unlock()
}

// recovered records a stored batch, reporting the end of an outage.
func (s *Shipper) recovered() {
	if r := s.health.delivered(); r != nil {
		r.Waited = int(s.Stats().Pending)
		s.rep.report(r)
	}
}

// refused handles a batch the service called invalid as a whole. The
// Shipper never cuts such a batch, so the cause is one event the service
// sees differently than we do; halving finds it, and only it is rejected.
// Each call refused in a row waits longer, so that a batch refused on
// every call costs a bounded number of calls a minute.
func (s *Shipper) refused(batch []entry, st *sendState, err error) {
	if len(batch) == 1 {
		s.reject(st, err)
		return
	}
	st.refusals++
	s.rep.report(&RetryError{Op: "PutLogEvents", Events: len(batch), Attempt: st.refusals,
		Err: fmt.Errorf("batch refused as invalid, halving it to find the event: %w", err)})
	s.stats.retries.Add(1)
	sleep(s.ctx, s.backoff(st.refusals))
	s.halve(batch, st)
}

// shrink handles a body the endpoint (usually a proxy before it) refused
// as too large: batches are cut at half this one's size from now on, and
// this one is resent in halves. A single event too large is rejected.
func (s *Shipper) shrink(batch []entry, st *sendState, err error) {
	size := 0
	for i := range batch {
		size += batch[i].size()
	}
	s.mu.Lock()
	lowered := size/2 < s.lim.bytes
	if lowered {
		s.lim.bytes = max(size/2, eventOverhead+utf8.UTFMax)
	}
	limit := s.lim.bytes
	s.mu.Unlock()
	if lowered {
		s.rep.report(fmt.Errorf("cwlog: the endpoint refused a %d-byte batch as too large; batches are now cut at %d bytes: %s", size, limit, errorText(err)))
	}
	if len(batch) == 1 {
		s.reject(st, err)
		return
	}
	s.stats.retries.Add(1)
	s.halve(batch, st)
}

// reject gives up on one event, waiting longer for each refusal in a row.
func (s *Shipper) reject(st *sendState, err error) {
	st.refusals++
	s.stats.invalid.Add(1)
	s.rep.report(&RejectedError{Invalid: 1, Err: err})
	sleep(s.ctx, s.backoff(st.refusals))
}

func (s *Shipper) halve(batch []entry, st *sendState) {
	half := len(batch) / 2
	s.send(batch[:half], st)
	s.send(batch[half:], st)
}

// accepted counts a stored batch, less the events rejected for their time.
func (s *Shipper) accepted(n int, info *types.RejectedLogEventsInfo) {
	if info == nil {
		s.stats.delivered.Add(uint64(n))
		return
	}
	clamp := func(p *int32, def int) int {
		if p == nil {
			return def
		}
		return min(max(int(*p), 0), n)
	}
	expired := clamp(info.ExpiredLogEventEndIndex, 0)
	oldEnd := clamp(info.TooOldLogEventEndIndex, 0)
	newStart := max(clamp(info.TooNewLogEventStartIndex, n), max(expired, oldEnd))
	tooOld := max(oldEnd-expired, 0)
	tooNew := n - newStart
	rejected := expired + tooOld + tooNew
	s.stats.expired.Add(uint64(expired))
	s.stats.tooOld.Add(uint64(tooOld))
	s.stats.tooNew.Add(uint64(tooNew))
	s.stats.delivered.Add(uint64(n - rejected))
	if rejected > 0 {
		s.rep.report(&RejectedError{TooOld: tooOld, TooNew: tooNew, Expired: expired})
	}
}
