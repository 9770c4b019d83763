package textblock

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

func TestStringCopies(t *testing.T) {
	var p Pool
	for _, n := range []int{0, 1, 7, 200, maxShared, maxShared + 1, blockSize, 100 << 10} {
		b := bytes.Repeat([]byte{'x'}, n)
		s := p.String(b)
		for i := range b {
			b[i] = 'y'
		}
		if s != strings.Repeat("x", n) {
			t.Fatalf("len %d: the copy changed with its source", n)
		}
	}
}

// TestStringKeepsCopies fills many blocks from several goroutines, with
// String and Append in turn and garbage collections between, and checks that no copy was overwritten or
// freed while referenced (the race detector watches too).
func TestStringKeepsCopies(t *testing.T) {
	const workers, each = 8, 5000
	record := func(w, i int) string {
		return fmt.Sprintf("worker %d record %d %s", w, i, strings.Repeat("z", i%700))
	}
	got := make([][]string, workers)
	var p Pool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for i := range each {
				buf = append(buf[:0], record(w, i)...)
				if i%2 == 0 {
					got[w] = append(got[w], p.String(buf))
				} else {
					got[w] = append(got[w], p.Append(func(b []byte) []byte { return append(b, buf...) }))
				}
				if i%1000 == 0 {
					runtime.GC()
				}
			}
		}()
	}
	wg.Wait()
	runtime.GC()
	for w := range workers {
		for i, s := range got[w] {
			if s != record(w, i) {
				t.Fatalf("worker %d record %d: got %q", w, i, s)
			}
		}
	}
}

// TestAppend writes records of every size class in place, one byte at a
// time so that a record outgrowing the free room is noticed mid-way, and
// checks each against its source and its neighbours.
func TestAppend(t *testing.T) {
	var p Pool
	var got, want []string
	for i, n := range []int{0, 1, 200, maxShared, maxShared + 1, 5000, 200, blockSize, 100 << 10, 3, 0, 1000} {
		for j := range 40 {
			src := strings.Repeat(string(rune('a'+(i+j)%26)), n)
			s := p.Append(func(b []byte) []byte {
				for k := range len(src) {
					b = append(b, src[k])
				}
				return b
			})
			got, want = append(got, s), append(want, src)
		}
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("record %d: got %d bytes, want %d of %q", i, len(got[i]), len(want[i]), want[i][:min(len(want[i]), 1)])
		}
	}
}

// TestAppendInPlace shows what Append saves: a record that fits is written
// into the block itself, so most records allocate nothing.
func TestAppendInPlace(t *testing.T) {
	b := bytes.Repeat([]byte{'x'}, 200)
	fill := func(dst []byte) []byte { return append(dst, b...) }
	var p Pool
	first, second := p.Append(fill), p.Append(fill)
	if unsafe.StringData(second) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(first)), len(first))) {
		t.Fatal("the second record does not follow the first in their block")
	}
	if n := testing.AllocsPerRun(1000, func() { p.Append(fill) }); n > 0.05 {
		t.Fatalf("%.2f allocations per record", n)
	}
}

// TestAppendLongRecordOnItsOwn checks that a record longer than
// maxShared, too long for the free room, is kept on its own, so that the
// block's room is not given up for it.
func TestAppendLongRecordOnItsOwn(t *testing.T) {
	fill := func(n int) func([]byte) []byte {
		return func(b []byte) []byte { return append(b, strings.Repeat("x", n)...) }
	}
	var p Pool
	first := p.Append(fill(200))
	if long := p.Append(fill(blockSize - 100)); len(long) != blockSize-100 {
		t.Fatalf("long record: %d bytes", len(long))
	}
	next := p.Append(fill(200))
	if unsafe.StringData(next) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(first)), len(first))) {
		t.Fatal("the block was given up for a long record")
	}
}

// TestPanickingFillLeavesPoolReusable checks that a fill that panics,
// the panic recovered by the caller, leaves its filler to later calls,
// which carve on from where the last copy ended, and that what it wrote
// before panicking reached no copy.
func TestPanickingFillLeavesPoolReusable(t *testing.T) {
	for _, c := range []struct {
		name    string
		written int // bytes fill appends before it panics
	}{
		{"nothing-written", 0},
		{"partly-written", 100},
		{"room-outgrown", blockSize + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p Pool
			first := p.Append(func(b []byte) []byte { return append(b, "first"...) })
			for range 100 {
				func() {
					defer func() {
						if recover() == nil {
							t.Fatal("fill did not panic")
						}
					}()
					p.Append(func(b []byte) []byte {
						b = append(b, strings.Repeat("!", c.written)...)
						panic("fill exploded")
					})
				}()
			}
			next := p.Append(func(b []byte) []byte { return append(b, "next"...) })
			if first != "first" || next != "next" {
				t.Fatalf("got %q and %q, want \"first\" and \"next\"", first, next)
			}
			if unsafe.StringData(next) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(first)), len(first))) {
				t.Fatal("the copy after the panics does not follow the one before them in their block")
			}
			if len(p.all) != 1 {
				t.Fatalf("%d fillers made; the panics left them in use", len(p.all))
			}
		})
	}
}

