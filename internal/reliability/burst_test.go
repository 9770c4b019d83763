package reliability

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

// burst is a healthy program's burst: 30,000 events, about 70 MB, three of
// them 2.5 MiB, logged over 1.3 s, more than the default 64 MiB buffer
// holds at once.
const (
	burstEvents = 30_000
	burstBig    = 5 << 19 // 2.5 MiB
	burstSmall  = 2_100
	burstSpread = 1300 * time.Millisecond
)

func burstMessage(i int) string {
	size := burstSmall
	if i%(burstEvents/3) == 0 {
		size = burstBig
	}
	id := fmt.Sprintf("burst %05d ", i)
	return id + strings.Repeat("b", size-len(id))
}

// runBurst logs the burst to a Shipper with the default buffer, policy and
// concurrency but for concurrency, against a healthy local endpoint, and
// returns its Stats after Close. (Logged at once, in the 30-50 ms that
// takes, the 70 MB exceed the 64 MiB buffer whatever the uploads do.)
func runBurst(t *testing.T, concurrency int) core.Stats {
	srv := cwlogtest.Start(t, &cwlogtest.Options{DiscardEvents: true})
	s, err := core.New(core.Config{Client: srv.Client(), LogGroup: group, LogStream: stream,
		Concurrency: concurrency, OnError: func(error) {}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for i := range burstEvents {
		s.Add(core.Event{Message: burstMessage(i)})
		if i%1000 == 999 {
			// Keep to the burst's pace; a slower machine just logs later.
			time.Sleep(time.Until(start.Add(burstSpread * time.Duration(i+1) / burstEvents)))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return s.Stats()
}

// TestBurstThatFitsInMemoryIsNotDropped: a burst the buffer could hold
// given uploads that keep up loses nothing with the default concurrency.
// Uploads keep up when, over the 1.3 s, they carry away the 6 MB the
// buffer cannot hold: 5 MB/s, a twentieth of what parallel uploads to the
// local endpoint reach on a loaded two-core machine.
func TestBurstThatFitsInMemoryIsNotDropped(t *testing.T) {
	if testing.Short() {
		t.Skip("70 MB through the local endpoint")
	}
	st := runBurst(t, 0)
	checkBalanced(t, st)
	if st.Dropped != 0 || st.Delivered != st.Added {
		t.Fatalf("%d of %d events dropped (%d delivered)", st.Dropped, st.Added, st.Delivered)
	}
	t.Logf("default: %d events delivered in %d calls, %d split", st.Delivered, st.Batches, st.Split)
}
