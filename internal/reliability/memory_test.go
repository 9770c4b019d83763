package reliability

import (
	"errors"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
)

const (
	memLimit = 8 << 20
	// memSlack is what the process may hold beyond BufferLimit while the
	// endpoint is down. BufferLimit counts message bytes + 26 per event;
	// the heap also holds, per event, a 24-byte queue entry (up to twice
	// that while the queue's backing array grows) and the rounding of each
	// message to its allocation size class: for 200-byte messages that is
	// at most 56 bytes against the 26 counted, about 1.1 MiB at 8 MiB.
	// Besides, the batch being retried exists a second time as the SDK's
	// request (a JSON body of up to 1 MiB plus the input's 16 bytes per
	// event), and the endpoint, which runs in this process, decodes that
	// request again: up to about 2.5 MiB. 4 MiB covers both with room.
	memSlack = 4 << 20
	// memMessage is a typical structured log line.
	memMessage = 200
)

// heapInUse returns the live heap after collecting garbage twice, so that
// sync.Pool victims are gone too.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// heapGrowth samples the heap above base a few times while the Shipper
// waits to retry, returning the least (what the Shipper holds) and the
// most (with a retry in flight: the SDK's encoded request and, because
// the endpoint runs in this process, its decoded copy).
func heapGrowth(base uint64) (held, peak int64) {
	held = math.MaxInt64
	for range 6 {
		g := int64(heapInUse() - base)
		held, peak = min(held, g), max(peak, g)
		time.Sleep(37 * time.Millisecond)
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
// taken before the Shipper exists.
func downEndpoint(t *testing.T, policy core.FullPolicy) (*testutil.Server, *core.Shipper, uint64) {
	srv := testutil.Start(t, nil)
	srv.CreateStream(group, stream)
	srv.SetFault(testutil.OpPutLogEvents, testutil.Fault{Kind: testutil.FaultUnavailable})
	errs := &errorLog{}
	cfg := config(srv.Client(), errs)
	cfg.BufferLimit = memLimit
	cfg.FullPolicy = policy
	// Retries well apart, so that most heap samples fall between them.
	cfg.MinBackoff, cfg.MaxBackoff = 100*time.Millisecond, 200*time.Millisecond
	base := heapInUse()
	return srv, newShipper(t, cfg), base
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
			growth, peak := heapGrowth(base)
			// Waiting on the endpoint, which stays down, would take
			// forever; what remains is scheduling on a shared machine,
			// which the 99.9th percentile leaves out.
			slices.Sort(lat)
			p999, maxAdd := lat[len(lat)*999/1000], lat[len(lat)-1]
			if p999 > 50*time.Millisecond || maxAdd > 2*time.Second {
				t.Errorf("Add took up to %v (99.9%% within %v) with the buffer full; it must not wait", maxAdd, p999)
			}
			if st.PendingBytes > memLimit {
				t.Errorf("%d bytes pending, above BufferLimit %d", st.PendingBytes, memLimit)
			}
			if st.DroppedFull == 0 || (policy == core.DropNewest && int(st.DroppedFull) != refused) {
				t.Errorf("DroppedFull %d, Add refused %d", st.DroppedFull, refused)
			}
			if growth > memLimit+memSlack {
				t.Errorf("heap grew by %.2f MiB holding %.2f MiB of events; the bound is BufferLimit + %d MiB",
					mib(growth), mib(int64(st.PendingBytes)), memSlack>>20)
			}
			t.Logf("%v: %d events held (%.2f MiB counted), heap +%.2f MiB (%.2fx counted), +%.2f MiB with a retry in flight; Add 99.9%% within %v, longest %v; %d dropped",
				policy, held, mib(int64(st.PendingBytes)), mib(growth), float64(growth)/float64(st.PendingBytes), mib(peak), p999, maxAdd, st.DroppedFull)

			// The endpoint recovers: what was held is delivered, the rest
			// was counted as dropped.
			srv.ClearFaults()
			mustClose(t, s)
			st = s.Stats()
			checkBalanced(t, st)
			if got := srv.EventCount(group, stream); uint64(got) != st.Delivered || st.Added != uint64(n) {
				t.Errorf("stored %d, Delivered %d, Added %d of %d", got, st.Delivered, st.Added, n)
			}
			if policy == core.DropOldest {
				// The newest event always survives dropping the oldest.
				msgs := srv.Messages(group, stream)
				if len(msgs) == 0 || msgs[len(msgs)-1] != message(n-1, memMessage) {
					t.Errorf("the newest event was not delivered last")
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
	// Wait for the producer to stall, then make sure it stays stalled.
	var last int64 = -1
	if !waitFor(30*time.Second, func() bool {
		cur := added.Load()
		stalled := cur == last
		last = cur
		time.Sleep(50 * time.Millisecond)
		return stalled && cur > 0
	}) {
		t.Fatal("the producer never stalled with the endpoint down")
	}
	stalledAt := added.Load()
	time.Sleep(300 * time.Millisecond)
	if now := added.Load(); now != stalledAt || now >= int64(n) {
		t.Fatalf("Add went on while full: %d, then %d of %d", stalledAt, now, n)
	}
	st := s.Stats()
	growth, peak := heapGrowth(base)
	if st.PendingBytes > memLimit {
		t.Errorf("%d bytes pending, above BufferLimit %d", st.PendingBytes, memLimit)
	}
	if growth > memLimit+memSlack {
		t.Errorf("heap grew by %.2f MiB holding %.2f MiB of events; the bound is BufferLimit + %d MiB",
			mib(growth), mib(int64(st.PendingBytes)), memSlack>>20)
	}

	recovered := time.Now()
	srv.ClearFaults()
	var resumed time.Duration
	if !waitFor(30*time.Second, func() bool { return added.Load() > stalledAt }) {
		t.Fatal("Add did not resume after the endpoint recovered")
	}
	resumed = time.Since(recovered)
	wg.Wait()
	mustClose(t, s)
	st2 := s.Stats()
	checkBalanced(t, st2)
	checkCalls(t, srv)
	if st2.Dropped != 0 || st2.Delivered != uint64(n) || srv.EventCount(group, stream) != n {
		t.Fatalf("stats %+v, stored %d: want all %d delivered, nothing dropped", st2, srv.EventCount(group, stream), n)
	}
	msgs := srv.Messages(group, stream)
	for i, m := range msgs {
		if m != message(i, memMessage) {
			t.Fatalf("event %d stored as %.20q", i, m)
		}
	}
	t.Logf("Block: %d events held (%.2f MiB counted), heap +%.2f MiB (%.2fx counted), +%.2f MiB with a retry in flight; Add resumed %v after the endpoint recovered",
		st.Pending, mib(int64(st.PendingBytes)), mib(growth), float64(growth)/float64(st.PendingBytes), mib(peak), resumed)
	if resumed > time.Second {
		t.Errorf("Add resumed only %v after the endpoint recovered", resumed)
	}
}

// TestMemoryPerEventForTinyMessages measures how far the heap exceeds
// BufferLimit's count when messages are tiny, where the fixed cost of an
// event weighs most. It reports, and fails only on a gross excess.
func TestMemoryPerEventForTinyMessages(t *testing.T) {
	srv, s, base := downEndpoint(t, core.DropNewest)
	for i := 0; ; i++ {
		if errors.Is(s.Add(core.Event{Message: message(i, 16)}), core.ErrBufferFull) {
			break
		}
	}
	st := s.Stats()
	growth, _ := heapGrowth(base)
	ratio := float64(growth) / float64(st.PendingBytes)
	t.Logf("16-byte messages: %d events held (%.2f MiB counted), heap +%.2f MiB (%.2fx counted, %.0f bytes per event)",
		st.Pending, mib(int64(st.PendingBytes)), mib(growth), ratio, float64(growth)/float64(st.Pending))
	if growth > 2*memLimit+memSlack {
		t.Errorf("heap grew by %.2f MiB for %.2f MiB counted", mib(growth), mib(int64(st.PendingBytes)))
	}
	srv.ClearFaults()
	mustClose(t, s)
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
	mustClose(t, s)
	checkBalanced(t, s.Stats())
}
