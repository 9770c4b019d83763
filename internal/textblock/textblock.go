// Package textblock copies encoded log records into strings without an
// allocation of their own.
//
// Each adapter encodes a record into a pooled buffer and must hand the
// Shipper a string that outlives that buffer. string(buf) allocates once per
// record, and while the Shipper's queue grows (uploads behind, or a burst)
// every such allocation takes fresh memory from the heap. String instead
// carves the copy out of a shared 32 KiB block, so a record costs a copy and
// an allocation is made once per block.
//
// A block stays alive while any string carved from it is referenced. A
// Shipper releases its events in the order it received them, so blocks are
// released in order too: what the queue holds beyond its messages' bytes is
// the unused part of the block at its front and of the block being filled,
// one per P. No block is ever written where a string already points.
package textblock

import (
	"sync"
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

// block is the part of a shared block still to be handed out: buf's
// length is what is taken, its capacity the end of the block.
type block struct{ buf []byte }

// blocks holds the block being filled, one per P, so goroutines logging on
// different cores never share one.
var blocks = sync.Pool{New: func() any { return new(block) }}

// String returns a copy of b. The caller may reuse b at once.
func String(b []byte) string {
	if len(b) == 0 || len(b) > maxShared {
		return string(b)
	}
	blk := blocks.Get().(*block)
	if cap(blk.buf)-len(blk.buf) < len(b) {
		blk.buf = make([]byte, 0, blockSize)
	}
	n := len(blk.buf)
	blk.buf = append(blk.buf, b...)
	s := unsafe.String(&blk.buf[n], len(b))
	blocks.Put(blk)
	return s
}
