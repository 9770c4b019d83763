package core

// blockSize is how many entries one block of the queue holds: 12 KiB, small
// enough to waste little at either end, large enough that links are rare.
const blockSize = 512

// maxSpareBlocks is how many emptied blocks a queue keeps for reuse: those
// of one largest batch, so that taking a batch and queueing the next
// allocates no blocks in a Shipper's steady state.
const maxSpareBlocks = maxBatchEvents/blockSize + 2

type block struct {
	es    [blockSize]entry
	next  *block
	since int64 // clock reading when the first entry was pushed
}

// fifo is the queue of accepted entries, in arrival order. It grows a block
// at a time, so a push never copies what is queued (a long outage can queue
// millions of entries, and the copy would happen under the Shipper's lock)
// and memory stays within one block of what is held, plus the spares.
//
// Each block notes when its first entry arrived, so that the worker knows
// how long the front of the queue has waited at the cost of one clock
// reading per block: entries further into the front block arrived later,
// so the front block's time errs on the early side.
type fifo struct {
	clock      func() int64 // nil: blocks are not timed
	head, tail *block
	hi, ti     int    // next index to pop in head, next free index in tail
	n          int    // entries queued
	spare      *block // emptied blocks kept for reuse, linked by next
	spares     int    // how many
}

func (q *fifo) len() int { return q.n }

// since returns when the front entry arrived, or earlier; the queue must
// not be empty.
func (q *fifo) since() int64 { return q.head.since }

func (q *fifo) push(e entry) {
	if q.tail == nil || q.ti == blockSize {
		b := q.spare
		if b != nil {
			q.spare, b.next = b.next, nil
			q.spares--
		} else {
			b = new(block)
		}
		if q.tail == nil {
			q.head, q.hi = b, 0
		} else {
			q.tail.next = b
		}
		q.tail, q.ti = b, 0
		if q.clock != nil {
			b.since = q.clock()
		}
	}
	q.tail.es[q.ti] = e
	q.ti++
	q.n++
}

// prefix returns how many entries from the front fit within maxEvents and
// maxBytes, and their size: at least one, even one larger than maxBytes
// (after an endpoint lowered the limit), so that it can be sent and
// refused on its own.
func (q *fifo) prefix(maxEvents, maxBytes int) (n, size int) {
	b, j := q.head, q.hi
	for n < q.n && n < maxEvents {
		if j == blockSize {
			b, j = b.next, 0
		}
		sz := b.es[j].size()
		if size+sz > maxBytes && n > 0 {
			break
		}
		size += sz
		n++
		j++
	}
	return n, size
}

// pop removes and returns the front entry; the queue must not be empty.
func (q *fifo) pop() entry {
	e := q.head.es[q.hi]
	q.head.es[q.hi] = entry{} // let the message be collected
	q.hi++
	q.n--
	if q.n == 0 {
		q.reset()
	} else if q.hi == blockSize {
		old := q.head
		q.head, q.hi = old.next, 0
		q.keep(old)
	}
	return e
}

// keep adds an emptied block to the spares, if there is room.
func (q *fifo) keep(b *block) {
	if q.spares < maxSpareBlocks {
		b.next = q.spare
		q.spare = b
		q.spares++
	} else {
		b.next = nil
	}
}

// popInto moves the front len(dst) entries into dst.
func (q *fifo) popInto(dst []entry) {
	for i := range dst {
		dst[i] = q.pop()
	}
}

func (q *fifo) reset() {
	if q.head != nil && q.head == q.tail {
		q.keep(q.head)
	}
	q.head, q.tail, q.hi, q.ti, q.n = nil, nil, 0, 0, 0
}