// TestStringAllocs shows the point: most copies allocate nothing of their
// own, only a block now and then.
func TestStringAllocs(t *testing.T) {
	b := bytes.Repeat([]byte{'x'}, 200)
	var p Pool
	p.String(b)
	if n := testing.AllocsPerRun(1000, func() { p.String(b) }); n > 0.05 {
		t.Fatalf("%.2f allocations per copy", n)
	}
}

// TestForgottenFillersAreTakenBack copies records while the sync.Pool
// cache forgets its fillers (two collections empty it, and under the race
// detector it drops a quarter of what it is given at random). The copies
// must still fill whole blocks: a new block only when the last is full.
func TestForgottenFillersAreTakenBack(t *testing.T) {
	const n, size = 2000, 200
	var p Pool
	rec := bytes.Repeat([]byte{'r'}, size)
	kept := make([]string, 0, n)
	starts := 0 // copies not carved right after the one before
	for i := range n {
		if i%100 == 0 {
			runtime.GC()
			runtime.GC()
		}
		s := p.String(rec)
		if i > 0 {
			prev := kept[i-1]
			if unsafe.StringData(s) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(prev)), len(prev))) {
				starts++
			}
		}
		kept = append(kept, s)
	}
	if full := n * size / blockSize; starts > full+1 {
		t.Fatalf("%d blocks started for %d bytes of copies; %d would hold them", starts+1, n*size, full+1)
	}
	if len(p.all) != 1 {
		t.Fatalf("%d fillers made for one goroutine", len(p.all))
	}
}

// BenchmarkString compares with string conversion while the copies are
// kept, as a Shipper's queue keeps them when uploads fall behind.
func BenchmarkString(b *testing.B) {
	msg := bytes.Repeat([]byte{'x'}, 200)
	var p Pool
	for _, c := range []struct {
		name string
		copy func([]byte) string
	}{
		{"string", func(b []byte) string { return string(b) }},
		{"textblock", p.String},
	} {
		b.Run(c.name, func(b *testing.B) { benchKept(b, func() string { return c.copy(msg) }) })
	}
}

// benchKept measures copy while what it returns is kept, as a Shipper's
// queue keeps messages when uploads fall behind.
func benchKept(b *testing.B, copy func() string) {
	kept := make([]string, 0, 1<<16)
	b.ReportAllocs()
	for b.Loop() {
		if len(kept) == cap(kept) {
			kept = make([]string, 0, 1<<16)
		}
		kept = append(kept, copy())
	}
}

// BenchmarkAppend measures the cost of one record encoded in place, the
// hot path of every log call through an adapter that uses Append.
func BenchmarkAppend(b *testing.B) {
	msg := bytes.Repeat([]byte{'x'}, 200)
	fill := func(dst []byte) []byte { return append(dst, msg...) }
	var p Pool
	benchKept(b, func() string { return p.Append(fill) })
}

// TestPoolsKeepApart checks that two Pools never carve from one block, so
// that records kept for one Shipper cannot pin another's.
func TestPoolsKeepApart(t *testing.T) {
	var a, b Pool
	x := a.String([]byte("first"))
	y := b.String([]byte("second"))
	z := a.String([]byte("third"))
	px := uintptr(unsafe.Pointer(unsafe.StringData(x)))
	py := uintptr(unsafe.Pointer(unsafe.StringData(y)))
	pz := uintptr(unsafe.Pointer(unsafe.StringData(z)))
	if pz != px+uintptr(len(x)) {
		t.Skip("the pool was emptied between calls (a collection ran); nothing to compare")
	}
	if py >= px && py < px+blockSize {
		t.Fatal("the second Pool carved from the first Pool's block")
	}
}

// TestBlockEmptyCopies checks that an empty copy is the empty string
// whether or not the block has room left.
func TestBlockEmptyCopies(t *testing.T) {
	var k Block
	for range 3 {
		if s := k.String(nil, 8); s != "" {
			t.Fatalf("got %q", s)
		}
		k.String([]byte("12345678"), 8) // fills the block
	}
}
