package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cwlog/cwlog/core"
)

// Config is one measurement.
type Config struct {
	Buffer   int             // BufferLimit
	MsgSize  int             // bytes per message
	Policy   core.FullPolicy // FullPolicy
	Writers  int             // goroutines calling Add in a loop
	Rate     float64         // messages a second, all writers together; 0: no limit
	Garbage  float64         // bytes a second the rest of the application allocates and drops
	InProc   bool            // the endpoint runs in this process, not a child
	Outage   Outage
	Timeout  time.Duration // CallTimeout; 0 for the Shipper's default
	Full     time.Duration // how long to go on logging once the buffer is full
	Cycles   int           // and at least this many collections meanwhile, up to 4 × Full
	HeapProf string        // where to write a heap profile at the end of the full phase
}

// The phases of a run, for the peaks.
const (
	phaseFill  = iota // from the Shipper's creation until the buffer is full
	phaseFull         // logging on, the buffer full, the endpoint still failing
	phaseDrain        // the endpoint recovered, logging stopped, until Close returns
	phases
)

// Result is what one measurement found. Sizes are in bytes.
type Result struct {
	Buffer   int
	MsgSize  int
	Policy   string
	Writers  int
	Rate     float64
	Garbage  float64
	Endpoint string // "child" or "in-process"
	Outage   string
	MemLimit int64 // the runtime's memory limit (GOMEMLIMIT); 0 when none is set
	GOGC     int64

	Baseline uint64 // RSS before the Shipper was created, after a collection
	PeakRSS  uint64 // the most the process ever held resident: VmHWM at the end
	Fill     Peak
	Full     Peak
	Drain    Peak

	FillTime, FullTime, DrainTime time.Duration
	FullCPU                       CPU        // the runtime's CPU while the buffer was full
	Held                          core.Stats // at the end of the full phase
	Final                         core.Stats // after Close
	Errors                        int64      // reports to OnError
}

// PeakHeap is the most heap seen in any phase.
func (r *Result) PeakHeap() uint64 { return max(r.Fill.Heap, r.Full.Heap, r.Drain.Heap) }

// PeakLive is the most live heap seen in any phase.
func (r *Result) PeakLive() uint64 { return max(r.Fill.Live, r.Full.Live, r.Drain.Live) }

// Ratio is the peak RSS over BufferLimit.
func (r *Result) Ratio() float64 { return float64(r.PeakRSS) / float64(r.Buffer) }

// Growth is what the process grew by from before the Shipper existed to
// its peak, over BufferLimit.
func (r *Result) Growth() float64 {
	return float64(r.PeakRSS-min(r.Baseline, r.PeakRSS)) / float64(r.Buffer)
}

