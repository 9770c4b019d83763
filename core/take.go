package core

import (
	"slices"
	"time"
)

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
	s.contended = len(s.blocked) > 0
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
