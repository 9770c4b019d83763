// Package textblock copies encoded log records into strings carved out of
// shared 32 KiB blocks, rather than one allocation per record.
//
// A block lives while any string carved from it does, so a Pool must serve
// one Shipper only, which releases events, and so blocks, in the order
// they were added; a Shipper holding events through an outage would
// otherwise pin blocks of another's long delivered records.
package textblock

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

const (
	blockSize = 32 << 10
	// maxShared is the longest copy carved from a block; longer ones are
	// allocated alone, so that a few cannot leave most of a block unused.
	maxShared = 2 << 10
)

// A Block hands out copies carved from one block of memory at a time. No
// byte is written where a copy points. The zero Block is ready to use; it
// must not be copied after use.
type Block struct{ buf []byte }

// String returns a copy of b, in a new block of size >= len(b) bytes if
// the current one has no room.
func (k *Block) String(b []byte, size int) string {
	if len(b) == 0 {
		return ""
	}
	if cap(k.buf)-len(k.buf) < len(b) {
		k.buf = make([]byte, 0, size)
	}
	n := len(k.buf)
	k.buf = append(k.buf, b...)
	return unsafe.String(&k.buf[n], len(b))
}

// A Pool hands out copies carved from its own blocks, one being filled per
// P. The zero Pool is ready to use; it must not be copied after use.
//
// A sync.Pool may drop a filler at any GC, leaving its block's room pinned
// and starting a new block at each loss, so the Pool also keeps every
// filler it made and on a miss reuses an idle one.
type Pool struct {
	cache sync.Pool // of *filler
	mu    sync.Mutex
	all   []*filler
}

type filler struct {
	blk   Block
	inUse atomic.Bool
}

// String returns a copy of b. The caller may reuse b at once.
func (p *Pool) String(b []byte) string {
	if len(b) == 0 || len(b) > maxShared {
		return string(b)
	}
	f := p.get()
	s := f.blk.String(b, blockSize)
	p.put(f)
	return s
}

// Append returns what fill appends to an empty slice, written straight
// into a block's free room when it fits, so that it costs no copy. fill
// must only append to the slice it is given and must not keep it. If fill
// panics the Pool is left as it was: what fill wrote lies past every copy
// handed out, and the next one overwrites it.
func (p *Pool) Append(fill func([]byte) []byte) string {
	f := p.get()
	// Deferred: a recovered panic in fill must not leave f in use.
	defer p.put(f)
	k := &f.blk
	room := k.buf[len(k.buf):]
	b := fill(room)
	switch {
	case len(b) == 0:
		return ""
	case cap(room) > 0 && cap(b) == cap(room) && unsafe.SliceData(b) == unsafe.SliceData(room):
		// Written in place: take it from the free room.
		k.buf = k.buf[:len(k.buf)+len(b)]
		return unsafe.String(&b[0], len(b))
	case len(b) > maxShared:
		return string(b)
	}
	return k.String(b, blockSize)
}

// get returns a filler marked in use.
func (p *Pool) get() *filler {
	f, _ := p.cache.Get().(*filler)
	if f == nil || !f.inUse.CompareAndSwap(false, true) {
		f = p.idle()
	}
	return f
}

func (p *Pool) put(f *filler) {
	f.inUse.Store(false)
	p.cache.Put(f)
}

// idle returns a filler the cache dropped, or a new one, marked in use.
func (p *Pool) idle() *filler {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.all {
		if f.inUse.CompareAndSwap(false, true) {
			return f
		}
	}
	f := new(filler)
	f.inUse.Store(true)
	p.all = append(p.all, f)
	return f
}
