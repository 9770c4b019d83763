package core

import (
	"slices"
	"time"
)

// chunk is a run of entries taken from the queue to upload.
type chunk struct {
	entries []entry
	start   uint64 // sequence number of the first
	bytes   int
	lim     limits // to cut it into batches by

	full      bool // cut by a batch limit, with more queued behind it
	continues bool // starts inside a split message begun before it
}

// take removes at most a batch's worth from the front of the queue, if it
// is due: a full batch is queued, the front has waited FlushInterval, the
// buffer is under pressure, a Flush waits, or closing. Otherwise it
// returns false and how long until the front is due (0: queue empty).
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
	c.full = s.queue.len() > 0
	c.continues = s.continuesSplit(c.start)
	s.inflight = append(s.inflight, c.start)
	s.uploading += n
	return c, 0, true
}

// continuesSplit reports whether the entry numbered start is a piece of a
// split message, not its first, and forgets the split messages wholly
// taken before it. s.mu held.
func (s *Shipper) continuesSplit(start uint64) bool {
	done := 0
	for done < len(s.splits) && s.splits[done][1] <= start {
		done++
	}
	s.splits = slices.Delete(s.splits, 0, done)
	return len(s.splits) > 0 && s.splits[0][0] < start
}

// flushWants reports whether a Flush waits for a queued entry. s.mu held.
func (s *Shipper) flushWants() bool {
	for _, w := range s.flushes {
		if w.target > s.dequeued {
			return true
		}
	}
	return false
}

// chunkEntries returns room for n entries, a spare chunk's if any. s.mu held.
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
// waiting for room are let in and flushes waiting for it answered. Its
// entries, cleared so that the messages can go, are kept for reuse.
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

// resettle advances settled and answers the flushes it satisfies. s.mu held.
func (s *Shipper) resettle() {
	// Parallel uploads finish out of order: settled stops at the oldest
	// chunk still uploading.
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
