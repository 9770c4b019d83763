package reliability

import (
	"errors"
	"math"
	"net/http"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

const (
	memLimit = 8 << 20
	// memMessage is a typical structured log line.
	memMessage = 200
)

// The bound on what the heap may hold beyond BufferLimit's count while the
// endpoint is down, from what the process holds besides the counted bytes.
// BufferLimit counts, per event, its message's bytes + 26.
const (
	// entryBytes is what the Shipper's queue holds per event besides the
	// message itself: an entry, a timestamp and a string header, in blocks
	// of 512. It is less than the 26 bytes counted, so the count covers it
	// with 2 bytes to spare; no test here takes credit for those.
	entryBytes = 8 + 16
	// sizeClass200 is the allocation a 200-byte message takes when it is
	// allocated on its own (Go's 208-byte size class), as message makes
	// them. An adapter's copy carved from a shared block (textblock) takes
	// its bytes exactly, and a 16-byte one its own size class of 16.
	sizeClass200 = 208
	// memMessageExtra is what each memMessage-byte event given to Add
	// directly holds beyond its count: 208 + 24 - (200 + 26) = 6 bytes.
	memMessageExtra = sizeClass200 + entryBytes - (memMessage + 26)
	// memRetried bounds the memory of the one batch the Shipper keeps
	// retrying beyond its events (with Concurrency 1 there is one call,
	// and so one body, at a time): the JSON body it encodes the batch
	// into, kept for the next attempt, and the SDK input's event list.
	// Unescaped, the JSON is at most 1.15 MiB: the batch's 1 MiB counted
	// plus about 15 bytes of framing per event beyond the 26 counted, for
	// at most 10,000 events. The body is allocated at 1.25 times that,
	// 1.44 MiB, and escaping (the quotes of an adapter's JSON, about 10%
	// here) fits in the quarter allowed for it. The event list is 16 bytes
	// per event, grown by append to at most twice that: 0.31 MiB. 2 MiB
	// covers both.
	memRetried = 2 << 20
	// memMisc is everything else, itemized: the queue's partial blocks at
	// either end and the emptied blocks it keeps (2 + 21 blocks of 12 KiB
	// = 0.27 MiB); through an adapter, the shared 32 KiB blocks being
	// filled and those straddling the front of the queue, one or two per
	// writer (0.25 MiB with room); the reports waiting for OnError, the
	// endpoint's record of each call (a few hundred bytes per retry), the
	// SDK client's caches filled on its first call and the buffers of one
	// HTTP connection (tens of KiB). 1 MiB is that, rounded up to leave a
	// stated margin of about 0.4 MiB.
	memMisc = 1 << 20
)

// Not in the bound, because heapGrowth keeps them out of what it measures:
//   - the race detector's shadow memory, which is not in HeapAlloc;
//   - garbage, because every sample is taken after two collections (the
//     second clears sync.Pool victims);
//   - what a retry in flight holds for its duration: the SDK's request and
//     the endpoint's decoded copy of the batch, over 1 MiB, since the
//     endpoint runs in this process. Only samples taken while no call was
//     in flight count towards what is held; the others make the peak that
//     the tests report.

// heldBound is the most the heap may grow by while a Shipper holds what st
// counts, if each event holds extra bytes beyond its count.
func heldBound(st core.Stats, extra int) int64 {
	return int64(st.PendingBytes) + int64(st.Pending)*int64(max(extra, 0)) + memRetried + memMisc
}

// checkHeld fails t if held, the heap's growth while the Shipper holds what
// st counts, is above heldBound.
func checkHeld(t *testing.T, st core.Stats, held int64, extra int) {
	t.Helper()
	if bound := heldBound(st, extra); held > bound {
		t.Errorf("heap grew by %.2f MiB holding %d events, %.2f MiB counted; the bound is %.2f MiB: the count, %d bytes per event, %.0f MiB for the batch being retried and %.0f MiB for the rest",
			mib(held), st.Pending, mib(int64(st.PendingBytes)), mib(bound), max(extra, 0), mib(memRetried), mib(memMisc))
	}
}

// memBase is what the heap's growth is measured from: its size before the
// Shipper existed, and the calls of the Shipper's client.
type memBase struct {
	heap  uint64
	calls *callWatch
}

// callWatch is an HTTP transport that counts the calls it has started and
// finished, so that a heap sample can tell whether a call was in flight
// while it was taken. A call is over, on both sides, when RoundTrip
// returns: the endpoint answers when its handler returns.
type callWatch struct {
	next              http.RoundTripper
	started, finished atomic.Int64
}

func (w *callWatch) RoundTrip(r *http.Request) (*http.Response, error) {
	w.started.Add(1)
	defer w.finished.Add(1)
	return w.next.RoundTrip(r)
}

// heapGrowth samples the heap above base while the Shipper waits to retry,
// at least six times and until three samples were taken with no call in
// flight (the retries are 100 to 200 ms apart). It returns the least of
// those (what the Shipper holds) and the most of all (with a retry in
// flight: the SDK's request and, because the endpoint runs in this process,
// its decoded copy).
func heapGrowth(t *testing.T, base *memBase) (held, peak int64) {
	t.Helper()
	held, peak = math.MaxInt64, math.MinInt64
	clean, samples := 0, 0
	for deadline := time.Now().Add(20 * time.Second); samples < 6 || clean < 3; samples++ {
		if time.Now().After(deadline) {
			break
		}
		s0, f0 := base.calls.started.Load(), base.calls.finished.Load()
		g := int64(shiptest.HeapAfterGC() - base.heap)
		f1, s1 := base.calls.finished.Load(), base.calls.started.Load()
		peak = max(peak, g)
		if s0 == f0 && s1 == s0 && f1 == f0 {
			held = min(held, g)
			clean++
		}
		time.Sleep(37 * time.Millisecond)
	}
	if clean == 0 {
		t.Fatalf("none of %d heap samples fell between two retries", samples)
	}
	return held, peak
}

// message returns a fresh, unique message of size bytes, allocated on its
// own as an adapter's encoding would be.
func message(i, size int) string {
	b := make([]byte, 0, size)
	b = appendID(append(b, "event "...), i)
	b = append(b, ' ')
	for len(b) < size {
		b = append(b, 'x')
	}
	return string(b)
}

// memRun is what one FullPolicy run measured.
type memRun struct {
	held, pendingBytes uint64
	growth             uint64
	maxAdd             time.Duration
}

// downEndpoint starts an endpoint that answers every PutLogEvents with
// 503, and a Shipper with an 8 MiB buffer on it. The heap baseline is
// taken before the Shipper exists, with the endpoint's body buffers warm.
func downEndpoint(t *testing.T, policy core.FullPolicy) (*cwlogtest.Server, *core.Shipper, *memBase) {
	srv := cwlogtest.Start(t, nil)
	srv.CreateStream(group, stream)
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	hc := srv.HTTPClient() // Close shuts its idle connections
	watch := &callWatch{next: hc.Transport}
	client := srv.Client(func(o *cloudwatchlogs.Options) { o.HTTPClient = &http.Client{Transport: watch} })
	errs := &errorLog{}
	cfg := config(client, errs)
	cfg.BufferLimit = memLimit
	cfg.FullPolicy = policy
	// Retries well apart, so that most heap samples fall between them.
	cfg.MinBackoff, cfg.MaxBackoff = 100*time.Millisecond, 200*time.Millisecond
	base := &memBase{heap: shiptest.HeapAfterGC(), calls: watch}
	return srv, shiptest.New(t, cfg), base
}

func TestMemoryBoundedWhenDroppingAndAddNeverWaits(t *testing.T) {
	for _, policy := range []core.FullPolicy{core.DropNewest, core.DropOldest} {
		t.Run(policy.String(), func(t *testing.T) {
			srv, s, base := downEndpoint(t, policy)
			// Three buffers' worth: the buffer fills within the first.
			n := 3 * memLimit / (memMessage + 26)
			lat := make([]time.Duration, 0, n)
			refused := 0
			// The collector's assists would charge this goroutine for the
			// garbage the loop itself makes; the bound is on the Shipper.
			gc := debug.SetGCPercent(-1)
			for i := range n {
				m := message(i, memMessage)
				start := time.Now()
				err := s.Add(core.Event{Message: m})
				lat = append(lat, time.Since(start))

				switch {
				case err == nil:
				case policy == core.DropNewest && errors.Is(err, core.ErrBufferFull):
					refused++
				default:
					t.Fatalf("Add %d: %v", i, err)
				}
			}
			debug.SetGCPercent(gc)
			st := s.Stats()
			held := st.Added - st.DroppedFull
			// Waiting on the endpoint, which stays down, would take
			// forever; what remains is scheduling on a shared machine,
			// which the 99.9th percentile leaves out.
			slices.Sort(lat)
			p999, maxAdd := lat[len(lat)*999/1000], lat[len(lat)-1]
			// The latencies take 8 bytes an event added, 0.85 MiB, which
			// the heap's growth must not count as the Shipper's.
			lat = nil
			growth, peak := heapGrowth(t, base)
			if p999 > 50*time.Millisecond || maxAdd > 2*time.Second {
				t.Errorf("Add took up to %v (99.9%% within %v) with the buffer full; it must not wait", maxAdd, p999)
			}
			if st.PendingBytes > memLimit {
				t.Errorf("%d bytes pending, above BufferLimit %d", st.PendingBytes, memLimit)
			}
			if st.DroppedFull == 0 || (policy == core.DropNewest && int(st.DroppedFull) != refused) {
				t.Errorf("DroppedFull %d, Add refused %d", st.DroppedFull, refused)
			}
			checkHeld(t, st, growth, memMessageExtra)
			t.Logf("%v: %d events held (%.2f MiB counted), heap +%.2f MiB (%.2fx counted, bound %.2f MiB), +%.2f MiB with a retry in flight; Add 99.9%% within %v, longest %v; %d dropped",
				policy, held, mib(int64(st.PendingBytes)), mib(growth), float64(growth)/float64(st.PendingBytes), mib(heldBound(st, memMessageExtra)), mib(peak), p999, maxAdd, st.DroppedFull)

			// The endpoint recovers: what was held is delivered, the rest
			// was counted as dropped.
			srv.ClearFaults()
			shiptest.Close(t, s)
			st = s.Stats()
			checkBalanced(t, st)
			if got := srv.EventCount(group, stream); uint64(got) != st.Delivered || st.Added != uint64(n) {
				t.Errorf("stored %d, Delivered %d, Added %d of %d", got, st.Delivered, st.Added, n)
			}
			if policy == core.DropOldest {
				// The newest event always survives dropping the oldest.
				if !slices.Contains(srv.Messages(group, stream), message(n-1, memMessage)) {
					t.Errorf("the newest event was not delivered")
				}
			}
		})
	}
}

func TestMemoryBoundedWhenBlockingAndAddResumes(t *testing.T) {
	srv, s, base := downEndpoint(t, core.Block)
	n := 2 * memLimit / (memMessage + 26)
	var added atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range n {
			if err := s.Add(core.Event{Message: message(i, memMessage)}); err != nil {
				t.Errorf("Add %d: %v", i, err)
				return
			}
			added.Add(1)
		}
	}()
	// Wait for the buffer to fill, then make sure the producer stays
	// stalled. Every event costs memMessage + 26 bytes, and with the
	// endpoint down nothing frees any, so once the buffer has no room for
	// one more, and the producer has counted every Add that returned, its
	// next Add must wait. (Watching the producer's count for a pause took
	// a producer descheduled for 50 ms on a loaded machine for a stalled
	// one.)
	if !waitFor(30*time.Second, func() bool {
		st := s.Stats()
		return st.PendingBytes+memMessage+26 > memLimit && added.Load() == int64(st.Added)
	}) {
		t.Fatalf("the buffer never filled with the endpoint down: %d of %d added, stats %+v", added.Load(), n, s.Stats())
	}
	stalledAt := added.Load()
	time.Sleep(300 * time.Millisecond)
	if now := added.Load(); now != stalledAt || now >= int64(n) {
		t.Fatalf("Add went on while full: %d, then %d of %d", stalledAt, now, n)
	}
	st := s.Stats()
	growth, peak := heapGrowth(t, base)
	if st.PendingBytes > memLimit {
		t.Errorf("%d bytes pending, above BufferLimit %d", st.PendingBytes, memLimit)
	}
	checkHeld(t, st, growth, memMessageExtra)

	recovered := time.Now()
	srv.ClearFaults()
	var resumed time.Duration
	if !waitFor(30*time.Second, func() bool { return added.Load() > stalledAt }) {
		t.Fatal("Add did not resume after the endpoint recovered")
	}
	resumed = time.Since(recovered)
	wg.Wait()
	shiptest.Close(t, s)
	st2 := s.Stats()
	checkBalanced(t, st2)
	checkCalls(t, srv)
	if st2.Dropped != 0 || st2.Delivered != uint64(n) || srv.EventCount(group, stream) != n {
		t.Fatalf("stats %+v, stored %d: want all %d delivered, nothing dropped", st2, srv.EventCount(group, stream), n)
	}
	// Parallel uploads store batches in any order: each event once.
	msgs := srv.Messages(group, stream)
	slices.Sort(msgs)
	for i, m := range msgs {
		if m != message(i, memMessage) {
			t.Fatalf("event %d stored as %.20q", i, m)
		}
	}
	t.Logf("Block: %d events held (%.2f MiB counted), heap +%.2f MiB (%.2fx counted, bound %.2f MiB), +%.2f MiB with a retry in flight; Add resumed %v after the endpoint recovered",
		st.Pending, mib(int64(st.PendingBytes)), mib(growth), float64(growth)/float64(st.PendingBytes), mib(heldBound(st, memMessageExtra)), mib(peak), resumed)
	if resumed > time.Second {
		t.Errorf("Add resumed only %v after the endpoint recovered", resumed)
	}
}

