package core

import (
	"context"
	"sync"
)

// Shipper uploads events to one CloudWatch Logs stream. Its methods are
// safe for concurrent use; many loggers, of any adapter, may share one.
type Shipper struct {
	cfg     Config
	lim     limits
	onError func(error)
	stats   counters

	mu        sync.Mutex
	space     sync.Cond // signalled when bytes drop, for the Block policy
	queue     fifo      // accepted, not yet taken by the worker, arrival order
	queued    int       // bytes in queue
	bytes     int       // bytes in queue and being uploaded
	enqueued  uint64    // entries ever put in queue
	dequeued  uint64    // entries ever taken from queue, to upload or evicted
	settled   uint64    // dequeued as of the end of the last upload
	inflight  []uint64  // start of each chunk being uploaded
	uploading int       // entries in those chunks
	// spareChunks keeps the entry slices of uploaded chunks for later
	// ones, as many as sendBufs keeps bodies.
	spareChunks [][]entry
	flushes     []flushWaiter
	closed      bool
	closeErr    error
	closeDone   bool
	closeOnce   sync.Once

	wake    chan struct{}   // capacity 1: a full batch is queued, or a flush is asked
	quit    chan struct{}   // closed by Close: drain and stop
	stopped chan struct{}   // closed when the worker has returned
	ctx     context.Context // the worker's; cancelled when Close gives up
	cancel  context.CancelCauseFunc
	token   *string       // next sequence token; worker only
	slots   chan struct{} // upload slots when Concurrency > 1
	// sendBufs keeps sendBufs between sends, one per upload slot up to
	// maxKeptSendBufs.
	sendBufs chan *sendBuf
	uploads  sync.WaitGroup // uploads running on their own goroutines
}

type flushWaiter struct {
	target uint64 // settled must reach it
	done   chan struct{}
}

// New validates cfg and starts the Shipper's worker goroutine. A bad field
// gives a *ConfigError naming it (several are joined). Close must be called
// to deliver what is buffered and stop the worker.
func New(cfg Config) (*Shipper, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Shipper{
		cfg: cfg,
		lim: limits{
			bytes:  cfg.MaxBatchBytes,
			events: cfg.MaxBatchEvents,
			span:   maxSpanMillis,
		},
		onError:     cfg.OnError,
		wake:        make(chan struct{}, 1),
		sendBufs:    make(chan *sendBuf, min(cfg.Concurrency, maxKeptSendBufs)),
		spareChunks: make([][]entry, 0, min(cfg.Concurrency, maxKeptSendBufs)),
		quit:        make(chan struct{}),
		stopped:     make(chan struct{}),
	}
	if s.onError == nil {
		s.onError = newStderrReporter()
	}
	s.space.L = &s.mu
	if cfg.Concurrency > 1 {
		s.slots = make(chan struct{}, cfg.Concurrency)
	}
	s.ctx, s.cancel = context.WithCancelCause(context.WithValue(context.Background(), internalKey{}, true))
	go s.run()
	return s, nil
}

// Add queues e for upload and returns without network I/O. The event's
// time is kept to the millisecond; a zero Time means now. A message longer
// than MaxMessageBytes is split or truncated (Config.OversizePolicy).
//
// Add returns ErrClosed after Close, ErrEmptyMessage or ErrBeforeEpoch for
// an event CloudWatch cannot store (counted as rejected), and ErrBufferFull
// when the buffer is full under the DropNewest policy (counted as dropped).
// Under the Block policy it waits for room.
func (s *Shipper) Add(e Event) error {
	return s.addEvent(e, s.cfg.FullPolicy == Block)
}

// TryAdd is Add that never waits: under the Block policy a full buffer
// makes it return ErrBufferFull, as under DropNewest. Adapters use it for
// records logged from inside the Shipper's own API calls (see IsInternal),
// which must not wait for the uploads they are part of.
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
	if len(msg) <= s.cfg.MaxMessageBytes {
		return s.add(ts, msg, wait)
	}
	if s.cfg.OversizePolicy == Truncate {
		s.stats.truncated.Add(1)
		return s.add(ts, cutRunes(msg, s.cfg.MaxMessageBytes), wait)
	}
	s.stats.split.Add(1)
	for msg != "" {
		part := cutRunes(msg, s.cfg.MaxMessageBytes)
		if err := s.add(ts, part, wait); err != nil {
			return err
		}
		msg = msg[len(part):]
	}
	return nil
}

// internalKey marks the contexts of a Shipper's own API calls.
type internalKey struct{}

// IsInternal reports whether ctx is, or derives from, the context a Shipper
// passes to its own CloudWatch API calls. The SDK hands that context to its
// logger (smithy-go's logging.ContextLogger), so an adapter that receives
// the SDK's own logs can tell them apart and must not wait on the Shipper
// (use TryAdd) or it would wait on itself.
func IsInternal(ctx context.Context) bool {
	return ctx != nil && ctx.Value(internalKey{}) != nil
}

// Flush returns when every event added before the call is delivered,
// rejected or dropped, or when ctx ends (returning its error; the events
// stay queued). It uploads at once, without waiting for FlushInterval.
func (s *Shipper) Flush(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	w := flushWaiter{target: s.enqueued, done: make(chan struct{})}
	if s.settled >= w.target {
		s.mu.Unlock()
		return nil
	}
	s.flushes = append(s.flushes, w)
	s.mu.Unlock()
	s.signal()
	select {
	case <-w.done:
		return nil
	case <-s.stopped:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting events, delivers everything queued and stops the
// worker. When ctx ends first, Close abandons the uploads, counts what was
// not delivered as dropped and returns an *UndeliveredError saying how many;
// it returns by ctx's deadline, give or take the time for an in-flight call
// to observe the cancellation. Close is idempotent: later calls wait for the
// first to finish and return its result.
func (s *Shipper) Close(ctx context.Context) error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.space.Broadcast()
		s.mu.Unlock()
		close(s.quit)
	})
	select {
	case <-s.stopped:
	case <-ctx.Done():
		s.cancel(ctx.Err())
		<-s.stopped
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closeDone {
		s.closeDone = true
		if n := s.stats.droppedClose.Load(); n > 0 {
			s.closeErr = &UndeliveredError{Count: int(n), Err: context.Cause(s.ctx)}
		}
	}
	return s.closeErr
}

// Stats returns a snapshot of the Shipper's counters.
func (s *Shipper) Stats() Stats {
	st := s.stats.snapshot()
	s.mu.Lock()
	// Not enqueued - settled: that watermark stops at the oldest chunk
	// still uploading, while events behind it may already be evicted.
	st.Added += s.enqueued
	st.Pending = uint64(s.queue.len() + s.uploading)
	st.PendingBytes = uint64(s.bytes)
	s.mu.Unlock()
	return st
}

// signal wakes the worker without blocking.
func (s *Shipper) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
