package core

import (
	"runtime"
	"slices"
	"strings"
)

// Add queues e for upload and returns without network I/O and without
// calling any user code. The event's time is kept to the millisecond; a
// zero Time means now. A message longer than MaxMessageBytes is split or
// truncated (Config.OversizePolicy); the pieces of a split message are
// queued all together or not at all.
//
// Add keeps e.Message itself, without copying it, until the event is
// delivered, rejected or dropped; strings are immutable, but one made with
// unsafe from a buffer the caller reuses must be copied first. A truncated
// message keeps a copy of the kept prefix only, and a message with invalid
// UTF-8 a corrected copy.
//
// Add returns ErrClosed after Close (counted in Stats.AfterClose),
// ErrEmptyMessage or ErrBeforeEpoch for an event CloudWatch cannot store
// (counted as rejected), and ErrBufferFull when the buffer has no room and
// the event is dropped (counted as dropped): under DropNewest, under
// DropOldest when everything buffered is already being uploaded, and under
// every policy for an event larger than BufferLimit. Under the Block
// policy it waits for room, behind the Adds that waited first.
func (s *Shipper) Add(e Event) error {
	return s.addEvent(e, s.cfg.FullPolicy == Block)
}

// TryAdd is Add that never waits: under the Block policy a full buffer, or
// other Adds already waiting, make it return ErrBufferFull, as under
// DropNewest. Adapters use it for records logged from inside the Shipper's
// own API calls (see IsInternal), which must not wait for the uploads they
// are part of.
func (s *Shipper) TryAdd(e Event) error {
	return s.addEvent(e, false)
}

func (s *Shipper) addEvent(e Event, wait bool) error {
	var ts int64
	if e.Time.IsZero() {
		ts = s.cfg.Now().UnixMilli()
	} else {
		ts = e.Time.UnixMilli()
	}
	msg := sanitize(e.Message)
	if msg == "" || ts < 0 {
		return s.invalid(msg == "")
	}
	if len(msg) <= s.cfg.MaxMessageBytes {
		one := [1]entry{{ts: ts, msg: msg}}
		return s.add(one[:], one[0].size(), wait)
	}
	if s.cfg.OversizePolicy == Truncate {
		// A copy, so that the rest of a huge message is not kept alive
		// by the part that is.
		one := [1]entry{{ts: ts, msg: strings.Clone(cutRunes(msg, s.cfg.MaxMessageBytes))}}
		err := s.add(one[:], one[0].size(), wait)
		if err == nil {
			s.stats.truncated.Add(1)
		}
		return err
	}
	var parts []entry
	size := 0
	for msg != "" {
		part := cutRunes(msg, s.cfg.MaxMessageBytes)
		parts = append(parts, entry{ts: ts, msg: part})
		size += len(part) + eventOverhead
		msg = msg[len(part):]
	}
	err := s.add(parts, size, wait)
	if err == nil {
		s.stats.split.Add(1)
	}
	return err
}

// invalid counts an event CloudWatch could never store.
func (s *Shipper) invalid(empty bool) error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		s.stats.afterClose.Add(1)
		return ErrClosed
	}
	s.stats.added.Add(1)
	s.stats.invalid.Add(1)
	if empty {
		return ErrEmptyMessage
	}
	return ErrBeforeEpoch
}

// add queues the entries of one event, all or none, applying the
// FullPolicy; wait is false where Block must act as DropNewest. size is
// their total size. It never calls user code: a drop is counted here and
// reported later by the Shipper's reporter.
func (s *Shipper) add(es []entry, size int, wait bool) error {
	n := uint64(len(es))
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.stats.afterClose.Add(n)
		return ErrClosed
	}
	if s.fits(size) {
		s.enqueue(es, size)
		yield := wait && s.contended
		s.mu.Unlock()
		if yield {
			// Writers are taking turns for room: let the others run
			// before this one takes more, or the one that happens to be
			// running when an upload ends takes all the room it frees.
			runtime.Gosched()
		}
		return nil
	}
	if s.cfg.FullPolicy == DropOldest && s.evictFor(size) {
		s.enqueue(es, size)
		s.mu.Unlock()
		return nil
	}
	if wait && size <= s.cfg.BufferLimit {
		return s.waitForRoom(es, size) // unlocks
	}
	s.setPressure()
	s.mu.Unlock()
	s.stats.added.Add(n)
	s.dropped(n)
	return ErrBufferFull
}

