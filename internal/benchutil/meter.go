package benchutil

import (
	"context"
	"testing"
	"time"
)

// closeTimeout bounds the delivery of the backlog after the timed loop.
const closeTimeout = 5 * time.Minute

// Meter measures one benchmark run: the timed loop, and for a Shipper what
// delivering its backlog cost afterwards. A Meter is used by one
// benchmark function, from its own goroutine.
type Meter struct {
	s           *Shipper
	cpu         time.Duration
	endpointCPU time.Duration
	received    int64   // events s's endpoint had received at Start
	gc, assist  float64 // gcCPU at Start
}

// Start turns on allocation reporting, resets the timer and notes the CPU
// time used so far by this process and by s's endpoint process, if any,
// and the events the endpoint has received. Call it right before the timed
// loop; s is nil for a baseline without a Shipper.
func Start(b *testing.B, s *Shipper) *Meter {
	m := &Meter{s: s}
	if s != nil {
		m.received, m.endpointCPU = s.received()
	}
	b.ReportAllocs()
	b.ResetTimer()
	m.cpu = processCPU()
	m.gc, m.assist = gcCPU()
	return m
}

// Loop runs logOne b.N times: from b's goroutine, or spread over
// GOMAXPROCS goroutines with b.RunParallel when parallel is true.
// logOne must then be safe for concurrent use.
func Loop(b *testing.B, parallel bool, logOne func()) {
	if !parallel {
		for range b.N {
			logOne()
		}
		return
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			logOne()
		}
	})
}

// Finish stops the timer, so that ns/op is the timed loop alone: the hot
// path with uploads running behind it. Without a Shipper it reports only
// cpu-ns/op, this process's CPU time per op, and gc-cpu-ns/op and
// gc-assist-ns/op, the runtime's estimates of how much of that its
// collector used, in all and in assists (see gcCPU).
//
// With a Shipper on EndpointStalled, Finish gives up its backlog and
// reports the CPU figures only. With any other, Finish closes it, delivering
// the backlog, and fails b unless every one of b.N events was delivered,
// and received by the endpoint once: none dropped, none rejected, no error
// reported to OnError. It reports:
//   - e2e-ns/op: the timed loop plus the time Close took, per op;
//   - cpu-ns/op: this process's CPU time from Start to the end of Close,
//     per op, in all goroutines, whether or not a core was idle to run
//     them, and gc-cpu-ns/op and gc-assist-ns/op over the same span;
//   - endpoint-cpu-ns/op: the same for the endpoint, when it runs in a
//     child process;
//   - delivered-in-loop-%: the share of events delivered before the timed
//     loop ended.
func (m *Meter) Finish(b *testing.B) {
	b.Helper()
	b.StopTimer()
	loop := b.Elapsed()
	n := float64(b.N)
	s := m.s
	if s == nil {
		m.reportCPU(b)
		return
	}
	if s.stalled {
		// Nothing was meant to be delivered: give the backlog up.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		s.Close(ctx)
		cancel()
		m.reportCPU(b)
		return
	}
	inLoop := s.Stats().Delivered
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	err := s.Close(ctx)
	closing := time.Since(start)
	m.reportCPU(b)
	received, cpu := s.received()
	if cpu != 0 && m.endpointCPU != 0 {
		b.ReportMetric(float64(cpu-m.endpointCPU)/n, "endpoint-cpu-ns/op")
	}
	if err != nil {
		b.Fatalf("Close: %v", err)
	}
	st := s.Stats()
	if st.Delivered != uint64(b.N) || st.Dropped != 0 || st.Rejected != 0 || s.errs.Load() != 0 {
		b.Fatalf("not every event delivered: %d logged, stats %+v, %d async errors", b.N, st, s.errs.Load())
	}
	if received -= m.received; received != int64(b.N) {
		b.Fatalf("the endpoint received %d events, %d delivered", received, b.N)
	}
	b.ReportMetric(float64(loop+closing)/n, "e2e-ns/op")
	b.ReportMetric(100*float64(inLoop)/n, "delivered-in-loop-%")
}

func (m *Meter) reportCPU(b *testing.B) {
	n := float64(b.N)
	if m.cpu != 0 {
		b.ReportMetric(float64(processCPU()-m.cpu)/n, "cpu-ns/op")
	}
	if gc, assist := gcCPU(); gc != 0 {
		b.ReportMetric((gc-m.gc)/n, "gc-cpu-ns/op")
		b.ReportMetric((assist-m.assist)/n, "gc-assist-ns/op")
	}
}
