package core_test

import (
	"context"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/benchutil"
	"github.com/cwlog/cwlog/internal/shiptest"
)

const (
	benchMsgLen = 200
	// fullBatch is how many 200-byte events fill a batch by bytes.
	fullBatch = 1_048_576 / (benchMsgLen + 26)
)

// benchMessages returns n distinct 200-byte messages, each its own
// allocation as an adapter would produce.
func benchMessages(n int) []string {
	pad := strings.Repeat("x", benchMsgLen)
	out := make([]string, n)
	for i := range out {
		b := []byte(pad)
		for j, k := 0, i; j < 8; j, k = j+1, k/10 {
			b[j] = byte('0' + k%10)
		}
		out[i] = string(b)
	}
	return out
}

func benchShipper(b *testing.B, client *cloudwatchlogs.Client, concurrency int) *core.Shipper {
	s, err := core.New(core.Config{
		Client:    client,
		LogGroup:  group,
		LogStream: stream,
		// The hot path outruns the pipeline; the backlog of a whole
		// benchmark run must fit, or drops would be measured instead.
		BufferLimit: min(4<<30, math.MaxInt),
		Concurrency: concurrency,
		OnError:     func(err error) { b.Error(err) },
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// rawSend is the baseline: the SDK alone sending prebuilt full batches, one
// call after another, chaining tokens as a careful hand-written loop would.
func rawSend(b *testing.B, client *cloudwatchlogs.Client, events []types.InputLogEvent, n int) {
	var token *string
	for sent := 0; sent < n; {
		k := min(len(events), n-sent)
		out, err := client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
			LogGroupName:  aws(group),
			LogStreamName: aws(stream),
			LogEvents:     events[:k],
			SequenceToken: token,
		})
		if err != nil {
			b.Fatal(err)
		}
		token = out.NextSequenceToken
		sent += k
	}
}

func aws(s string) *string { return &s }

func inputEvents(msgs []string) []types.InputLogEvent {
	ts := time.Now().UnixMilli()
	out := make([]types.InputLogEvent, len(msgs))
	for i := range msgs {
		out[i] = types.InputLogEvent{Message: &msgs[i], Timestamp: &ts}
	}
	return out
}

// shipAll adds n events and returns when they are delivered.
func shipAll(b *testing.B, s *core.Shipper, msgs []string, n int) {
	for i := range n {
		if err := s.Add(core.Event{Message: msgs[i%len(msgs)]}); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		b.Fatal(err)
	}
}

func closeBench(b *testing.B, s *core.Shipper, want int) {
	if err := s.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	if st := s.Stats(); st.Delivered != uint64(want) {
		b.Fatalf("delivered %d of %d: %+v", st.Delivered, want, st)
	}
}

// BenchmarkPipeline measures events per second from Add to received by the
// local endpoint, against the SDK alone sending prebuilt full batches to the
// same endpoint. One op is one 200-byte event.
func BenchmarkPipeline(b *testing.B) {
	msgs := benchMessages(fullBatch * 4)
	b.Run("raw-sdk", func(b *testing.B) {
		client := benchutil.EndpointProcess(b)
		events := inputEvents(msgs[:fullBatch])
		timeEvents(b, func() { rawSend(b, client, events, b.N) })
	})
	b.Run("shipper", func(b *testing.B) {
		s := benchShipper(b, benchutil.EndpointProcess(b), 1)
		timeEvents(b, func() { shipAll(b, s, msgs, b.N) })
		closeBench(b, s, b.N)
	})
}

// timeEvents times send, which sends b.N events of benchMsgLen bytes, and
// reports events per second.
func timeEvents(b *testing.B, send func()) {
	b.SetBytes(benchMsgLen)
	b.ReportAllocs()
	b.ResetTimer()
	send()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkLatencyBound measures what is delivered when each call takes
// 50 ms more, as across a region: token-chained (one call at a time, like
// the raw SDK loop), the default adaptive Concurrency, and a fixed
// Concurrency of 8, on an endpoint that ignores tokens. One op is one full
// batch; every event is delivered inside the timed loop.
func BenchmarkLatencyBound(b *testing.B) {
	const rtt = 50 * time.Millisecond
	msgs := benchMessages(fullBatch)
	report := func(b *testing.B) {
		sec := b.Elapsed().Seconds()
		b.ReportMetric(float64(b.N)/(float64(b.Elapsed())/float64(rtt)), "batches/rtt")
		b.ReportMetric(float64(b.N*fullBatch)/sec, "events/s")
		b.ReportMetric(float64(b.N*fullBatch*benchMsgLen)/sec/1e6, "MB/s")
	}
	b.Run("raw-sdk-chained", func(b *testing.B) {
		client := benchutil.EndpointSlow(b, rtt)
		events := inputEvents(msgs)
		b.ResetTimer()
		rawSend(b, client, events, b.N*fullBatch)
		b.StopTimer()
		report(b)
	})
	for _, c := range []struct {
		name        string
		concurrency int
	}{{"shipper-chained", 1}, {"shipper-adaptive", 0}, {"shipper-concurrency-8", 8}} {
		b.Run(c.name, func(b *testing.B) {
			s := benchShipper(b, benchutil.EndpointSlow(b, rtt), c.concurrency)
			b.ResetTimer()
			shipAll(b, s, msgs, b.N*fullBatch)
			b.StopTimer()
			report(b)
			closeBench(b, s, b.N*fullBatch)
		})
	}
}

// BenchmarkBufferedMemory buffers 1,000,000 200-byte events with the
// uploads stalled and reports the heap they take, messages included, per
// message byte.
func BenchmarkBufferedMemory(b *testing.B) {
	const n = 1_000_000
	for range b.N {
		b.StopTimer()
		client := benchutil.EndpointStalled(b)
		before := shiptest.HeapAfterGC()
		msgs := benchMessages(n)
		s, err := core.New(core.Config{
			Client: client, LogGroup: group, LogStream: stream,
			BufferLimit: 1 << 30, OnError: func(error) {},
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for i := range msgs {
			if err := s.Add(core.Event{Message: msgs[i]}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		msgs = nil // the Shipper now holds the only references
		after := shiptest.HeapAfterGC()
		runtime.KeepAlive(s)
		b.ReportMetric(float64(after-before)/(n*benchMsgLen), "heap/msgbyte")
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		s.Close(ctx)
		cancel()
	}
}

// BenchmarkFlush measures Add then Flush of one event, against one
// PutLogEvents call of the SDK alone: Flush must cost one round trip, not
// a wait for FlushInterval.
func BenchmarkFlush(b *testing.B) {
	msgs := benchMessages(1)
	b.Run("raw-sdk", func(b *testing.B) {
		client := benchutil.EndpointProcess(b)
		events := inputEvents(msgs)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			rawSend(b, client, events, 1)
		}
	})
	b.Run("shipper", func(b *testing.B) {
		s := benchShipper(b, benchutil.EndpointProcess(b), 1)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			shipAll(b, s, msgs, 1)
		}
		b.StopTimer()
		closeBench(b, s, b.N)
	})
}

// BenchmarkAdd measures the hot path alone, serial and from all cores,
// while the worker uploads behind it to the local endpoint. The timer stops
// before Close; e2e-ns/event adds the time Close takes to deliver the
// backlog, so the whole cost per event is in the report too.
func BenchmarkAdd(b *testing.B) {
	msgs := benchMessages(1024)
	run := func(b *testing.B, parallel bool) {
		s := benchShipper(b, benchutil.EndpointProcess(b), 1)
		b.ReportAllocs()
		b.ResetTimer()
		if parallel {
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					if err := s.Add(core.Event{Message: msgs[i%len(msgs)]}); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		} else {
			for i := range b.N {
				if err := s.Add(core.Event{Message: msgs[i%len(msgs)]}); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StopTimer()
		hot := b.Elapsed()
		start := time.Now()
		closeBench(b, s, b.N)
		b.ReportMetric(float64(hot+time.Since(start))/float64(b.N), "e2e-ns/event")
	}
	b.Run("serial", func(b *testing.B) { run(b, false) })
	b.Run("parallel", func(b *testing.B) { run(b, true) })
}
