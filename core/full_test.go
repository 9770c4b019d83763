package core_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

// smallBuffer makes a Shipper whose buffer holds 10 events of 74 bytes.
func smallBuffer(policy core.FullPolicy) func(*core.Config) {
	return func(c *core.Config) {
		c.FullPolicy = policy
		c.MaxMessageBytes = 74
		c.MaxBatchBytes = 200
		c.BufferLimit = 1000
	}
}

func event(i int) core.Event {
	return core.Event{Message: fmt.Sprintf("%074d", i)} // 74 + 26 = 100 bytes
}

func TestDropNewestRefusesWhenFull(t *testing.T) {
	srv, s, errs := start(t, nil, smallBuffer(core.DropNewest))
	srv.SetFault("PutLogEvents", cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	accepted, refused := 0, 0
	for i := range 30 {
		switch err := s.Add(event(i)); {
		case err == nil:
			accepted++
		case errors.Is(err, core.ErrBufferFull):
			refused++
		default:
			t.Fatalf("Add: %v", err)
		}
	}
	if accepted != 10 || refused != 20 {
		t.Fatalf("accepted %d, refused %d; want 10 and 20", accepted, refused)
	}
	srv.SetFault("PutLogEvents", cwlogtest.Fault{})
	shiptest.Close(t, s)
	st := s.Stats()
	if st.DroppedFull != 20 || st.Delivered != 10 {
		t.Fatalf("stats %+v", st)
	}
	checkBalanced(t, st)
	var de *core.DroppedError
	for _, err := range errs.All() {
		if errors.As(err, &de) {
			return
		}
	}
	t.Fatal("drops were not reported")
}

func TestDropOldestKeepsTheNewest(t *testing.T) {
	srv, s, _ := start(t, nil, smallBuffer(core.DropOldest))
	srv.SetFault("PutLogEvents", cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	for i := range 30 {
		if err := s.Add(event(i)); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	srv.SetFault("PutLogEvents", cwlogtest.Fault{})
	shiptest.Close(t, s)
	st := s.Stats()
	checkBalanced(t, st)
	if st.DroppedFull == 0 || st.Delivered+st.DroppedFull != 30 {
		t.Fatalf("stats %+v", st)
	}
	// Parallel uploads store batches in any order: kept, not last.
	if !slices.Contains(srv.Messages(group, stream), event(29).Message) {
		t.Fatal("newest event not kept")
	}
}

func TestBlockWaitsForRoomAndLosesNothing(t *testing.T) {
	srv, s, _ := start(t, nil, smallBuffer(core.Block))
	srv.SetFault("PutLogEvents", cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	done := make(chan struct{})
	var want []string
	for i := range 30 {
		want = append(want, event(i).Message)
	}
	go func() {
		defer close(done)
		for i := range 30 {
			if err := s.Add(event(i)); err != nil {
				t.Errorf("Add: %v", err)
			}
		}
	}()
	select {
	case <-done:
		t.Fatal("Add did not block with the buffer full and the endpoint down")
	case <-time.After(200 * time.Millisecond):
	}
	srv.SetFault("PutLogEvents", cwlogtest.Fault{})
	shiptest.Within(t, 10*time.Second, done, "Add did not resume after the endpoint recovered")
	checkDelivers(t, srv, s, want)
}

func TestBlockedAddReturnsOnClose(t *testing.T) {
	srv, s, _ := start(t, nil, smallBuffer(core.Block))
	srv.SetFault("PutLogEvents", cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	for i := range 10 {
		if err := s.Add(event(i)); err != nil {
			t.Fatal(err)
		}
	}
	blocked := make(chan error, 1)
	go func() { blocked <- s.Add(event(10)) }()
	// TryAdd never waits, even under Block.
	if err := s.TryAdd(event(11)); !errors.Is(err, core.ErrBufferFull) {
		t.Fatalf("TryAdd on a full buffer = %v, want ErrBufferFull", err)
	}
	time.Sleep(50 * time.Millisecond)
	go s.Close(t.Context())
	if err := shiptest.Within(t, 5*time.Second, blocked, "blocked Add did not return on Close"); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("blocked Add = %v, want ErrClosed", err)
	}
	srv.SetFault("PutLogEvents", cwlogtest.Fault{})
}

func TestBufferLimitCountsWireBytes(t *testing.T) {
	srv, s, _ := start(t, nil, smallBuffer(core.DropNewest))
	srv.SetFault("PutLogEvents", cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
	for range 10 {
		if err := s.Add(core.Event{Message: strings.Repeat("\xff", 16)}); err != nil { // 48 bytes on the wire
			t.Fatal(err)
		}
	}
	if st := s.Stats(); st.PendingBytes != 10*(48+26) {
		t.Fatalf("PendingBytes = %d, want %d", st.PendingBytes, 10*(48+26))
	}
	srv.SetFault("PutLogEvents", cwlogtest.Fault{})
}

// TestDropOldestCountsEveryEviction fills a buffer whose room is mostly
// taken by uploads in flight (eight slow calls of two events each), so
// that evicting what is queued often cannot make room for a new event.
// Every event added must end up delivered or counted as dropped.
func TestDropOldestCountsEveryEviction(t *testing.T) {
	srv, s, _ := start(t, nil, func(c *core.Config) {
		smallBuffer(core.DropOldest)(c)
		c.Concurrency = 8
	})
	srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Delay: 100 * time.Millisecond})
	refused := 0
	for i := range 300 {
		switch err := s.Add(event(i)); {
		case err == nil:
		case errors.Is(err, core.ErrBufferFull):
			refused++
		default:
			t.Fatalf("Add: %v", err)
		}
		if i%10 == 0 {
			time.Sleep(5 * time.Millisecond)
		}
	}
	shiptest.Close(t, s)
	st := s.Stats()
	checkBalanced(t, st)
	if st.Added != 300 || st.DroppedFull == 0 {
		t.Fatalf("nothing evicted or refused: %+v", st)
	}
	if got := srv.EventCount(group, stream); uint64(got) != st.Delivered {
		t.Fatalf("stored %d, Delivered %d", got, st.Delivered)
	}
	t.Logf("%d delivered, %d dropped, of which %d refused at Add", st.Delivered, st.DroppedFull, refused)
}

// TestSplitMessageIsAllOrNothing offers a message of six pieces to a
// buffer with room for three: under the policies that cannot make room,
// none of it is queued and all six pieces are counted as dropped; under
// DropOldest, older events make room for all six.
func TestSplitMessageIsAllOrNothing(t *testing.T) {
	long := strings.Repeat("abcdef", 74) // 444 bytes: six pieces of 74
	for _, policy := range []core.FullPolicy{core.DropNewest, core.Block, core.DropOldest} {
		t.Run(policy.String(), func(t *testing.T) {
			srv, s, _ := start(t, nil, smallBuffer(policy))
			srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Kind: cwlogtest.FaultUnavailable})
			for i := range 7 { // 700 of 1,000 bytes
				mustAdd(t, s, event(i))
			}
			err := s.TryAdd(core.Event{Message: long}) // Block must not wait here
			st := s.Stats()
			if policy == core.DropOldest {
				if err != nil || st.Added != 13 || st.DroppedFull != 3 || st.Split != 1 {
					t.Fatalf("TryAdd = %v, stats %+v; want nil, 13 added, 3 evicted, 1 split", err, st)
				}
			} else if !errors.Is(err, core.ErrBufferFull) || st.Added != 13 || st.DroppedFull != 6 || st.Split != 0 || st.Pending != 7 {
				t.Fatalf("TryAdd = %v, stats %+v; want ErrBufferFull, 13 added, 6 dropped, none split, 7 pending", err, st)
			}
			srv.ClearFaults()
			shiptest.Close(t, s)
			checkBalanced(t, s.Stats())
			stored := strings.Join(srv.Messages(group, stream), "")
			if has := strings.Contains(stored, long); has != (policy == core.DropOldest) {
				t.Fatalf("the split message stored whole: %v; stored %q", has, stored)
			}
		})
	}
}

// TestMessageLargerThanTheBufferIsDropped: no policy can make room for
// it, so even Block refuses it at once rather than wait forever.
func TestMessageLargerThanTheBufferIsDropped(t *testing.T) {
	_, s, _ := start(t, nil, smallBuffer(core.Block))
	err := s.Add(core.Event{Message: strings.Repeat("x", 2000)})
	if !errors.Is(err, core.ErrBufferFull) {
		t.Fatalf("Add = %v, want ErrBufferFull", err)
	}
	shiptest.Close(t, s)
	if st := s.Stats(); st.DroppedFull != 28 || st.Added != 28 {
		t.Fatalf("stats %+v; want its 28 pieces added and dropped", st)
	}
}
