// Package textblock copies encoded log records into strings without an
// allocation of their own.
//
// Each adapter encodes a record into a pooled buffer and must hand the
// Shipper a string that outlives that buffer. string(buf) allocates once per
// record, and while the Shipper's queue grows (uploads behind, or a burst)
// every such allocation takes fresh memory from the heap. Pool.String instead
// carves the copy out of a shared 32 KiB block, so a record costs a copy and
// an allocation is made once per block; Pool.Append lets an encoder write
// the record straight into the block, saving the copy too.
//
// A block stays alive while any string carved from it is referenced, so a
// Pool must serve records bound for one Shipper only: records queued by a
// Shipper that is holding events through an outage would otherwise pin
// blocks full of another Shipper's long delivered records. Within one
// Shipper, events are released in the order they were added, so blocks are
// released in order too: what the queue holds beyond its messages' bytes is
// the unused part of the blocks at its front and of the blocks being
// filled, one per P. No block is ever written where a string already points.
package textblock

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

const (
	// blockSize is the size of each shared block.
	blockSize = 32 << 10
	// maxShared is the longest copy carved from a block. Longer ones are
	// allocated on their own, so that a few of them cannot leave most of a
	// block unused.
	maxShared = 2 << 10
)

// A Block hands out copies carved from one block of memory at a time. A
// new block is started whenever the rest of the current one cannot hold a
// copy; the strings handed out keep the old one alive, and no byte is ever
// written where one of them points. The zero Block is ready to use; it
// must not be copied after use.
type Block struct{ buf []byte }

// String returns a copy of b, starting a new block of size bytes first if
// the current one has no room for it. size must be at least len(b).
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

// Append returns what fill appends to an empty slice, written in place
// into the block's free room when it fits there. Otherwise it is copied:
// into a new block of size bytes if it is at most shared bytes long, or
// on its own. If fill panics, the block is left as it was: what fill
// wrote lies in the free room, past every copy, and the next copy
// overwrites it.
func (k *Block) Append(fill func([]byte) []byte, size, shared int) string {
	room := k.buf[len(k.buf):]
	b := fill(room)
	switch {
	case len(b) == 0:
		return ""
	case cap(room) > 0 && cap(b) == cap(room) && unsafe.SliceData(b) == unsafe.SliceData(room):
		// Written in place: take it from the free room.
		k.buf = k.buf[:len(k.buf)+len(b)]
		return unsafe.String(&b[0], len(b))
	case len(b) > shared:
		return string(b)
	}
	return k.String(b, size)
}

// Reset lets the current block go: the next copy starts a new one.
func (k *Block) Reset() { k.buf = nil }

// A Pool hands out copies carved from its own blocks, the block being
// filled kept per P, so goroutines logging on different cores never share
// one. The zero Pool is ready to use; it must not be copied after use.
//
// The fillers of those blocks are cached in a sync.Pool, which may forget
// one at any time: at garbage collections, and at random under the race
// detector. A forgotten filler's block would leave its unused room pinned
// by the copies already in it, and a new one would be started at each
// loss. So the Pool also keeps every filler it made, and on a cache miss
// takes back one that is not in use before making another: the blocks
// being filled number at most the copies ever made at the same time.
type Pool struct {
	cache sync.Pool // of *filler, the fast way back to the same P's
	mu    sync.Mutex
	all   []*filler // every filler made
}

// filler is a Block that one String call at a time fills.
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
// into a block when it fits in the free room there, so that encoding a
// record into its string costs no copy. fill must only append to the
// slice it is given, whose room lies in a block past every copy handed
// out, and must not keep it. fill may panic: the Pool stays as it was.
func (p *Pool) Append(fill func([]byte) []byte) string {
	f := p.get()
	// Deferred because fill runs the caller's code, such as a ReplaceAttr,
	// and a panic recovered above would otherwise leave f in use for
	// good, with its block, and start another at the next call.
	defer p.put(f)
	return f.blk.Append(fill, blockSize, maxShared)
}

// get returns a filler marked in use by the caller.
func (p *Pool) get() *filler {
	f, _ := p.cache.Get().(*filler)
	if f == nil || !f.inUse.CompareAndSwap(false, true) {
		f = p.idle()
	}
	return f
}

// put gives back a filler from get.
func (p *Pool) put(f *filler) {
	f.inUse.Store(false)
	p.cache.Put(f)
}

// idle returns a filler no String call is using, marked in use: one the
// cache forgot, or else a new one.
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
