package reliability

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

const (
	group  = "reliability/app"
	stream = "host-1"
)

// errorLog counts what a Shipper reports through OnError, by type, and
// keeps the rejections for tests that check their reasons.
type errorLog struct {
	mu       sync.Mutex
	retry    int
	dropped  int
	other    []error
	rejected []*core.RejectedError
}

func (l *errorLog) add(err error) {
	var (
		re *core.RetryError
		rj *core.RejectedError
		de *core.DroppedError
	)
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case errors.As(err, &re):
		l.retry++
	case errors.As(err, &rj):
		l.rejected = append(l.rejected, rj)
	case errors.As(err, &de):
		l.dropped += de.Count
	default:
		if len(l.other) < 20 {
			l.other = append(l.other, err)
		}
	}
}

func (l *errorLog) retries() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.retry
}

// rejections sums the reasons of every *core.RejectedError reported.
func (l *errorLog) rejections() core.RejectedError {
	l.mu.Lock()
	defer l.mu.Unlock()
	var sum core.RejectedError
	for _, r := range l.rejected {
		sum.TooOld += r.TooOld
		sum.TooNew += r.TooNew
		sum.Expired += r.Expired
		sum.Invalid += r.Invalid
	}
	return sum
}

// config is the Config every suite starts from (see shiptest.Config).
func config(client core.API, errs *errorLog) core.Config {
	return shiptest.Config(client, group, stream, errs.add)
}

// checkBalanced fails t unless every event added is accounted for and
// nothing is pending: the invariant Stats documents after Close.
func checkBalanced(t testing.TB, st core.Stats) {
	t.Helper()
	if st.Added != st.Delivered+st.Rejected+st.Dropped || st.Pending != 0 || st.PendingBytes != 0 {
		t.Errorf("stats do not add up: Added %d != Delivered %d + Rejected %d + Dropped %d, or Pending %d/%d bytes",
			st.Added, st.Delivered, st.Rejected, st.Dropped, st.Pending, st.PendingBytes)
	}
}

// acceptable are the outcomes a PutLogEvents call may have in these
// suites: success, an injected fault, and the answers the Shipper is built
// to handle. Anything else, above all InvalidParameterException, means the
// Shipper sent a call the service rejects as a whole.
var acceptable = map[string]bool{
	cwlogtest.OutcomeOK:                 true,
	cwlogtest.OutcomeDropped:            true,
	cwlogtest.OutcomeCanceled:           true,
	cwlogtest.CodeThrottling:            true,
	cwlogtest.CodeInternal:              true,
	cwlogtest.CodeServiceUnavailable:    true,
	cwlogtest.CodeAccessDenied:          true,
	cwlogtest.CodeUnrecognizedClient:    true,
	cwlogtest.CodeResourceNotFound:      true,
	cwlogtest.CodeInvalidSequenceToken:  true,
	cwlogtest.CodeDataAlreadyAccepted:   true,
	cwlogtest.CodeResourceAlreadyExists: true,
}

// checkCalls fails t if the endpoint answered any call with an outcome
// outside acceptable and tolerate, and returns the PutLogEvents outcomes
// counted.
func checkCalls(t testing.TB, srv *cwlogtest.Server, tolerate ...string) map[string]int {
	t.Helper()
	outcomes := map[string]int{}
	bad := 0
	for _, c := range srv.Calls() {
		if c.Op == cwlogtest.OpPutLogEvents {
			outcomes[c.Outcome]++
		}
		if !acceptable[c.Outcome] && !slices.Contains(tolerate, c.Outcome) {
			if bad < 5 {
				t.Errorf("%s call answered %s (rule %q): the Shipper sent a call the service rejects", c.Op, c.Outcome, c.Rule)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d calls rejected as a whole", bad)
	}
	return outcomes
}

// produced is a run of events with unique ids "prefix/0000042", added
// concurrently; accepted[i] says whether Add accepted event i.
type produced struct {
	prefix   string
	writers  int
	accepted []bool
	refused  int
}

// produce adds n events from writers goroutines, writer w adding the ids
// i with i%writers == w in increasing order, and waits for all of them.
func produce(s *core.Shipper, prefix string, n, writers int) *produced {
	p := &produced{prefix: prefix, writers: writers, accepted: make([]bool, n)}
	refused := make([]int, writers)
	shiptest.Concurrently(writers, func(w int) {
		buf := make([]byte, 0, 32)
		for i := w; i < n; i += writers {
			buf = append(append(buf[:0], prefix...), '/')
			buf = appendID(buf, i)
			if s.Add(core.Event{Message: string(buf)}) == nil {
				p.accepted[i] = true
			} else {
				refused[w]++
			}
		}
	})
	for _, r := range refused {
		p.refused += r
	}
	return p
}

func appendID(b []byte, i int) []byte {
	s := strconv.Itoa(i)
	for range 7 - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}

func (p *produced) acceptedCount() int {
	n := 0
	for _, a := range p.accepted {
		if a {
			n++
		}
	}
	return n
}

// verdict is what the stored messages say about a produced run.
type verdict struct {
	stored     int // messages of this run stored
	missing    int // accepted, never stored
	duplicates int // extra copies of accepted events
	unknown    int // stored but never accepted, or not an id at all
	outOfOrder int // stored before an earlier event of the same writer
}

// judge reads the stored messages (in the order the endpoint stored them)
// that belong to p.
func judge(p *produced, msgs []string) verdict {
	var v verdict
	copies := make([]uint16, len(p.accepted))
	last := make([]int, p.writers)
	for i := range last {
		last[i] = -1
	}
	for _, m := range msgs {
		rest, ok := strings.CutPrefix(m, p.prefix+"/")
		if !ok {
			continue
		}
		v.stored++
		id, err := strconv.Atoi(rest)
		if err != nil || id < 0 || id >= len(p.accepted) || !p.accepted[id] {
			v.unknown++
			continue
		}
		copies[id]++
		if copies[id] > 1 {
			v.duplicates++
			continue
		}
		w := id % p.writers
		if id < last[w] {
			v.outOfOrder++
		}
		last[w] = id
	}
	for id, ok := range p.accepted {
		if ok && copies[id] == 0 {
			v.missing++
		}
	}
	return v
}

// waitFor polls cond every millisecond until it holds or d passes, and
// reports whether it held.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}
