package core

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/cwlog/cwlog/internal/numtext"
)

// stderrReporter, the default OnError, writes reports to w, one line each,
// at most one line per interval: a logging library that floods standard
// error during an outage helps nobody, but one that hides how much it lost
// misleads. So the reports it holds back are summed by what they count
// (events dropped, events rejected, failed calls, other reports), and the
// sums are written with the next line, or on a line of their own when the
// interval ends with no new report, or by closed, whichever comes first.
// closed then sums up the Shipper's life if it lost anything.
//
// report is called by one goroutine at a time; the timer that ends a burst
// runs on another, so mu guards the state and the writes, which keeps the
// lines in order. Under mu, nothing is called but w, the clock and the
// timer.
type stderrReporter struct {
	w        io.Writer
	interval time.Duration
	now      func() time.Time
	// afterFunc calls f on another goroutine after d, as time.AfterFunc,
	// which it is when nil, and returns what stops it.
	afterFunc func(d time.Duration, f func()) (stop func() bool)

	mu    sync.Mutex
	last  time.Time   // when the last line was written
	held  tally       // reports held back since
	stop  func() bool // stops the timer that writes held; nil when none
	timer int         // counts timers, so that a late one does nothing
	done  bool        // closed was called: write every report as it comes
}

// tally sums reports held back, by what they count.
type tally struct {
	dropped                          uint64 // events, *DroppedError
	tooOld, tooNew, expired, invalid uint64 // events, *RejectedError
	retries, retried                 uint64 // failed calls, *RetryError, and their events
	other                            uint64 // reports of any other type
}

func (t *tally) add(err error) {
	switch e := err.(type) {
	case *DroppedError:
		t.dropped += count(e.Count)
	case *RejectedError:
		t.tooOld += count(e.TooOld)
		t.tooNew += count(e.TooNew)
		t.expired += count(e.Expired)
		t.invalid += count(e.Invalid)
	case *RetryError:
		t.retries++
		t.retried += count(e.Events)
	default:
		t.other++
	}
}

func (t *tally) merge(u tally) {
	t.dropped += u.dropped
	t.tooOld += u.tooOld
	t.tooNew += u.tooNew
	t.expired += u.expired
	t.invalid += u.invalid
	t.retries += u.retries
	t.retried += u.retried
	t.other += u.other
}

func count(n int) uint64 { return uint64(max(n, 0)) }

// String says what t holds in words, "" when nothing.
func (t tally) String() string {
	var parts []string
	say := func(n uint64, what string) {
		if n > 0 {
			parts = append(parts, what)
		}
	}
	say(t.dropped, numtext.Count(t.dropped, "event", "events")+" dropped")
	say(t.tooOld, numtext.Count(t.tooOld, "event", "events")+" rejected as too old")
	say(t.tooNew, numtext.Count(t.tooNew, "event", "events")+" rejected as too new")
	say(t.expired, numtext.Count(t.expired, "event", "events")+" rejected as expired")
	say(t.invalid, numtext.Count(t.invalid, "event", "events")+" rejected as invalid")
	switch {
	case t.retries == 1 && t.retried > 0:
		say(1, "1 retry of a call carrying "+numtext.Count(t.retried, "event", "events"))
	case t.retried > 0:
		say(t.retries, numtext.Count(t.retries, "retry", "retries")+" of calls carrying "+numtext.Count(t.retried, "event", "events"))
	default:
		say(t.retries, numtext.Count(t.retries, "retry", "retries"))
	}
	say(t.other, numtext.Count(t.other, "other report", "other reports"))
	return strings.Join(parts, ", ")
}

func (r *stderrReporter) report(err error) {
	// Outside mu: an error's methods are not ours.
	line := err.Error()
	var t tally
	t.add(err)

	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if !r.done && !r.last.IsZero() && now.Sub(r.last) < r.interval {
		r.held.merge(t)
		if r.stop == nil {
			r.startTimer(r.last.Add(r.interval).Sub(now))
		}
		return
	}
	if held := r.takeHeld(now); held != "" {
		line += " (" + held + ")"
	}
	r.last = now
	fmt.Fprintln(r.w, line)
}

func (r *stderrReporter) startTimer(d time.Duration) {
	after := r.afterFunc
	if after == nil {
		after = func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }
	}
	r.timer++
	n := r.timer
	r.stop = after(d, func() { r.endBurst(n) })
}

// endBurst writes what was held back since the last line, when timer n,
// started for it, is still the current one: a timer that fired while a
// new line took the sums must not write the next interval's early.
func (r *stderrReporter) endBurst(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n != r.timer || r.stop == nil {
		return
	}
	r.stop = nil
	now := r.now()
	if held := r.takeHeld(now); held != "" {
		r.last = now
		fmt.Fprintln(r.w, "cwlog: "+held)
	}
}

// takeHeld returns what was held back, in words, and forgets it and its
// timer.
func (r *stderrReporter) takeHeld(now time.Time) string {
	if r.stop != nil {
		r.stop()
		r.stop = nil
	}
	held := r.held.String()
	r.held = tally{}
	if held == "" {
		return ""
	}
	d := now.Sub(r.last)
	if d >= time.Second {
		d = d.Round(100 * time.Millisecond)
	} else {
		d = d.Round(time.Millisecond)
	}
	return "suppressed in the last " + d.String() + ": " + held
}

// closed is called once, by Close, after the last report: it writes what
// is still held back, then, if events were dropped or rejected, the counts
// of st. Events refused after Close alone do not call for it: they are
// mostly the SDK's logs of Close's own uploads, with SetSDKLogger. Reports after it, if any, are written as they come.
func (r *stderrReporter) closed(st Stats) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done = true
	if held := r.takeHeld(r.now()); held != "" {
		fmt.Fprintln(r.w, "cwlog: "+held)
	}
	if st.Dropped+st.Rejected == 0 {
		return
	}
	line := fmt.Sprintf("cwlog: closed: %s events added, %s delivered, %s dropped (%s buffer full, %s at close), %s rejected",
		numtext.Thousands(st.Added), numtext.Thousands(st.Delivered), numtext.Thousands(st.Dropped),
		numtext.Thousands(st.DroppedFull), numtext.Thousands(st.DroppedClose), numtext.Thousands(st.Rejected))
	if st.Rejected > 0 {
		line += fmt.Sprintf(" (%s too old, %s too new, %s expired, %s invalid)",
			numtext.Thousands(st.RejectedTooOld), numtext.Thousands(st.RejectedTooNew),
			numtext.Thousands(st.RejectedExpired), numtext.Thousands(st.RejectedInvalid))
	}
	if st.AfterClose > 0 {
		line += ", " + numtext.Thousands(st.AfterClose) + " refused after Close"
	}
	fmt.Fprintln(r.w, line)
}
