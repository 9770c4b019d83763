package core_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

// unevenEndpoint starts an endpoint, with the group and stream, whose
// calls take 0-20 ms at random, so that parallel uploads finish out of
// order.
func unevenEndpoint(t *testing.T, seed uint64) *cwlogtest.Server {
	srv := cwlogtest.Start(t, nil)
	srv.CreateGroup(group)
	srv.CreateStream(group, stream)
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed+1))
	srv.SetFaultFunc(func(string, int) cwlogtest.Fault {
		mu.Lock()
		defer mu.Unlock()
		return cwlogtest.Fault{Delay: time.Duration(rng.IntN(20)) * time.Millisecond}
	})
	return srv
}

// A split message's pieces are stored in order even while batches go up
// in parallel and finish out of order: calls here take 0-20 ms at random,
// so a later batch often lands first. Messages of 5 to 9 pieces of 4 KiB
// are logged between small events, and batches hold at most 8 KiB, so
// every message spans several batches, each of them its own call.
func TestSplitPiecesStoredInOrderUnderParallelUploads(t *testing.T) {
	for _, concurrency := range []int{0, 8} {
		t.Run(fmt.Sprintf("concurrency %d", concurrency), func(t *testing.T) {
			srv := unevenEndpoint(t, 1)
			s, errs := newShipper(t, srv, func(c *core.Config) {
				c.Concurrency = concurrency
				c.MaxMessageBytes = 4 << 10
				c.MaxBatchBytes = 8 << 10
				c.BufferLimit = 1 << 20
				c.FullPolicy = core.Block
			})
			var big []string
			for i := range 24 {
				// Each piece names its message, so pieces can be told apart.
				unit := fmt.Sprintf("<m%02d>", i)
				m := strings.Repeat(unit, (4<<10)*(5+i%5)/len(unit))
				big = append(big, m)
				mustAdd(t, s, core.Event{Message: m})
				mustAdd(t, s, core.Event{Message: fmt.Sprintf("small %02d", i)})
			}
			shiptest.Close(t, s)
			if st := s.Stats(); st.Delivered != st.Added || srv.EventCount(group, stream) != int(st.Added) {
				t.Fatalf("delivered %d of %d, stored %d", st.Delivered, st.Added, srv.EventCount(group, stream))
			}
			if len(errs.All()) != 0 {
				t.Fatalf("reported %v", errs.All())
			}
			if h := s.Health(); concurrency == 0 && h.Concurrency < 2 {
				t.Fatalf("the uploads never ran in parallel (Concurrency %d)", h.Concurrency)
			}
			joined := map[string]string{}
			for _, m := range srv.Messages(group, stream) {
				if strings.HasPrefix(m, "small") {
					continue
				}
				k := m[strings.Index(m, "<m"):][:4]
				joined[k] += m
			}
			for i, want := range big {
				if got := joined[fmt.Sprintf("<m%02d", i)]; got != want {
					t.Fatalf("message %d: stored pieces join to %d bytes out of order or incomplete (want %d)", i, len(got), len(want))
				}
			}
		})
	}
}

// Under parallel uploads batches are stored in any order; a reader gets a
// stream's events in time order (GetLogEvents), so one writer's events of
// different milliseconds come back in the order it logged them, and only
// events of one millisecond that went in different batches may swap.
func TestReadBackOrderUnderParallelUploads(t *testing.T) {
	srv := unevenEndpoint(t, 3)
	s, _ := newShipper(t, srv, func(c *core.Config) {
		c.Concurrency = 0
		c.MaxBatchEvents = 250
		c.FullPolicy = core.Block
	})
	const n = 10_000
	base := time.Now().Add(-time.Minute)
	for i := range n {
		// Seven events a millisecond, as a busy program logs; batches of
		// 250 end inside a millisecond.
		mustAdd(t, s, core.Event{Time: base.Add(time.Duration(i/7) * time.Millisecond), Message: fmt.Sprintf("%06d", i)})
	}
	shiptest.Close(t, s)
	if h := s.Health(); h.Concurrency < 2 {
		t.Fatalf("the uploads never ran in parallel (Concurrency %d)", h.Concurrency)
	}

	var got []int
	p := cloudwatchlogs.NewGetLogEventsPaginator(srv.Client(), &cloudwatchlogs.GetLogEventsInput{
		LogGroupName: aws(group), LogStreamName: aws(stream), StartFromHead: ptrTrue()})
	for p.HasMorePages() && len(got) < n {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			i, _ := strconv.Atoi(*e.Message)
			got = append(got, i)
		}
	}
	if len(got) != n {
		t.Fatalf("read back %d events, want %d", len(got), n)
	}
	swapped := 0
	for k := 1; k < n; k++ {
		prev, cur := got[k-1], got[k]
		switch {
		case cur/7 < prev/7:
			t.Fatalf("event %d (millisecond %d) came back after event %d (millisecond %d)", cur, cur/7, prev, prev/7)
		case cur < prev:
			swapped++
		}
	}
	t.Logf("%d of %d events came back after a later one of the same millisecond", swapped, n)
}

func ptrTrue() *bool { b := true; return &b }
