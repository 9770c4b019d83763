package core

import "time"

// run is the worker goroutine: it owns the queue's consumer side and every
// upload. A partial batch lingers until its oldest event has waited
// FlushInterval, so a trickle costs one call per FlushInterval, not one
// per round trip.
func (s *Shipper) run() {
	defer close(s.stopped)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		closing := false
		select {
		case <-s.quit:
			closing = true
		default:
		}
		wait := s.drain(closing)
		if closing {
			s.uploads.Wait()
			s.abandonQueue()
			return
		}
		if wait > 0 {
			timer.Reset(wait)
		}
		select {
		case <-s.quit:
		case <-timer.C:
		case <-s.wake:
		}
		timer.Stop()
	}
}

// drain uploads the due chunks; it returns the wait for the next (0: none).
func (s *Shipper) drain(closing bool) time.Duration {
	for s.ctx.Err() == nil {
		c, wait, ok := s.take(closing)
		if !ok {
			return wait
		}
		s.dispatch(c)
	}
	return 0
}

// dispatch uploads a chunk: on the worker goroutine with Concurrency 1;
// otherwise on a goroutine of its own once the limiter has a slot, so a
// slow call never holds up the others. A chunk that goes on with a split
// message waits for the uploads before it, so that the pieces are stored
// in order.
func (s *Shipper) dispatch(c chunk) {
	if s.conc == nil {
		s.upload(c.entries, c.lim)
		s.settle(&c)
		return
	}
	if c.continues {
		s.uploads.Wait()
	}
	s.conc.acquire(c.full)
	s.uploads.Add(1)
	go func() {
		defer s.uploads.Done()
		s.upload(c.entries, c.lim)
		s.settle(&c)
		s.conc.release()
	}()
}

// abandonQueue counts what Close could not deliver as dropped.
func (s *Shipper) abandonQueue() {
	s.mu.Lock()
	n := s.queue.len()
	s.bytes -= s.queued
	s.dequeued += uint64(n)
	s.settled = s.dequeued
	s.queue, s.queued = fifo{clock: s.clock}, 0
	s.mu.Unlock()
	s.stats.droppedClose.Add(uint64(n))
}
