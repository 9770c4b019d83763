package core

import (
	"testing"
	"time"
)

// round observes n calls of round trip rtt, after a full chunk waited for
// a slot when starved.
func round(l *limiter, n int, rtt time.Duration, starved bool) {
	if starved {
		l.mu.Lock()
		l.starved = true
		l.mu.Unlock()
	}
	for range n {
		l.observe(rtt, false, false)
	}
}

func TestLimiterGrowsOnlyWhileFullChunksWaitAndRoundTripsStayFast(t *testing.T) {
	const rtt = 50 * time.Millisecond
	l := newLimiter(0, 6)
	round(l, 1, rtt, true)
	if got := l.current(); got != 1 {
		t.Fatalf("limit %d before the first answer on tokens, want 1", got)
	}
	l.decide()
	round(l, 3, rtt, false)
	if got := l.current(); got != 1 {
		t.Fatalf("limit %d with no full chunk waiting, want 1", got)
	}
	// Slow start: one more per fast call while full chunks wait.
	round(l, 3, rtt, true)
	if got := l.current(); got != 4 {
		t.Fatalf("limit %d after 3 fast calls, want 4", got)
	}
	round(l, 8, 2*rtt, true)
	if got := l.current(); got != 4 {
		t.Fatalf("limit %d after calls twice as slow, want 4", got)
	}
	round(l, 8, rtt, true)
	if got := l.current(); got != 6 {
		t.Fatalf("limit %d, want MaxConcurrency 6", got)
	}
}

// Once load was met, the limit grows by one per round, and only after
// twice the limit (four at least) successful calls in a row: an endpoint
// that throttles two calls in five keeps it at one.
func TestLimiterGrowsByRoundsOnceLoadWasMet(t *testing.T) {
	const rtt = 10 * time.Millisecond
	l := newLimiter(0, 16)
	l.decide()
	round(l, 1, rtt, true)
	l.acquire(false)
	l.observe(rtt, true, true) // throttled: back to 1
	l.release()
	for _, want := range []int{1, 1, 1, 2, 2, 3} {
		round(l, 1, rtt, true)
		if got := l.current(); got != want {
			t.Fatalf("limit %d, want %d", got, want)
		}
	}
	l.acquire(false)
	l.observe(rtt, true, true) // back to 1
	l.release()
	for i := range 100 {
		if i%5 < 3 {
			round(l, 1, rtt, true)
			continue
		}
		l.acquire(false)
		l.observe(rtt, true, true)
		l.release()
		if got := l.current(); got != 1 {
			t.Fatalf("limit %d after call %d with two in five throttled, want 1", got, i)
		}
	}
}

func TestLimiterHalvesOncePerRoundUnderPressure(t *testing.T) {
	l := newLimiter(0, 16)
	l.decide()
	for l.current() < 16 {
		round(l, l.current(), 10*time.Millisecond, true)
	}
	// Every call in flight throttled: one halving for them all.
	for _, want := range []int{8, 4, 2, 1, 1} {
		n := l.current()
		for range n {
			l.acquire(false)
		}
		for range n {
			l.observe(10*time.Millisecond, true, true)
			l.release()
		}
		if got := l.current(); got != want {
			t.Fatalf("limit %d after a throttled round of %d calls, want %d", got, n, want)
		}
	}
	// A failure that asks for no less load (access denied) does not cut,
	// but the calls in a row start again.
	round(l, 3, 10*time.Millisecond, true)
	l.observe(10*time.Millisecond, true, false)
	round(l, 3, 10*time.Millisecond, true)
	if got := l.current(); got != 1 {
		t.Fatalf("limit %d, want 1", got)
	}
	round(l, 1, 10*time.Millisecond, true)
	if got := l.current(); got != 2 {
		t.Fatalf("limit %d after four successes in a row, want 2", got)
	}
}

func TestLimiterFixedAndPinned(t *testing.T) {
	l := newLimiter(4, 8)
	round(l, 8, time.Millisecond, true)
	l.observe(time.Millisecond, true, true)
	if got := l.current(); got != 4 || l.probing() {
		t.Fatalf("fixed limit moved to %d (probing %v)", got, l.probing())
	}
	l = newLimiter(0, 8)
	l.decide()
	round(l, 1, time.Millisecond, true)
	l.pin()
	round(l, 4, time.Millisecond, true)
	if got := l.current(); got != 1 {
		t.Fatalf("pinned limit %d, want 1", got)
	}
}
