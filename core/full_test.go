package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
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
	srv := testutil.Start(t, nil)
	ready(srv)
	srv.SetFault("PutLogEvents", testutil.Fault{Kind: testutil.FaultUnavailable})
	s, errs := newShipper(t, srv, smallBuffer(core.DropNewest))
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
	srv.SetFault("PutLogEvents", testutil.Fault{})
	mustClose(t, s)
	st := s.Stats()
	if st.DroppedFull != 20 || st.Delivered != 10 {
		t.Fatalf("stats %+v", st)
	}
	checkBalanced(t, st)
	var de *core.DroppedError
	for _, err := range errs.all() {
		if errors.As(err, &de) {
			return
		}
	}
	t.Fatal("drops were not reported")
}

func TestDropOldestKeepsTheNewest(t *testing.T) {
	srv := testutil.Start(t, nil)
	ready(srv)
	srv.SetFault("PutLogEvents", testutil.Fault{Kind: testutil.FaultUnavailable})
	s, _ := newShipper(t, srv, smallBuffer(core.DropOldest))
	for i := range 30 {
		if err := s.Add(event(i)); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	srv.SetFault("PutLogEvents", testutil.Fault{})
	mustClose(t, s)
	st := s.Stats()
	checkBalanced(t, st)
	if st.DroppedFull == 0 || st.Delivered+st.DroppedFull != 30 {
		t.Fatalf("stats %+v", st)
	}
	got := srv.Messages(group, stream)
	if last := got[len(got)-1]; last != event(29).Message {
		t.Fatalf("newest event not kept; last stored %q", last)
	}
}

func TestBlockWaitsForRoomAndLosesNothing(t *testing.T) {
	srv := testutil.Start(t, nil)
	ready(srv)
	srv.SetFault("PutLogEvents", testutil.Fault{Kind: testutil.FaultUnavailable})
	s, _ := newShipper(t, srv, smallBuffer(core.Block))
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
	srv.SetFault("PutLogEvents", testutil.Fault{})
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Add did not resume after the endpoint recovered")
	}
	mustClose(t, s)
	checkExactlyOnce(t, srv, want)
}

func TestBlockedAddReturnsOnClose(t *testing.T) {
	srv := testutil.Start(t, nil)
	ready(srv)
	srv.SetFault("PutLogEvents", testutil.Fault{Kind: testutil.FaultUnavailable})
	s, _ := newShipper(t, srv, smallBuffer(core.Block))
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
	select {
	case err := <-blocked:
		if !errors.Is(err, core.ErrClosed) {
			t.Fatalf("blocked Add = %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("blocked Add did not return on Close")
	}
	srv.SetFault("PutLogEvents", testutil.Fault{})
}

func TestBufferLimitCountsWireBytes(t *testing.T) {
	srv := testutil.Start(t, nil)
	ready(srv)
	srv.SetFault("PutLogEvents", testutil.Fault{Kind: testutil.FaultUnavailable})
	s, _ := newShipper(t, srv, smallBuffer(core.DropNewest))
	for range 10 {
		if err := s.Add(core.Event{Message: strings.Repeat("\xff", 16)}); err != nil { // 48 bytes on the wire
			t.Fatal(err)
		}
	}
	if st := s.Stats(); st.PendingBytes != 10*(48+26) {
		t.Fatalf("PendingBytes = %d, want %d", st.PendingBytes, 10*(48+26))
	}
	srv.SetFault("PutLogEvents", testutil.Fault{})
}
