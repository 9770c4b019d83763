package core

import "slices"

// add queues one sized, sanitized entry, applying the FullPolicy; wait
// is false where Block must act as DropNewest.
func (s *Shipper) add(ts int64, msg string, wait bool) error {
	if msg == "" || ts < 0 {
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return ErrClosed
		}
		s.stats.added.Add(1)
		s.stats.invalid.Add(1)
		if msg == "" {
			return ErrEmptyMessage
		}
		return ErrBeforeEpoch
	}
	e := entry{ts: ts, msg: msg}
	size := e.size()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	evicted := 0
	for s.bytes+size > s.cfg.BufferLimit {
		if s.cfg.FullPolicy == DropOldest && s.queue.len() > 0 {
			old := s.queue.pop()
			s.queued -= old.size()
			s.bytes -= old.size()
			s.dequeued++
			evicted++
			continue
		}
		if wait {
			s.space.Wait()
			if s.closed {
				s.mu.Unlock()
				return ErrClosed
			}
			continue
		}
		// DropNewest, or DropOldest with everything already uploading.
		s.stats.added.Add(1)
		s.stats.droppedFull.Add(1)
		s.mu.Unlock()
		s.reportDrops(evicted + 1)
		return ErrBufferFull
	}
	s.queue.push(e)
	s.queued += size
	s.bytes += size
	s.enqueued++ // counted in Stats.Added from here, without an atomic
	full := s.queued >= s.lim.bytes || s.queue.len() >= s.lim.events
	s.mu.Unlock()
	if evicted > 0 {
		s.stats.droppedFull.Add(uint64(evicted))
		s.reportDrops(evicted)
	}
	if full {
		s.signal()
	}
	return nil
}

func (s *Shipper) reportDrops(n int) {
	s.onError(&DroppedError{Count: n, Policy: s.cfg.FullPolicy})
}

// chunk is a run of entries taken from the queue to upload, and the
// sequence number of its first entry.
type chunk struct {
	entries []entry
	start   uint64
	bytes   int
}

// take removes the next chunk to upload from the front of the queue: at
// most one batch's worth. Unless force is set or a Flush waits, it takes
// nothing until a full batch is queued, so that a busy Shipper sends full
// batches.
func (s *Shipper) take(force bool) (chunk, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.queue.len() == 0 {
		return chunk{}, false
	}
	force = force || len(s.flushes) > 0
	if !force && s.queued < s.lim.bytes && s.queue.len() < s.lim.events {
		return chunk{}, false
	}
	n, size := s.queue.prefix(s.lim.events, s.lim.bytes)
	c := chunk{entries: s.chunkEntries(n), start: s.dequeued, bytes: size}
	s.queue.popInto(c.entries)
	s.queued -= size
	s.dequeued += uint64(n)
	s.inflight = append(s.inflight, c.start)
	s.uploading += n
	return c, true
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

// settle accounts for an uploaded chunk: its bytes are free again, and
// flushes waiting for it are answered. A nil c only catches up with
// evictions. The chunk's entries are kept for a later chunk, cleared so
// that its messages can go: nothing reads them once they are uploaded.
func (s *Shipper) settle(c *chunk) {
	if c != nil {
		clear(c.entries)
	}
	s.mu.Lock()
	if c != nil {
		s.bytes -= c.bytes
		s.uploading -= len(c.entries)
		if i := slices.Index(s.inflight, c.start); i >= 0 {
			s.inflight = slices.Delete(s.inflight, i, i+1)
		}
		if len(s.spareChunks) < cap(s.spareChunks) {
			s.spareChunks = append(s.spareChunks, c.entries[:0])
		}
	}
	s.resettle()
	if c != nil && s.cfg.FullPolicy == Block {
		s.space.Broadcast()
	}
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
	if len(s.flushes) == 0 {
		return
	}
	kept := s.flushes[:0]
	for _, w := range s.flushes {
		if s.settled >= w.target {
			close(w.done)
		} else {
			kept = append(kept, w)
		}
	}
	clear(s.flushes[len(kept):])
	s.flushes = kept
}
