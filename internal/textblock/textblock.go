// Package textblock copies encoded log records into strings without an
// allocation of their own.
//
// Each adapter encodes a record into a pooled buffer and must hand the
// Shipper a string that outlives that buffer. string(buf) allocates once per
// record, and while the Shipper's queue grows (uploads behind, or a burst)
// every such allocation takes fresh memory from the heap. Pool.String instead
// carves the copy out of a shared 32 KiB block, so a record costs a copy and
// an allocation is made once per block.
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
	"strings"
	"sync"
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
//
// It fills a strings.Builder, because that grows without zeroing memory
// about to be overwritten, and its String hands out what was written
// without a copy.
type Block struct{ sb strings.Builder }

// String returns a copy of b, starting a new block of size bytes first if
// the current one has no room for it. size must be at least len(b).
func (k *Block) String(b []byte, size int) string {
	if k.sb.Cap()-k.sb.Len() < len(b) {
		k.sb.Reset()
		k.sb.Grow(size)
	}
	n := k.sb.Len()
	k.sb.Write(b)
	return k.sb.String()[n:]
}

// Reset lets the current block go: the next copy starts a new one.
func (k *Block) Reset() { k.sb.Reset() }

// A Pool hands out copies carved from its own blocks, the block being
// filled kept per P, so goroutines logging on different cores never share
// one. The zero Pool is ready to use; it must not be copied after use.
type Pool struct {
	blocks sync.Pool // of *Block
}

// String returns a copy of b. The caller may reuse b at once.
func (p *Pool) String(b []byte) string {
	if len(b) == 0 || len(b) > maxShared {
		return string(b)
	}
	blk, _ := p.blocks.Get().(*Block)
	if blk == nil {
		blk = new(Block)
	}
	s := blk.String(b, blockSize)
	p.blocks.Put(blk)
	return s
}
