package core

const (
	blockSize = 512 // entries: little waste at either end, few links
	// maxSpareBlocks keeps a largest batch's worth of emptied blocks, so
	// that a steady state allocates none.
	maxSpareBlocks = maxBatchEvents/blockSize + 2
)

type block struct {
	es    [blockSize]entry
	next  *block
	since int64 // clock reading when the first entry was pushed
}

// fifo is the queue of accepted entries, in arrival order, grown a block at
// a time so that a push never copies what is queued (millions, in an
// outage, under the Shipper's lock). Each block notes when its first entry
// arrived: one clock reading per block, erring early.
type fifo struct {
	clock      func() int64 // nil: blocks are not timed
	head, tail *block
	hi, ti     int    // next index to pop in head, next free index in tail
	n          int    // entries queued
	spare      *block // emptied blocks kept for reuse, linked by next
	spares     int    // how many
}

func (q *fifo) len() int { return q.n }

// since returns when the front entry arrived, or earlier; q must not be empty.
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
// (after shrink), so that it is sent and refused on its own.
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

// pop removes the front entry; q must not be empty.
func (q *fifo) pop() entry {
	e := q.head.es[q.hi]
	q.head.es[q.hi] = entry{} // let the message be collected
	q.hi++
	q.n--
	if q.n == 0 {
		if q.head == q.tail {
			q.keep(q.head)
		}
		q.head, q.tail, q.hi, q.ti = nil, nil, 0, 0
	} else if q.hi == blockSize {
		old := q.head
		q.head, q.hi = old.next, 0
		q.keep(old)
	}
	return e
}

func (q *fifo) keep(b *block) {
	if q.spares < maxSpareBlocks {
		b.next = q.spare
		q.spare = b
		q.spares++
	} else {
		b.next = nil
	}
}

func (q *fifo) popInto(dst []entry) {
	for i := range dst {
		dst[i] = q.pop()
	}
}