// TestMemoryPerEventForTinyMessages measures how far the heap exceeds
// BufferLimit's count when messages are tiny, where the fixed cost of an
// event weighs most: 16 bytes of message take the 16-byte size class, and
// with the 24 of the queue's entry hold 40 bytes of the 42 counted. The
// bound is the others' (heldBound) with nothing added per event, so that
// it fails if an event came to cost its count and a few bytes more.
func TestMemoryPerEventForTinyMessages(t *testing.T) {
	srv, s, base := downEndpoint(t, core.DropNewest)
	for i := 0; ; i++ {
		if errors.Is(s.Add(core.Event{Message: message(i, 16)}), core.ErrBufferFull) {
			break
		}
	}
	st := s.Stats()
	growth, peak := heapGrowth(t, base)
	ratio := float64(growth) / float64(st.PendingBytes)
	t.Logf("16-byte messages: %d events held (%.2f MiB counted), heap +%.2f MiB (%.2fx counted, %.0f bytes per event, bound %.2f MiB), +%.2f MiB with a retry in flight",
		st.Pending, mib(int64(st.PendingBytes)), mib(growth), ratio, float64(growth)/float64(st.Pending), mib(heldBound(st, 0)), mib(peak))
	checkHeld(t, st, growth, 0)
	srv.ClearFaults()
	shiptest.Close(t, s)
	checkBalanced(t, s.Stats())
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// TestPendingExcludesEvictedEvents checks Stats while the endpoint is
// down under DropOldest: an evicted event is counted in DroppedFull, so it
// is settled and must no longer be Pending.
func TestPendingExcludesEvictedEvents(t *testing.T) {
	srv, s, _ := downEndpoint(t, core.DropOldest)
	n := 3 * memLimit / (memMessage + 26)
	for i := range n {
		if err := s.Add(core.Event{Message: message(i, memMessage)}); err != nil {
			t.Fatal(err)
		}
	}
	st := s.Stats()
	if st.Pending+st.Delivered+st.Rejected+st.Dropped != st.Added {
		t.Errorf("Added %d, but Pending %d + Delivered %d + Rejected %d + Dropped %d = %d",
			st.Added, st.Pending, st.Delivered, st.Rejected, st.Dropped, st.Pending+st.Delivered+st.Rejected+st.Dropped)
	}
	srv.ClearFaults()
	shiptest.Close(t, s)
	checkBalanced(t, s.Stats())
}
