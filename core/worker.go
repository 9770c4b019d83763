package core

import "time"

// run is the worker goroutine: it owns every upload, so sequence tokens
// need no lock and the callers of Add never wait on the network.
func (s *Shipper) run() {
	defer close(s.stopped)
	ticker := time.NewTicker(s.cfg.FlushInterval)
	defer ticker.Stop()
	for {
		select {
		case <-s.quit:
			s.drain(true)
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
		chunk := s.take(force || s.flushWanted())
		if chunk == nil {
			break
		}
		s.upload(chunk)
		s.release(batchBytes(chunk))
	}
	s.release(0)
}

// abandonQueue counts what Close could not deliver as dropped.
func (s *Shipper) abandonQueue() {
	s.mu.Lock()
	n := len(s.queue)
	s.bytes -= s.queued
	s.dequeued += uint64(n)
	s.settled = s.dequeued
	s.queue, s.queued = nil, 0
	s.mu.Unlock()
	if n > 0 {
		s.stats.droppedClose.Add(uint64(n))
	}
}