// fits reports whether size more bytes may be queued now: there is room,
// and no Add waiting under the Block policy was there first. s.mu must be
// held.
func (s *Shipper) fits(size int) bool {
	return len(s.blocked) == 0 && s.bytes+size <= s.cfg.BufferLimit
}

// enqueue appends entries to the queue. s.mu must be held.
func (s *Shipper) enqueue(es []entry, size int) {
	wasEmpty := s.queue.len() == 0
	for _, e := range es {
		s.queue.push(e)
	}
	s.queued += size
	s.bytes += size
	s.enqueued += uint64(len(es)) // counted in Stats.Added from here
	// The worker needs to know when the queue starts to wait (to time its
	// linger) and when a full batch is there; not about every entry.
	if wasEmpty || s.fullBatch() {
		s.signal()
	}
}

// fullBatch reports whether the queue holds a full batch. s.mu must be held.
func (s *Shipper) fullBatch() bool {
	return s.queued >= s.lim.bytes || s.queue.len() >= s.lim.events
}

// evictFor drops the oldest queued entries, counting each, until size
// more bytes fit; it evicts nothing and reports false when even an empty
// queue would leave no room, because everything else is being uploaded.
// s.mu must be held.
func (s *Shipper) evictFor(size int) bool {
	if s.bytes-s.queued+size > s.cfg.BufferLimit {
		return false
	}
	evicted := uint64(0)
	for s.bytes+size > s.cfg.BufferLimit {
		old := s.queue.pop()
		s.queued -= old.size()
		s.bytes -= old.size()
		s.dequeued++
		evicted++
	}
	s.resettle() // a Flush may have waited for what went
	s.setPressure()
	s.dropped(evicted)
	return true
}

// blockedAdd is an Add waiting for room under the Block policy. Waiters
// are let in strictly in arrival order by admit.
type blockedAdd struct {
	es   []entry
	size int
	done chan error // receives nil once queued, or ErrClosed
}

// waitForRoom queues the Add behind those already waiting and waits until
// admit lets it in or Close refuses it. s.mu must be held; it is released.
func (s *Shipper) waitForRoom(es []entry, size int) error {
	w := &blockedAdd{es: slices.Clone(es), size: size, done: make(chan error, 1)}
	s.blocked = append(s.blocked, w)
	s.contended = true
	s.setPressure()
	s.mu.Unlock()
	return <-w.done
}

// admit queues the waiting Adds that now fit, in arrival order, stopping
// at the first that does not so that a small late one cannot pass a large
// early one. s.mu must be held.
func (s *Shipper) admit() {
	i := 0
	for ; i < len(s.blocked); i++ {
		w := s.blocked[i]
		if s.bytes+w.size > s.cfg.BufferLimit {
			break
		}
		s.enqueue(w.es, w.size)
		w.done <- nil
	}
	if i == 0 {
		return
	}
	clear(s.blocked[:i])
	s.blocked = s.blocked[i:]
	if len(s.blocked) > 0 {
		s.setPressure()
	}
}

// refuseBlocked answers every waiting Add with ErrClosed. s.mu must be held.
func (s *Shipper) refuseBlocked() {
	for _, w := range s.blocked {
		s.stats.afterClose.Add(uint64(len(w.es)))
		w.done <- ErrClosed
	}
	clear(s.blocked)
	s.blocked = nil
}

// setPressure notes that the buffer turned an Add away or made it wait:
// no batch can grow by waiting, so the worker sends what is queued at
// once. s.mu must be held.
func (s *Shipper) setPressure() {
	if !s.pressure {
		s.pressure = true
		s.signal()
	}
}
