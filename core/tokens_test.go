package core_test

import (
	"sync"
	"testing"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

// A lone writer never breaks its chain. With Concurrency 1 it chains from
// the first call; by default the first call probes with a token no
// endpoint issued, which a token-checking one refuses, storing nothing,
// and every call after it chains.
func TestLegacyTokenChain(t *testing.T) {
	for _, c := range []struct {
		name        string
		concurrency int
		probes      int
	}{{"chained", 1, 0}, {"default", 0, 1}} {
		t.Run(c.name, func(t *testing.T) {
			srv, s, _ := start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy},
				func(cfg *core.Config) { cfg.Concurrency = c.concurrency })
			want := padded("chain", 20_000)
			addAll(t, s, want, 4)
			checkDelivers(t, srv, s, want)

			calls := srv.CallsOf("PutLogEvents")
			if len(calls) < 3+c.probes {
				t.Fatalf("only %d calls; the chain was not exercised", len(calls))
			}
			for i, call := range calls[:c.probes] {
				if call.Outcome != cwlogtest.CodeInvalidSequenceToken || !call.HasToken {
					t.Fatalf("call %d: %s (token %v), want the probe refused", i, call.Outcome, call.HasToken)
				}
			}
			for i, call := range calls[c.probes:] {
				if call.Outcome != cwlogtest.OutcomeOK {
					t.Fatalf("call %d: %s; a lone writer must never break its chain", c.probes+i, call.Outcome)
				}
				if (i == 0) == call.HasToken {
					t.Fatalf("call %d: HasToken = %v; only the first call of a new stream has none", c.probes+i, call.HasToken)
				}
			}
			if h := s.Health(); !h.Chained || h.Concurrency != 1 {
				t.Fatalf("Health = %+v, want chained, one call at a time", h)
			}
		})
	}
}

func TestLegacyJoinsAnExistingChain(t *testing.T) {
	srv, first, _ := start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy}, nil)
	mustAdd(t, first, core.Event{Message: "from an earlier process"})
	shiptest.Close(t, first)

	// A new Shipper does not know the stream's token; it must learn it from
	// InvalidSequenceTokenException rather than DescribeLogStreams.
	s, _ := newShipper(t, srv, nil)
	mustAdd(t, s, core.Event{Message: "from this process"})
	checkDelivers(t, srv, s, []string{"from an earlier process", "from this process"})
	for _, c := range srv.Calls() {
		if c.Op == "DescribeLogStreams" {
			t.Fatal("DescribeLogStreams was called")
		}
	}
}

func TestLegacyTwoShippersRaceOnOneStream(t *testing.T) {
	srv, a, _ := start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy}, nil)
	b, _ := newShipper(t, srv, nil)
	wantA, wantB := padded("a", 15_000), padded("b", 15_000)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); addAll(t, a, wantA, 4) }()
	go func() { defer wg.Done(); addAll(t, b, wantB, 4) }()
	wg.Wait()
	shiptest.Close(t, a)
	checkDelivers(t, srv, b, append(wantA, wantB...))
	if srv.Stats().PutOutcomes["InvalidSequenceTokenException"] == 0 {
		t.Log("the writers never collided; the race was not exercised this run")
	}
	checkBalanced(t, a.Stats())
	checkBalanced(t, b.Stats())
}

func TestLegacyLostResponseIsNotDuplicated(t *testing.T) {
	for _, kind := range []cwlogtest.FaultKind{cwlogtest.FaultDrop, cwlogtest.FaultInternal, cwlogtest.FaultUnavailable} {
		t.Run(kind.String(), func(t *testing.T) {
			srv, s, _ := start(t, &cwlogtest.Options{Tokens: cwlogtest.TokensLegacy}, nil)
			mustAdd(t, s, core.Event{Message: "first"})
			shiptest.Flush(t, s)
			srv.FailNext("PutLogEvents", 1, cwlogtest.Fault{Kind: kind, AfterStore: true})
			want := []string{"first", "second", "third"}
			mustAdd(t, s, core.Event{Message: "second"})
			mustAdd(t, s, core.Event{Message: "third"})
			checkDelivers(t, srv, s, want)
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
	srv, s, _ := start(t, nil, func(c *core.Config) { c.Concurrency = 4 })
	want := padded("par", 30_000)
	addAll(t, s, want, 8)
	checkDelivers(t, srv, s, want)
	for _, c := range srv.CallsOf("PutLogEvents") {
		if c.HasToken {
			t.Fatal("a parallel upload sent a sequence token")
		}
	}
}
