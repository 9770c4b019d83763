package core_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
)

// TestDropOldestCountsEveryEviction fills a buffer whose room is mostly
// taken by uploads in flight (eight slow calls of two events each), so
// that evicting what is queued often cannot make room for a new event.
// Every event added must end up delivered or counted as dropped.
func TestDropOldestCountsEveryEviction(t *testing.T) {
	srv := testutil.Start(t, nil)
	ready(srv)
	srv.SetFault(testutil.OpPutLogEvents, testutil.Fault{Delay: 100 * time.Millisecond})
	s, _ := newShipper(t, srv, func(c *core.Config) {
		smallBuffer(core.DropOldest)(c)
		c.Concurrency = 8
	})
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
	mustClose(t, s)
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
			srv := testutil.Start(t, nil)
			ready(srv)
			srv.SetFault(testutil.OpPutLogEvents, testutil.Fault{Kind: testutil.FaultUnavailable})
			s, _ := newShipper(t, srv, smallBuffer(policy))
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
			mustClose(t, s)
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
	srv := testutil.Start(t, nil)
	ready(srv)
	s, _ := newShipper(t, srv, smallBuffer(core.Block))
	err := s.Add(core.Event{Message: strings.Repeat("x", 2000)})
	if !errors.Is(err, core.ErrBufferFull) {
		t.Fatalf("Add = %v, want ErrBufferFull", err)
	}
	mustClose(t, s)
	if st := s.Stats(); st.DroppedFull != 28 || st.Added != 28 {
		t.Fatalf("stats %+v; want its 28 pieces added and dropped", st)
	}
}

func TestAddAfterCloseIsCounted(t *testing.T) {
	srv := testutil.Start(t, nil)
	ready(srv)
	s, _ := newShipper(t, srv, nil)
	mustAdd(t, s, core.Event{Message: "before"})
	mustClose(t, s)
	for _, e := range []core.Event{{Message: "after"}, {Message: ""}, {Message: strings.Repeat("x", 3<<20)}} {
		if err := s.Add(e); !errors.Is(err, core.ErrClosed) {
			t.Fatalf("Add after Close = %v, want ErrClosed", err)
		}
	}
	st := s.Stats()
	if st.AfterClose != 6 || st.Added != 1 { // the long one is 4 events
		t.Fatalf("stats %+v; want 6 refused after Close, 1 added", st)
	}
	checkBalanced(t, st)
}

func TestSecondCloseDoesNotAbortTheFirst(t *testing.T) {
	srv := testutil.Start(t, nil)
	ready(srv)
	srv.SetFault(testutil.OpPutLogEvents, testutil.Fault{Delay: 300 * time.Millisecond})
	s, _ := newShipper(t, srv, nil)
	want := msgs("close", 100)
	for _, m := range want {
		mustAdd(t, s, core.Event{Message: m})
	}
	first := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		first <- s.Close(ctx)
	}()
	// An empty message is refused as such until Close begins.
	waitFor(t, "the first Close to begin", func() bool { return errors.Is(s.Add(core.Event{}), core.ErrClosed) })
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Close(expired); !errors.Is(err, context.Canceled) {
		t.Fatalf("second Close with an ended context = %v, want context.Canceled", err)
	}
	if err := <-first; err != nil {
		t.Fatalf("first Close = %v", err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatalf("third Close = %v, want the first's result", err)
	}
	checkExactlyOnce(t, srv, want)
}
