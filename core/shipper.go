package core

import (
	"context"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Shipper uploads events to one CloudWatch Logs stream. Its methods are
// safe for concurrent use; many loggers, of any adapter, may share one.
type Shipper struct {
	cfg    Config
	stats  counters
	start  time.Time // the monotonic origin of clock
	rep    reporter
	stderr *stderrReporter // the default OnError, if OnError is nil
	health healthState

	mu          sync.Mutex
	lim         limits        // lowered when the endpoint refuses large bodies
	queue       fifo          // accepted, not yet taken by the worker, arrival order
	queued      int           // bytes in queue
	bytes       int           // bytes in queue and being uploaded
	enqueued    uint64        // entries ever put in queue
	dequeued    uint64        // entries ever taken from queue, to upload or evicted
	settled     uint64        // dequeued as of the end of the last upload
	inflight    []uint64      // start of each chunk being uploaded
	uploading   int           // entries in those chunks
	blocked     []*blockedAdd // Adds waiting for room (Block), in arrival order
	pressure    bool          // an Add found no room since the last take
	contended   bool          // Adds waited for room since the last upload ended
	spareChunks [][]entry     // entry slices of uploaded chunks, for reuse
	flushes     []*flushWaiter
	closed      bool

	closeOnce sync.Once
	closeDone chan struct{} // closed when the first Close has its result
	closeErr  error

	wake     chan struct{}   // capacity 1: the queue changed in a way the worker must see
	quit     chan struct{}   // closed by Close: drain and stop
	stopped  chan struct{}   // closed when the worker has returned
	ctx      context.Context // the worker's; cancelled when Close gives up
	cancel   context.CancelCauseFunc
	chained  atomic.Bool // calls chain sequence tokens, one at a time
	tokenMu  sync.Mutex
	token    *string        // next sequence token, when chained
	conc     *limiter       // bounds parallel uploads; nil for Concurrency 1
	splits   [][2]uint64    // sequence ranges of split messages queued; s.mu
	sendBufs chan *sendBuf  // kept between sends
	uploads  sync.WaitGroup // uploads running on their own goroutines
	sdkLog   atomic.Pointer[sdkLog]
}

type flushWaiter struct {
	target uint64 // settled must reach it
	done   chan struct{}
}

// New validates cfg, giving a *ConfigError for each bad field (joined),
// and starts the Shipper's worker and the goroutine that calls OnError.
// Close must be called to deliver what is buffered and stop both.
func New(cfg Config) (*Shipper, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := &Shipper{
		cfg:   cfg,
		start: time.Now(),
		lim: limits{
			bytes:  cfg.MaxBatchBytes,
			events: cfg.MaxBatchEvents,
			span:   maxSpanMillis,
		},
		wake:        make(chan struct{}, 1),
		sendBufs:    make(chan *sendBuf, min(max(cfg.Concurrency, cfg.MaxConcurrency), maxKeptSendBufs)),
		spareChunks: make([][]entry, 0, min(max(cfg.Concurrency, cfg.MaxConcurrency), maxKeptSendBufs)),
		quit:        make(chan struct{}),
		stopped:     make(chan struct{}),
		closeDone:   make(chan struct{}),
	}
	s.queue.clock = s.clock
	s.health.Since = s.start
	s.rep = reporter{onError: cfg.OnError, policy: cfg.FullPolicy, stats: &s.stats,
		wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	if s.rep.onError == nil {
		s.stderr = &stderrReporter{w: os.Stderr, interval: time.Second, now: time.Now}
		s.rep.onError = s.stderr.report
	}
	if cfg.Concurrency == 1 {
		s.chained.Store(true)
	} else {
		s.conc = newLimiter(cfg.Concurrency, cfg.MaxConcurrency)
	}
	s.ctx, s.cancel = context.WithCancelCause(context.WithValue(context.Background(), internalKey{}, true))
	go s.rep.run()
	go s.run()
	return s, nil
}

func (s *Shipper) clock() int64 { return int64(time.Since(s.start)) }

// internalKey marks the contexts of a Shipper's own API calls.
type internalKey struct{}

// IsInternal reports whether ctx derives from the context a Shipper passes
// to its own API calls. The SDK hands that context to its logger, so an
// adapter receiving the SDK's logs can tell them apart; it must use TryAdd
// for them, or an upload could wait on itself.
func IsInternal(ctx context.Context) bool {
	return ctx != nil && ctx.Value(internalKey{}) != nil
}

// Flush uploads at once, without waiting for FlushInterval, and returns
// when every event added before the call is delivered, rejected or
// dropped, or when ctx ends (returning its error; the events stay queued).
func (s *Shipper) Flush(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	w := &flushWaiter{target: s.enqueued, done: make(chan struct{})}
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
		s.mu.Lock()
		s.flushes = slices.DeleteFunc(s.flushes, func(x *flushWaiter) bool { return x == w })
		s.mu.Unlock()
		return ctx.Err()
	}
}

// Close stops accepting events, delivers everything queued, stops the
// worker and waits for the last reports to reach OnError. When ctx ends
// first, it abandons the uploads, counts what was not delivered as dropped
// and returns an *UndeliveredError. Close is idempotent: a later call
// returns the first's result, or its own ctx's error if that ends first.
func (s *Shipper) Close(ctx context.Context) error {
	first := false
	s.closeOnce.Do(func() {
		first = true
		s.mu.Lock()
		s.closed = true
		s.refuseBlocked()
		s.mu.Unlock()
		close(s.quit)
	})
	if !first {
		select {
		case <-s.closeDone:
			return s.closeErr
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	select {
	case <-s.stopped:
	case <-ctx.Done():
		s.cancel(ctx.Err())
		<-s.stopped
	}
	s.rep.stop(ctx)
	if n := s.stats.droppedClose.Load(); n > 0 {
		s.closeErr = &UndeliveredError{Count: int(n), Err: context.Cause(s.ctx)}
	}
	if s.stderr != nil {
		s.stderr.closed(s.Stats())
	}
	close(s.closeDone)
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

func (s *Shipper) signal() { notify(s.wake) }

// notify wakes c's reader without blocking.
func notify(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
