package core

import (
	"runtime"
	"slices"
	"strings"
)

// Add queues e for upload, without network I/O nor calling user code. A
// message over MaxMessageBytes is split, all pieces or none queued, or
// truncated (OversizePolicy). Add keeps e.Message uncopied until the event
// is delivered or given up: copy first a string made with unsafe from a
// reused buffer.
//
// Add returns ErrClosed after Close (counted in Stats.AfterClose),
// ErrEmptyMessage or ErrBeforeEpoch for an event CloudWatch cannot store
// (counted as rejected), and ErrBufferFull when the event is dropped for
// want of room (counted as dropped): under DropNewest, under DropOldest
// when everything buffered is being uploaded, and under every policy for
// an event larger than BufferLimit. Under Block it waits for room, behind
// the Adds that waited first. It is safe for concurrent use.
func (s *Shipper) Add(e Event) error {
	return s.addEvent(e, s.cfg.FullPolicy == Block)
}

// TryAdd is Add that never waits: under Block it acts as DropNewest. It is
// for records logged inside the Shipper's own API calls (see IsInternal).
func (s *Shipper) TryAdd(e Event) error {
	return s.addEvent(e, false)
}

func (s *Shipper) addEvent(e Event, wait bool) error {
	ts := e.Time.UnixMilli()
	if e.Time.IsZero() {
		ts = s.cfg.Now().UnixMilli()
	}
	msg := sanitize(e.Message)
	if msg == "" || ts < 0 {
		return s.invalid(msg == "")
	}
	if truncate := len(msg) > s.cfg.MaxMessageBytes; !truncate || s.cfg.OversizePolicy == Truncate {
		if truncate {
			// A copy, so that the rest of a huge message can go.
			msg = strings.Clone(cutRunes(msg, s.cfg.MaxMessageBytes))
		}
		one := [1]entry{{ts: ts, msg: msg}}
		err := s.add(one[:], one[0].size(), wait)
		if err == nil && truncate {
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

// add queues the entries of one event, all or none, by the FullPolicy;
// wait is false where Block must act as DropNewest.
func (s *Shipper) add(es []entry, size int, wait bool) error {
	n := uint64(len(es))
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.stats.afterClose.Add(n)
		return ErrClosed
	}
	if len(s.blocked) == 0 && s.bytes+size <= s.cfg.BufferLimit { // blocked Adds come first
		s.enqueue(es, size)
		yield := wait && s.contended
		s.mu.Unlock()
		if yield {
			// Writers take turns for room: let the others run, or the
			// one running when an upload ends takes all it frees.
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

// enqueue appends entries to the queue. s.mu held.
func (s *Shipper) enqueue(es []entry, size int) {
	wasEmpty := s.queue.len() == 0
	if len(es) > 1 {
		s.splits = append(s.splits, [2]uint64{s.enqueued, s.enqueued + uint64(len(es))})
	}
	for _, e := range es {
		s.queue.push(e)
	}
	s.queued += size
	s.bytes += size
	s.enqueued += uint64(len(es)) // counted in Stats.Added from here
	// The worker needs to know when the queue starts to wait (to time its
	// linger) and when a full batch is there, not of every entry.
	if wasEmpty || s.fullBatch() {
		s.signal()
	}
}

// fullBatch reports whether the queue holds a full batch. s.mu held.
func (s *Shipper) fullBatch() bool {
	return s.queued >= s.lim.bytes || s.queue.len() >= s.lim.events
}

// evictFor drops the oldest queued entries until size more bytes fit, or
// reports false if even an empty queue would not do. s.mu held.
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

// blockedAdd is an Add waiting for room under Block.
type blockedAdd struct {
	es   []entry
	size int
	done chan error // receives nil once queued, or ErrClosed
}

// waitForRoom waits until admit lets the Add in or Close refuses it.
// s.mu held; it is released.
func (s *Shipper) waitForRoom(es []entry, size int) error {
	w := &blockedAdd{es: slices.Clone(es), size: size, done: make(chan error, 1)}
	s.blocked = append(s.blocked, w)
	s.contended = true
	s.setPressure()
	s.mu.Unlock()
	return <-w.done
}

// admit queues the waiting Adds that now fit, stopping at the first that
// does not, so that a small late one cannot pass a large early one.
// s.mu held.
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

// refuseBlocked answers every waiting Add with ErrClosed. s.mu held.
func (s *Shipper) refuseBlocked() {
	for _, w := range s.blocked {
		s.stats.afterClose.Add(uint64(len(w.es)))
		w.done <- ErrClosed
	}
	clear(s.blocked)
	s.blocked = nil
}

// setPressure notes that an Add found no room: the worker sends at once.
// s.mu held.
func (s *Shipper) setPressure() {
	if !s.pressure {
		s.pressure = true
		s.signal()
	}
}
