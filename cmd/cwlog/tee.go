package main

import (
	"bytes"
	"io"
)

// tee copies what a command writes to one of cwlog's own outputs and to the
// stream. It never fails, so the command never sees an error: an output
// that fails once (a reader that went away) is skipped from then on, and
// what the stream cannot take the Shipper counts and reports.
type tee struct {
	term io.Writer // nil after its first failure
	ship io.Writer
}

func (t *tee) Write(p []byte) (int, error) {
	if t.term != nil {
		if _, err := t.term.Write(p); err != nil {
			t.term = nil
		}
	}
	t.ship.Write(p)
	return len(p), nil
}

// prefixer writes prefix at the start of each line that is not empty, and
// the lines, to w, with one Write for each of its own.
type prefixer struct {
	w      io.Writer
	prefix []byte
	inLine bool   // the last Write ended inside a line
	buf    []byte // kept between Writes; w keeps no reference to it
}

func (p *prefixer) Write(b []byte) (int, error) {
	n := len(b)
	buf := p.buf[:0]
	for len(b) > 0 {
		if !p.inLine && b[0] != '\n' {
			buf = append(buf, p.prefix...)
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			buf = append(buf, b...)
			p.inLine = true
			break
		}
		buf = append(buf, b[:i+1]...)
		b = b[i+1:]
		p.inLine = false
	}
	p.buf = buf
	if _, err := p.w.Write(buf); err != nil {
		return 0, err
	}
	return n, nil
}
