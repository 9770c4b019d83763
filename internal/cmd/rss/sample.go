package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Memory is one reading of what the process holds, in bytes.
type Memory struct {
	RSS uint64 // resident set size (VmRSS)
	// Heap is the heap's objects: what the last collection found live,
	// plus what was allocated since, live or not.
	Heap uint64
	Live uint64 // marked live by the last collection
	Goal uint64 // the heap size at which the next collection ends
	// Free is heap memory no object uses that the runtime has not yet
	// given back to the operating system: resident, but not Heap.
	Free uint64
	// Unused is heap memory in spans that hold objects but no object
	// uses: the ends of spans and slots freed since the last sweep.
	Unused uint64
	// Runtime is the rest the runtime holds from the operating system:
	// goroutine stacks, the collector's metadata, profiling buckets and
	// the runtime's own structures.
	Runtime uint64
	// Mapped is what the runtime holds and has not released: Heap + Free
	// + Unused + Runtime. What RSS holds beyond it is the binary and C
	// memory, less what of Mapped is not resident.
	Mapped uint64
}

// memoryMetrics are the runtime/metrics a Memory is read from, in order.
var memoryMetrics = [...]string{
	"/memory/classes/heap/objects:bytes",
	"/gc/heap/live:bytes",
	"/gc/heap/goal:bytes",
	"/memory/classes/heap/free:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/unused:bytes",
}

// cpuMetrics are the runtime's estimates of where CPU time went, and the
// collections finished.
var cpuMetrics = [...]string{
	"/cpu/classes/gc/total:cpu-seconds",
	"/cpu/classes/total:cpu-seconds",
	"/cpu/classes/idle:cpu-seconds",
	"/gc/cycles/total:gc-cycles",
}

// readMemory reads the runtime's view of memory into m; s is scratch.
func readMemory(s []metrics.Sample) Memory {
	metrics.Read(s)
	v := func(i int) uint64 { return s[i].Value.Uint64() }
	m := Memory{Heap: v(0), Live: v(1), Goal: v(2), Free: v(3), Unused: v(6)}
	released, total := v(4), v(5)
	m.Mapped = total - released
	m.Runtime = m.Mapped - m.Heap - m.Free - m.Unused
	return m
}

func newSamples(names []string) []metrics.Sample {
	s := make([]metrics.Sample, len(names))
	for i, name := range names {
		s[i].Name = name
	}
	return s
}

// CPU is what the process has spent since it started.
type CPU struct {
	// GC is the collector's CPU time, in seconds: the runtime's estimate,
	// which counts its dedicated workers' wall time, and so runs high
	// when other processes take the cores.
	GC      float64
	Busy    float64 // the runtime's estimate of all CPU time used by Go code and itself
	Process float64 // CPU time the kernel charged the process, in seconds
	Cycles  uint64  // collections finished
}

// readCPU returns the runtime's CPU accounting so far.
func readCPU() CPU {
	s := newSamples(cpuMetrics[:])
	metrics.Read(s)
	return CPU{
		GC:      s[0].Value.Float64(),
		Busy:    s[1].Value.Float64() - s[2].Value.Float64(),
		Process: processCPU(),
		Cycles:  s[3].Value.Uint64(),
	}
}

// Sub returns what was spent between b and c.
func (c CPU) Sub(b CPU) CPU {
	return CPU{GC: c.GC - b.GC, Busy: c.Busy - b.Busy, Process: c.Process - b.Process, Cycles: c.Cycles - b.Cycles}
}

// GCFraction is the share of the CPU used that the collector took.
func (c CPU) GCFraction() float64 {
	if c.Busy <= 0 {
		return 0
	}
	return c.GC / c.Busy
}

// Peak is the most memory seen in one phase of a run.
type Peak struct {
	// AtRSS is the reading that had the highest RSS.
	AtRSS Memory
	// Heap, Live and Goal are the highest of each, from any reading.
	Heap, Live, Goal uint64
}

func (p *Peak) add(m Memory) {
	if m.RSS > p.AtRSS.RSS {
		p.AtRSS = m
	}
	p.Heap = max(p.Heap, m.Heap)
	p.Live = max(p.Live, m.Live)
	p.Goal = max(p.Goal, m.Goal)
}

// sampler reads the process's memory every interval into the peak of the
// current phase, until stopped.
type sampler struct {
	phase atomic.Int32
	mu    sync.Mutex
	peaks []Peak
	stop  chan struct{}
	done  chan struct{}
}

func startSampler(phases int, interval time.Duration) *sampler {
	sm := &sampler{peaks: make([]Peak, phases), stop: make(chan struct{}), done: make(chan struct{})}
	go sm.run(interval)
	return sm
}

func (sm *sampler) run(interval time.Duration) {
	defer close(sm.done)
	s := newSamples(memoryMetrics[:])
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		sm.sample(s)
		select {
		case <-sm.stop:
			sm.sample(s)
			return
		case <-t.C:
		}
	}
}

func (sm *sampler) sample(s []metrics.Sample) {
	m := readMemory(s)
	m.RSS = rss()
	sm.mu.Lock()
	sm.peaks[sm.phase.Load()].add(m)
	sm.mu.Unlock()
}

// enter starts phase p, after one reading taken for the one before.
func (sm *sampler) enter(p int) {
	sm.sample(newSamples(memoryMetrics[:]))
	sm.phase.Store(int32(p))
}

// finish stops the sampler and returns the peak of each phase.
func (sm *sampler) finish() []Peak {
	close(sm.stop)
	<-sm.done
	sm.mu.Lock()
	defer sm.mu.Unlock()
	return sm.peaks
}

var pageSize = uint64(os.Getpagesize())

// rss returns the process's resident set size, or 0 where /proc has none.
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(string(f[1]), 10, 64)
	return pages * pageSize
}

// peakRSS returns the most the process has held resident since it started
// (VmHWM), which no sampling can miss.
func peakRSS() (uint64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			var kb uint64
			if _, err := fmt.Sscan(string(rest), &kb); err != nil {
				return 0, fmt.Errorf("VmHWM: %w", err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}
