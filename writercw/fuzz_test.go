package writercw

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
)

// FuzzWrite writes text through a Writer to a Shipper on the local
// endpoint, in Writes whose lengths cuts gives in turn, then closes the
// Writer. The stored messages must be the lines of text, each whole or,
// if its unfinished part outgrew the bound at the end of a Write, in the
// pieces cutAt makes, and nothing else, in order; as many lines must be
// counted and reported as split.
func FuzzWrite(f *testing.F) {
	f.Add([]byte("a\nbb\r\nccc"), []byte{1, 4, 2}, uint8(0))
	f.Add([]byte("\n\n\r\n \nx\ry\n"), []byte{0, 3}, uint8(1))
	f.Add([]byte("abcdefghij\nklm\r\nnopqrstuvwxyz"), []byte{3, 5, 7}, uint8(0))
	f.Add([]byte("aé€x€\n\xff\xfe€€€€\n\xe2\x82"), []byte{2, 9}, uint8(1))
	f.Add([]byte("abcd\r\nabcd\re\n"), []byte{5, 1, 5}, uint8(0))
	fz := shiptest.NewFuzzEndpoint(f)

	f.Fuzz(func(t *testing.T, text, cuts []byte, bound uint8) {
		limit := 4 + int(bound%29)
		var ends []int // where each Write ends
		for at, i := 0, 0; at < len(text); i++ {
			n := 1
			if len(cuts) > 0 {
				n = int(cuts[i%len(cuts)] % 16) // 0: a Write of nothing
			}
			at = min(at+n, len(text))
			ends = append(ends, at)
			if i > 4*len(text)+4 {
				ends = append(ends, len(text)) // cuts of zeros
				break
			}
		}
		want, split := expectedLines(text, ends, limit)

		var reports shiptest.Errors
		var w *Writer
		got := fz.Ship(t, reports.Add, func(s *core.Shipper) {
			w = New(s, &Options{MaxLineBytes: limit})
			from := 0
			for _, end := range ends {
				if n, err := w.Write(text[from:end]); n != end-from || err != nil {
					t.Fatalf("Write = %d, %v; want %d, nil", n, err, end-from)
				}
				from = end
			}
			if err := w.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
		})
		if !slices.Equal(got, want) {
			t.Fatalf("bound %d, writes ending at %v of %q:\nstored %q\nwant   %q", limit, ends, text, got, want)
		}
		reported := 0
		for _, err := range reports.All() {
			var se *SplitLineError
			if !errors.As(err, &se) {
				t.Fatalf("unexpected report: %v", err)
			}
			reported++
		}
		if n := w.Stats().Split; n != uint64(split) || reported != split {
			t.Fatalf("%d lines counted and %d reported as split, want %d", n, reported, split)
		}
	})
}

// expectedLines returns the messages a Writer bounded by limit must store
// for text written in Writes ending at ends, and how many lines it splits:
// each line of text (up to a '\n' or the end, less a final '\r'), unless
// empty, as one message, or, if at some Write's end its unfinished part
// (less a final '\r') was longer than limit, as the pieces cutAt makes.
// Invalid UTF-8 is stored as U+FFFD, one per byte.
func expectedLines(text []byte, ends []int, limit int) (msgs []string, split int) {
	j := 0 // ends[j] is the first end after a
	for a := 0; a < len(text); {
		b, next := len(text), len(text)
		if i := slices.Index(text[a:], '\n'); i >= 0 {
			b, next = a+i, a+i+1
		}
		for j < len(ends) && ends[j] <= a {
			j++
		}
		cut := false
		for ; j < len(ends) && ends[j] <= b; j++ {
			cut = cut || len(trimCR(text[a:ends[j]])) > limit
		}
		rest := trimCR(text[a:b])
		if cut {
			split++
			for len(rest) > limit {
				k := cutAt(rest, limit)
				msgs = append(msgs, asSent(rest[:k]))
				rest = rest[k:]
			}
		}
		if len(rest) > 0 {
			msgs = append(msgs, asSent(rest))
		}
		a = next
	}
	return msgs, split
}

// asSent is b as CloudWatch stores it: each invalid byte as U+FFFD.
func asSent(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		sb.WriteRune(r) // RuneError for an invalid byte, n == 1
		b = b[n:]
	}
	return sb.String()
}
