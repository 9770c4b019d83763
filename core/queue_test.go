package core

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestFifoMatchesASlice drives the queue and a plain slice with the same
// random pushes and pops across many block boundaries.
func TestFifoMatchesASlice(t *testing.T) {
	var q fifo
	var want []entry
	rng := rand.New(rand.NewPCG(3, 4))
	next := 0
	for step := range 20_000 {
		switch op := rng.IntN(10); {
		case op < 6:
			for range rng.IntN(700) {
				e := entry{ts: int64(next), msg: strconv.Itoa(next)}
				next++
				q.push(e)
				want = append(want, e)
			}
		case op < 9 && len(want) > 0:
			dst := make([]entry, rng.IntN(len(want))+1)
			n, size := q.prefix(len(dst), math.MaxInt)
			if n != len(dst) || size != batchBytes(want[:n]) {
				t.Fatalf("step %d: prefix = %d, %d; want %d, %d", step, n, size, len(dst), batchBytes(want[:n]))
			}
			q.popInto(dst)
			for i := range dst {
				if dst[i] != want[i] {
					t.Fatalf("step %d: popped %v, want %v", step, dst[i], want[i])
				}
			}
			want = want[len(dst):]
		case len(want) > 0:
			if e := q.pop(); e != want[0] {
				t.Fatalf("step %d: pop = %v, want %v", step, e, want[0])
			}
			want = want[1:]
		}
		if q.len() != len(want) {
			t.Fatalf("step %d: len = %d, want %d", step, q.len(), len(want))
		}
	}
}

func TestFifoPrefixStopsAtTheByteLimit(t *testing.T) {
	var q fifo
	for range 1000 {
		q.push(entry{ts: 1, msg: "0123456789"}) // 36 bytes each
	}
	if n, size := q.prefix(10_000, 36*600+35); n != 600 || size != 36*600 {
		t.Fatalf("prefix = %d, %d; want 600, %d", n, size, 36*600)
	}
	if n, _ := q.prefix(7, 1<<20); n != 7 {
		t.Fatalf("prefix by events = %d, want 7", n)
	}
}

// TestFifoReusesBlocks checks the steady state of a busy Shipper: once a
// largest batch has been queued and taken, queueing and taking the next
// allocates nothing, and the blocks kept never exceed one batch's worth.
func TestFifoReusesBlocks(t *testing.T) {
	var q fifo
	batch := make([]entry, maxBatchEvents)
	cycle := func() {
		for i := range maxBatchEvents {
			q.push(entry{ts: int64(i), msg: "m"})
		}
		q.popInto(batch)
	}
	cycle()
	if n := testing.AllocsPerRun(20, cycle); n != 0 {
		t.Fatalf("%v allocations per batch", n)
	}
	// A long outage queues many blocks; they are not all kept after.
	for range 50 * blockSize {
		q.push(entry{ts: 1, msg: "m"})
	}
	for q.len() > 0 {
		q.pop()
	}
	kept := 0
	for b := q.spare; b != nil; b = b.next {
		kept++
		for _, e := range b.es {
			if e.msg != "" {
				t.Fatal("a kept block still holds a message")
			}
		}
	}
	if kept != q.spares || kept > maxSpareBlocks {
		t.Fatalf("kept %d blocks, counted %d, at most %d", kept, q.spares, maxSpareBlocks)
	}
}
