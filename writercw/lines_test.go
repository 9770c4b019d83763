package writercw_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/writercw"
)

// TestLines writes bytes in the Writes of each case, reusing and then
// scribbling over one buffer as a caller may, closes the Writer and checks
// the messages stored, in order, and the lines counted and reported as
// split.
func TestLines(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	cases := []struct {
		name   string
		max    int // Options.MaxLineBytes; 0: the default
		writes []string
		want   []string
		split  int
	}{
		{"one line", 0, []string{"a\n"}, []string{"a"}, 0},
		{"several lines in one write", 0, []string{"a\nbb\nccc\n"}, []string{"a", "bb", "ccc"}, 0},
		{"a line across writes", 0, []string{"ab", "c", "d\n"}, []string{"abcd"}, 0},
		{"lines across writes", 0, []string{"a\nb", "c\nd", "\ne\n"}, []string{"a", "bc", "d", "e"}, 0},
		{"crlf", 0, []string{"a\r\n", "b\r", "\n", "c\r\r\n"}, []string{"a", "b", "c\r"}, 0},
		{"lone cr kept", 0, []string{"a\rb\n", "\rc\n"}, []string{"a\rb", "\rc"}, 0},
		{"empty lines skipped", 0, []string{"\n\n", "\r\n", "a\n\n", "\r", "\n"}, []string{"a"}, 0},
		{"blank line kept", 0, []string{" \n", "\t\n"}, []string{" ", "\t"}, 0},
		{"zero-byte writes", 0, []string{"", "a", "", "b\n", ""}, []string{"ab"}, 0},
		{"final partial line sent at close", 0, []string{"a\nb"}, []string{"a", "b"}, 0},
		{"final cr dropped at close", 0, []string{"a\nb\r"}, []string{"a", "b"}, 0},
		{"nothing written", 0, nil, nil, 0},
		{"long line in one write is whole", 4, []string{"abcdefgh\n"}, []string{"abcdefgh"}, 0},
		{"long line ended in the write after a short start is whole", 4, []string{"abc", "defghij\n"}, []string{"abcdefghij"}, 0},
		{"line over the bound, in parts", 4, []string{"abc", "defgh", "ij\n"}, []string{"abcd", "efgh", "ij"}, 1},
		{"line over the bound, cut straight from one write", 4, []string{"abcdefghij"}, []string{"abcd", "efgh", "ij"}, 1},
		{"line over the bound, then more lines", 4, []string{"abcdef", "gh\nij\nk"}, []string{"abcd", "efgh", "ij", "k"}, 1},
		{"cr at the bound waits for its newline", 4, []string{"abcd\r", "\n"}, []string{"abcd"}, 0},
		{"cr at the bound then the end of the line", 4, []string{"abcd\r", "e\n"}, []string{"abcd\re"}, 0},
		{"cr at the bound then more", 4, []string{"abcd\r", "e", "\n"}, []string{"abcd", "\re"}, 1},
		{"cut keeps characters whole", 5, []string{"aé€x€", "\n"}, []string{"aé", "€x", "€"}, 1},
		{"two long lines", 4, []string{"abcde", "\nfghij", "\n"}, []string{"abcd", "e", "fghi", "j"}, 2},
		{"default bound", 0, []string{x(100 << 10), x(100 << 10), x(100 << 10), "\n"}, []string{x(256 << 10), x(44 << 10)}, 1},
		{"default bound, one write", 0, []string{x(300<<10) + "\n"}, []string{x(300 << 10)}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var reports shiptest.Errors
			srv, s, stream := start(t, func(cfg *core.Config) {
				cfg.Concurrency = 1 // stored in the order added
				cfg.OnError = reports.Add
			})
			w := writercw.New(s, &writercw.Options{MaxLineBytes: c.max})
			var buf []byte
			for _, p := range c.writes {
				buf = append(buf[:0], p...)
				if n, err := w.Write(buf); n != len(p) || err != nil {
					t.Fatalf("Write(%.20q) = %d, %v; want %d, nil", p, n, err, len(p))
				}
				for i := range buf {
					buf[i] = '#' // the Writer must have kept nothing of it
				}
			}
			if err := w.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			got := messages(stored(t, srv, s, stream))
			if !slices.Equal(got, c.want) {
				t.Errorf("stored %s\nwant %s", brief(got), brief(c.want))
			}
			if n := w.Stats().Split; n != uint64(c.split) {
				t.Errorf("Stats().Split = %d, want %d", n, c.split)
			}
			splits := 0
			for _, err := range reports.All() {
				var se *writercw.SplitLineError
				if errors.As(err, &se) {
					splits++
					if want := max(c.max, 4); c.max != 0 && se.MaxLineBytes != want {
						t.Errorf("reported MaxLineBytes %d, want %d", se.MaxLineBytes, want)
					}
				}
			}
			if splits != c.split {
				t.Errorf("%d split lines reported, want %d: %v", splits, c.split, reports.All())
			}
		})
	}
}

// brief quotes messages, abbreviating long ones.
func brief(msgs []string) string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		if len(m) > 40 {
			out[i] = fmt.Sprintf("%.20q...(%d bytes)", m, len(m))
		} else {
			out[i] = fmt.Sprintf("%q", m)
		}
	}
	return "[" + strings.Join(out, " ") + "]"
}