// run measures cfg in this process.
func run(cfg Config) (*Result, error) {
	if cfg.MsgSize < 32 || cfg.MsgSize > 1_048_550 {
		return nil, fmt.Errorf("message size %d is outside 32..1048550", cfg.MsgSize)
	}
	if cfg.Writers < 1 {
		return nil, fmt.Errorf("%d writers: at least one is needed", cfg.Writers)
	}
	if cfg.HeapProf != "" {
		// Sample finely enough to attribute small messages too.
		runtime.MemProfileRate = 64 << 10
	}
	var ep endpoint
	var err error
	if cfg.InProc {
		ep, err = startInProcess()
	} else {
		ep, err = startChild()
	}
	if err != nil {
		return nil, fmt.Errorf("start the endpoint: %w", err)
	}
	defer ep.Close()
	if err := ep.Fail(cfg.Outage); err != nil {
		return nil, err
	}
	r := &Result{
		Buffer: cfg.Buffer, MsgSize: cfg.MsgSize, Policy: cfg.Policy.String(), Writers: cfg.Writers,
		Rate: cfg.Rate, Garbage: cfg.Garbage, Endpoint: "child", Outage: cfg.Outage.String(), GOGC: gogc(),
	}
	if cfg.InProc {
		r.Endpoint = "in-process"
	}
	if lim := debug.SetMemoryLimit(-1); lim != math.MaxInt64 {
		r.MemLimit = lim
	}

	client := newClient(ep.URL())
	runtime.GC()
	r.Baseline = rss()
	sm := startSampler(phases, 10*time.Millisecond)
	var errs atomic.Int64
	s, err := core.New(core.Config{
		Client:      client,
		LogGroup:    "rss",
		LogStream:   "rss",
		BufferLimit: cfg.Buffer,
		FullPolicy:  cfg.Policy,
		CallTimeout: cfg.Timeout,
		OnError:     func(error) { errs.Add(1) },
	})
	if err != nil {
		sm.finish()
		return nil, err
	}
	start := time.Now()
	var stop atomic.Bool
	var wg sync.WaitGroup
	werrs := make(chan error, cfg.Writers)
	for w := range cfg.Writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := write(s, w, cfg.MsgSize, cfg.Rate/float64(cfg.Writers), &stop); err != nil {
				werrs <- err
			}
		}()
	}
	var stopGarbage atomic.Bool
	var gwg sync.WaitGroup
	if cfg.Garbage > 0 {
		gwg.Add(1)
		go func() {
			defer gwg.Done()
			allocate(cfg.Garbage, &stopGarbage)
		}()
	}
	finish := func() {
		stop.Store(true)
		ep.Recover()
		wg.Wait()
		stopGarbage.Store(true)
		gwg.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		s.Close(ctx)
	}

	// The buffer is full once one more message would not fit.
	event := uint64(cfg.MsgSize + 26)
	for s.Stats().PendingBytes+event <= uint64(cfg.Buffer) {
		if time.Since(start) > 5*time.Minute {
			finish()
			sm.finish()
			return nil, errors.New("the buffer did not fill within 5 minutes")
		}
		time.Sleep(2 * time.Millisecond)
	}
	sm.enter(phaseFull)
	full := time.Now()
	r.FillTime = full.Sub(start)
	cpu0 := readCPU()
	for {
		time.Sleep(20 * time.Millisecond)
		d := time.Since(full)
		if d >= cfg.Full && (readCPU().Cycles-cpu0.Cycles >= uint64(cfg.Cycles) || d >= 4*cfg.Full) {
			break
		}
	}
	r.FullCPU = readCPU().Sub(cpu0)
	r.Held = s.Stats()
	r.FullTime = time.Since(full)
	if cfg.HeapProf != "" {
		if err := writeHeapProfile(cfg.HeapProf); err != nil {
			fmt.Fprintln(os.Stderr, "rss:", err)
		}
	}

	sm.enter(phaseDrain)
	drain := time.Now()
	finish()
	r.DrainTime = time.Since(drain)
	peaks := sm.finish()
	r.Fill, r.Full, r.Drain = peaks[phaseFill], peaks[phaseFull], peaks[phaseDrain]
	r.Final = s.Stats()
	r.Errors = errs.Load()
	hwm, err := peakRSS()
	if err != nil {
		return nil, err
	}
	// The kernel's high-water mark can trail a reading of the current RSS
	// by the pages it has not yet summed up.
	r.PeakRSS = max(hwm, r.Fill.AtRSS.RSS, r.Full.AtRSS.RSS, r.Drain.AtRSS.RSS)
	close(werrs)
	if err := <-werrs; err != nil {
		return nil, err
	}
	if f := r.Final; f.Added != f.Delivered+f.Rejected+f.Dropped || f.DroppedClose != 0 {
		return nil, fmt.Errorf("not all delivered: %+v", f)
	}
	return r, nil
}

// write adds size-byte messages, each allocated anew as an encoder's
// output is, rate a second (0: as fast as it can), until stop; only
// ErrBufferFull is expected.
func write(s *core.Shipper, w, size int, rate float64, stop *atomic.Bool) error {
	buf := make([]byte, size)
	for i := range buf {
		buf[i] = 'x'
	}
	prefix := []byte("writer " + strconv.Itoa(w) + " event ")
	start := time.Now()
	for n := 0; !stop.Load(); n++ {
		if rate > 0 {
			due := time.Duration(float64(n) / rate * float64(time.Second))
			if ahead := due - time.Since(start); ahead > time.Millisecond {
				time.Sleep(ahead)
			}
		}
		// The counter only grows longer, so it always overwrites the last.
		strconv.AppendInt(append(buf[:0], prefix...), int64(n), 10)
		err := s.Add(core.Event{Message: string(buf)})
		if err != nil && !errors.Is(err, core.ErrBufferFull) && !errors.Is(err, core.ErrClosed) {
			return err
		}
	}
	return nil
}

// sink keeps allocate's memory from being optimised away.
var sink []byte

// allocate stands for the rest of an application: it allocates rate bytes
// a second, in 16 KiB pieces each dropped at once, until stop.
func allocate(rate float64, stop *atomic.Bool) {
	const piece = 16 << 10
	start := time.Now()
	for n := 0; !stop.Load(); n++ {
		sink = make([]byte, piece)
		due := time.Duration(float64(n*piece) / rate * float64(time.Second))
		if ahead := due - time.Since(start); ahead > time.Millisecond {
			time.Sleep(ahead)
		}
	}
	sink = nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	// The profile shows the heap as of the last collection: take one, so
	// that it is what is live now.
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// gogc returns the collector's GOGC percentage (-1: off).
func gogc() int64 {
	s := newSamples([]string{"/gc/gogc:percent"})
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	v := s[0].Value.Uint64()
	if v > math.MaxInt64 {
		return -1
	}
	return int64(v)
}
