package core

import (
	"sync"
	"time"
)

// limiter bounds the uploads in flight. With a fixed Concurrency its limit
// never moves. Otherwise it starts at one and grows while a full chunk
// waits for a slot and round trips stay within half again the usual: by
// one per call at first (doubling each round trip, as TCP's slow start),
// once load was met, by one per round of as many calls as the limit, after
// twice the limit (four at least) successful calls in a row, so that a
// service refusing a share of the calls keeps it at one. It halves on
// throttling, service faults and timeouts, ignoring then the calls already
// in flight, which met the same load. Until the first answer
// tells whether the endpoint checks sequence tokens it stays at one
// (probing); an endpoint that does pins it there (pin).
type limiter struct {
	mu        sync.Mutex
	freed     chan struct{} // capacity 1: a slot was released or the limit rose
	adaptive  bool
	undecided bool // no answer yet on whether the endpoint checks tokens
	limit     int  // uploads allowed in flight
	max       int
	inflight  int

	// The current round.
	calls   int  // calls observed
	ok      int  // successful calls
	slow    int  // successful calls slower than half again the usual
	starved bool // a full chunk waited for a slot
	waiting bool // a full chunk waits for a slot now
	grace   int  // calls in flight at the last cut, still to answer

	usual   time.Duration // moving average of successful round trips
	clean   int           // successful calls in a row
	pressed bool          // load was met once: grow by rounds, not calls
}

func newLimiter(fixed, max int) *limiter {
	l := &limiter{freed: make(chan struct{}, 1), limit: fixed, max: fixed}
	if fixed == 0 {
		l.adaptive, l.undecided, l.limit, l.max = true, true, 1, max
	}
	return l
}

// acquire waits for a slot; full says the chunk to upload is a full one.
func (l *limiter) acquire(full bool) {
	for {
		l.mu.Lock()
		if l.inflight < l.limit {
			l.inflight++
			l.mu.Unlock()
			return
		}
		l.starved = l.starved || full
		l.waiting = full
		l.mu.Unlock()
		<-l.freed
		l.mu.Lock()
		l.waiting = false
		l.mu.Unlock()
	}
}

func (l *limiter) release() {
	l.mu.Lock()
	l.inflight--
	l.mu.Unlock()
	notify(l.freed)
}

// observe adapts the limit to one call's outcome: its round trip, and
// whether it failed with an error that asks for less load.
func (l *limiter) observe(rtt time.Duration, failed, pressure bool) {
	if !l.adaptive {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.grace > 0 {
		// Sent before the last cut: it tells nothing about the new limit.
		l.grace--
		return
	}
	if failed || pressure {
		l.clean = 0
	}
	if pressure {
		l.limit = max(1, l.limit/2)
		l.grace = l.inflight - 1
		l.pressed = true
		l.newRound()
		return
	}
	l.calls++
	if !failed {
		l.ok++
		l.clean++
		healthy := l.usual == 0 || rtt <= l.usual+l.usual/2
		if !healthy {
			l.slow++
		}
		if l.usual == 0 {
			l.usual = rtt
		} else {
			l.usual += (rtt - l.usual) / 8
		}
		if !l.pressed && healthy {
			l.grow()
		}
	}
	if l.calls < l.limit {
		return
	}
	if l.pressed && l.ok == l.calls && l.slow == 0 && l.clean >= max(2*l.limit, 4) {
		l.grow()
	}
	l.newRound()
}

// grow adds one to the limit if a full chunk waited for a slot.
func (l *limiter) grow() {
	if (l.starved || l.waiting) && !l.undecided && l.limit < l.max {
		l.limit++
		notify(l.freed)
	}
}

func (l *limiter) newRound() {
	l.calls, l.ok, l.slow, l.starved = 0, 0, 0, false
}

// pin keeps one upload in flight from now on, for an endpoint that chains
// sequence tokens.
func (l *limiter) pin() {
	l.mu.Lock()
	l.adaptive, l.undecided, l.limit, l.max = false, false, 1, 1
	l.mu.Unlock()
}

// probing reports whether calls must still probe for token checking.
func (l *limiter) probing() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.undecided
}

// decide records that the endpoint ignores sequence tokens: the limit may
// grow.
func (l *limiter) decide() {
	l.mu.Lock()
	l.undecided = false
	l.mu.Unlock()
}

func (l *limiter) current() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit
}
