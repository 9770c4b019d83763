package core_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
)

// addAll adds msgs from n goroutines, padding each so batches fill up.
func addAll(t *testing.T, s *core.Shipper, ms []string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for g := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < len(ms); i += n {
				if err := s.Add(core.Event{Message: ms[i]}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func padded(prefix string, n int) []string {
	ms := msgs(prefix, n)
	for i := range ms {
		ms[i] += strings.Repeat("~", 300)
	}
	return ms
}

func TestLegacyTokenChain(t *testing.T) {
	srv := testutil.Start(t, &testutil.Options{Tokens: testutil.TokensLegacy})
	ready(srv)
	s, _ := newShipper(t, srv, nil)
	want := padded("chain", 20_000)
	addAll(t, s, want, 4)
	mustClose(t, s)
	checkExactlyOnce(t, srv, want)

	calls := srv.CallsOf("PutLogEvents")
	if len(calls) < 3 {
		t.Fatalf("only %d calls; the chain was not exercised", len(calls))
	}
	for i, c := range calls {
		if c.Outcome != testutil.OutcomeOK {
			t.Fatalf("call %d: %s; a lone writer must never break its chain", i, c.Outcome)
		}
		if (i == 0) == c.HasToken {
			t.Fatalf("call %d: HasToken = %v; only the first call of a new stream has none", i, c.HasToken)
		}
	}
}

func TestLegacyJoinsAnExistingChain(t *testing.T) {
	srv := testutil.Start(t, &testutil.Options{Tokens: testutil.TokensLegacy})
	ready(srv)
	first, _ := newShipper(t, srv, nil)
	mustAdd(t, first, core.Event{Message: "from an earlier process"})
	mustClose(t, first)

	// A new Shipper does not know the stream's token; it must learn it from
	// InvalidSequenceTokenException rather than DescribeLogStreams.
	s, _ := newShipper(t, srv, nil)
	mustAdd(t, s, core.Event{Message: "from this process"})
	mustClose(t, s)
	checkExactlyOnce(t, srv, []string{"from an earlier process", "from this process"})
	for _, c := range srv.Calls() {
		if c.Op == "DescribeLogStreams" {
			t.Fatal("DescribeLogStreams was called")
		}
	}
}

func TestLegacyTwoShippersRaceOnOneStream(t *testing.T) {
	srv := testutil.Start(t, &testutil.Options{Tokens: testutil.TokensLegacy})
	ready(srv)
	a, _ := newShipper(t, srv, nil)
	b, _ := newShipper(t, srv, nil)
	wantA, wantB := padded("a", 15_000), padded("b", 15_000)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); addAll(t, a, wantA, 4) }()
	go func() { defer wg.Done(); addAll(t, b, wantB, 4) }()
	wg.Wait()
	mustClose(t, a)
	mustClose(t, b)
	checkExactlyOnce(t, srv, append(wantA, wantB...))
	if srv.Stats().PutOutcomes["InvalidSequenceTokenException"] == 0 {
		t.Log("the writers never collided; the race was not exercised this run")
	}
	checkBalanced(t, a.Stats())
	checkBalanced(t, b.Stats())
}

func TestLegacyLostResponseIsNotDuplicated(t *testing.T) {
	for _, kind := range []testutil.FaultKind{testutil.FaultDrop, testutil.FaultInternal, testutil.FaultUnavailable} {
		t.Run(kind.String(), func(t *testing.T) {
			srv := testutil.Start(t, &testutil.Options{Tokens: testutil.TokensLegacy})
			ready(srv)
			s, _ := newShipper(t, srv, nil)
			mustAdd(t, s, core.Event{Message: "first"})
			mustFlush(t, s)
			srv.FailNext("PutLogEvents", 1, testutil.Fault{Kind: kind, AfterStore: true})
			want := []string{"first", "second", "third"}
			mustAdd(t, s, core.Event{Message: "second"})
			mustAdd(t, s, core.Event{Message: "third"})
			mustClose(t, s)
			checkExactlyOnce(t, srv, want)
			if n := srv.Stats().PutOutcomes["DataAlreadyAcceptedException"]; n == 0 {
				t.Fatal("the resent batch was never answered DataAlreadyAccepted")
			}
			if st := s.Stats(); st.Delivered != 3 {
				t.Fatalf("Delivered = %d, want 3", st.Delivered)
			}
		})
	}
}

func TestModernParallelUploads(t *testing.T) {
	srv := testutil.Start(t, nil)
	ready(srv)
	s, _ := newShipper(t, srv, func(c *core.Config) { c.Concurrency = 4 })
	want := padded("par", 30_000)
	addAll(t, s, want, 8)
	mustClose(t, s)
	checkExactlyOnce(t, srv, want)
	for _, c := range srv.CallsOf("PutLogEvents") {
		if c.HasToken {
			t.Fatal("a parallel upload sent a sequence token")
		}
	}
}
