package core

import (
	"slices"
	"time"
)

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
		s.mu.Unlock()
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

// chunk is a run of entries taken from the queue to upload, the sequence
// number of its first entry, and the limits to cut it into batches by.
type chunk struct {
	entries []entry
	start   uint64
	bytes   int
	lim     limits
}

// take removes the next chunk to upload from the front of the queue, at
// most one batch's worth, if one is due: a full batch is queued, the
// front has waited FlushInterval, the buffer is under pressure, a Flush
// waits for it, or closing is set. Otherwise it returns false and how long
// until the front is due (0 for an empty queue).
func (s *Shipper) take(closing bool) (chunk, time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.queue.len() == 0 {
		s.pressure = false
		return chunk{}, 0, false
	}
	due := closing || s.pressure || s.fullBatch() || s.flushWants()
	if !due {
		waited := time.Duration(s.clock() - s.queue.since())
		if waited < s.cfg.FlushInterval {
			return chunk{}, s.cfg.FlushInterval - waited, false
		}
	}
	s.pressure = len(s.blocked) > 0
	n, size := s.queue.prefix(s.lim.events, s.lim.bytes)
	c := chunk{entries: s.chunkEntries(n), start: s.dequeued, bytes: size, lim: s.lim}
	s.queue.popInto(c.entries)
	s.queued -= size
	s.dequeued += uint64(n)
	s.inflight = append(s.inflight, c.start)
	s.uploading += n
	return c, 0, true
}

// flushWants reports whether a Flush waits for an entry still queued.
// s.mu must be held.
func (s *Shipper) flushWants() bool {
	for _, w := range s.flushes {
		if w.target > s.dequeued {
			return true
		}
	}
	return false
}

// chunkEntries returns n entries' room for a chunk: a kept slice when one
// is large enough. s.mu must be held.
func (s *Shipper) chunkEntries(n int) []entry {
	for i, es := range s.spareChunks {
		if cap(es) >= n {
			last := len(s.spareChunks) - 1
			s.spareChunks[i], s.spareChunks[last] = s.spareChunks[last], nil
			s.spareChunks = s.spareChunks[:last]
			return es[:n]
		}
	}
	return make([]entry, n)
}

// settle accounts for an uploaded chunk: its bytes are free again, Adds
// waiting for room are let in, and flushes waiting for it are answered.
// The chunk's entries are kept for a later chunk, cleared so that its
// messages can go: nothing reads them once they are uploaded.
func (s *Shipper) settle(c *chunk) {
	clear(c.entries)
	s.mu.Lock()
	s.bytes -= c.bytes
	s.uploading -= len(c.entries)
	if i := slices.Index(s.inflight, c.start); i >= 0 {
		s.inflight = slices.Delete(s.inflight, i, i+1)
	}
	if len(s.spareChunks) < cap(s.spareChunks) {
		s.spareChunks = append(s.spareChunks, c.entries[:0])
	}
	s.admit()
	s.resettle()
	s.mu.Unlock()
}

// resettle moves settled up to what is no longer queued nor uploading, and
// answers the flushes that it satisfies. s.mu must be held.
func (s *Shipper) resettle() {
	// Chunks finish out of order when uploads run in parallel: everything
	// before the oldest chunk still uploading is settled.
	s.settled = s.dequeued
	for _, start := range s.inflight {
		s.settled = min(s.settled, start)
	}
	s.flushes = slices.DeleteFunc(s.flushes, func(w *flushWaiter) bool {
		if s.settled >= w.target {
			close(w.done)
			return true
		}
		return false
	})
}
