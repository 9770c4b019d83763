package core

import "time"

// run is the worker goroutine: it owns the queue's consumer side and every
// upload, so the callers of Add never wait on the network. It sleeps while
// nothing is due: a partial batch lingers until its oldest event has
// waited FlushInterval, so a steady trickle of events costs one call per
// FlushInterval, not one per round trip.
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

// drain uploads the chunks that are due, and returns how long until the
// next one is (0 for none queued).
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

// dispatch uploads a chunk. With Concurrency 1 it does so on the worker
// goroutine, which alone then touches the sequence token. Otherwise it
// waits for a free upload slot and returns at once, so a slow call never
// holds up the others.
func (s *Shipper) dispatch(c chunk) {
	if s.slots == nil {
		s.upload(c.entries, c.lim)
		s.settle(&c)
		return
	}
	s.slots <- struct{}{}
	s.uploads.Add(1)
	go func() {
		defer s.uploads.Done()
		s.upload(c.entries, c.lim)
		s.settle(&c)
		<-s.slots
		s.signal() // the worker may wait on pressure for this slot's room
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
	if n > 0 {
		s.stats.droppedClose.Add(uint64(n))
	}
}
