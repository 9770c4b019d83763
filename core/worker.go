package core

import "time"

// run is the worker goroutine: it owns the queue's consumer side and every
// upload, so the callers of Add never wait on the network.
func (s *Shipper) run() {
	defer close(s.stopped)
	ticker := time.NewTicker(s.cfg.FlushInterval)
	defer ticker.Stop()
	for {
		select {
		case <-s.quit:
			s.drain(true)
			s.uploads.Wait()
			s.abandonQueue()
			return
		case <-ticker.C:
			s.drain(true)
		case <-s.wake:
			s.drain(false)
		}
	}
}

// drain uploads chunks until the queue holds less than a full batch, or,
// when force is set or a Flush waits, until it is empty.
func (s *Shipper) drain(force bool) {
	for s.ctx.Err() == nil {
		c, ok := s.take(force)
		if !ok {
			break
		}
		s.dispatch(c)
	}
	s.settle(nil)
}

// dispatch uploads a chunk. With Concurrency 1 it does so on the worker
// goroutine, which alone then touches the sequence token. Otherwise it
// waits for a free upload slot and returns at once, so a slow call never
// holds up the others.
func (s *Shipper) dispatch(c chunk) {
	if s.slots == nil {
		s.upload(c.entries)
		s.settle(&c)
		return
	}
	s.slots <- struct{}{}
	s.uploads.Add(1)
	go func() {
		defer s.uploads.Done()
		s.upload(c.entries)
		s.settle(&c)
		<-s.slots
	}()
}

// abandonQueue counts what Close could not deliver as dropped.
func (s *Shipper) abandonQueue() {
	s.mu.Lock()
	n := s.queue.len()
	s.bytes -= s.queued
	s.dequeued += uint64(n)
	s.settled = s.dequeued
	s.queue, s.queued = fifo{}, 0
	s.mu.Unlock()
	if n > 0 {
		s.stats.droppedClose.Add(uint64(n))
	}
}
