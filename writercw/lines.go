package writercw

import (
	"bytes"
	"unicode/utf8"
)

// part is what the Writer hands the Shipper: a line, or a piece of one.
type part int

const (
	wholeLine  part = iota // a line, whole: its time field may be read
	firstPiece             // the first piece of a line held past the bound
	laterPiece             // a later piece of that line
)

// splitter holds the line a Writer's Writes have begun and not ended.
//
// A line is its bytes up to a '\n', or up to a flush, less a final '\r'.
// How the bytes were cut into Writes matters only in this: a line whose
// unfinished part, less a final '\r', is longer than max bytes at the end
// of some Write is sent in pieces, each what cutAt leaves of the front of
// the rest of the line; any other line is sent whole, however long.
type splitter struct {
	max int    // at least utf8.UTFMax
	buf []byte // the unfinished line's bytes not yet sent; at most max+1
	cut bool   // the unfinished line has been sent in part already
}

// write hands each line ended in p to w, and keeps the rest of p, sending
// pieces of it when it grows past the bound. It stops at the first error
// w.add returns, giving the bytes of p consumed before the line refused.
func (sp *splitter) write(w *Writer, p []byte) (int, error) {
	n := 0
	for {
		i := bytes.IndexByte(p[n:], '\n')
		if i < 0 {
			break
		}
		if err := sp.end(w, p[n:n+i]); err != nil {
			return n, err
		}
		n += i + 1
	}
	if err := sp.hold(w, p[n:]); err != nil {
		return n, err
	}
	return len(p), nil
}

// end ends the unfinished line with rest, the bytes before its '\n'.
func (sp *splitter) end(w *Writer, rest []byte) error {
	if sp.cut {
		// Cut the rest as it comes, then send what is left.
		if err := sp.hold(w, rest); err != nil {
			return err
		}
		last := trimCR(sp.buf)
		sp.buf, sp.cut = sp.buf[:0], false
		if len(last) == 0 {
			return nil
		}
		return w.add(last, nil, laterPiece)
	}
	head, tail := sp.buf, rest
	if len(tail) > 0 {
		tail = trimCR(tail)
	} else {
		head = trimCR(head)
	}
	sp.buf = sp.buf[:0]
	if len(head)+len(tail) == 0 {
		return nil
	}
	return w.add(head, tail, wholeLine)
}

// hold keeps q, the next bytes of the unfinished line, sending from the
// front of that line a piece of at most max bytes while more are held.
// One byte more is held when it is '\r', which may yet end the line.
func (sp *splitter) hold(w *Writer, q []byte) error {
	for {
		held := len(sp.buf) + len(q)
		if held <= sp.max || held == sp.max+1 && lastByte(sp.buf, q) == '\r' {
			sp.buf = append(sp.buf, q...)
			return nil
		}
		if len(sp.buf) == 0 {
			// Nothing held: cut straight from q.
			k := cutAt(q, sp.max)
			if err := sp.send(w, q[:k]); err != nil {
				return err
			}
			q = q[k:]
			continue
		}
		room := sp.max + 1 - len(sp.buf)
		sp.buf = append(sp.buf, q[:room]...)
		q = q[room:]
		k := cutAt(sp.buf, sp.max)
		if err := sp.send(w, sp.buf[:k]); err != nil {
			return err
		}
		sp.buf = sp.buf[:copy(sp.buf, sp.buf[k:])]
	}
}

func lastByte(a, b []byte) byte {
	if len(b) > 0 {
		return b[len(b)-1]
	}
	return a[len(a)-1]
}

// send sends one piece of the unfinished line.
func (sp *splitter) send(w *Writer, piece []byte) error {
	p := laterPiece
	if !sp.cut {
		p = firstPiece
		sp.cut = true
	}
	return w.add(piece, nil, p)
}

// flush ends the unfinished line, if any, as if a '\n' came.
func (sp *splitter) flush(w *Writer) error {
	if len(sp.buf) == 0 {
		return nil
	}
	return sp.end(w, nil)
}

// cutAt returns where to cut b, longer than max, into a piece of at most
// max bytes: before the character that crosses max, or at max if b holds
// no valid-looking character start there, so that every cut makes
// progress (max >= utf8.UTFMax) and none splits a valid character.
func cutAt(b []byte, max int) int {
	for i := max; i > max-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return max
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}
