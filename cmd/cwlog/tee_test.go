package main

import (
	"bytes"
	"strings"
	"testing"
)

// prefixAll is what a prefixer writes for in, whatever the Writes.
func prefixAll(prefix, in string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(in, "\n") {
		if line != "" && line[0] != '\n' {
			b.WriteString(prefix)
		}
		b.WriteString(line)
	}
	return b.String()
}

func FuzzPrefixer(f *testing.F) {
	f.Add("[stderr] ", "one\ntwo\n", 3)
	f.Add("> ", "\n\nthree\npart", 7)
	f.Add("E ", "a\r\n\r\nb", 0)
	f.Fuzz(func(t *testing.T, prefix, in string, cut int) {
		if cut < 0 || cut > len(in) {
			cut = len(in) / 2
		}
		var got bytes.Buffer
		p := &prefixer{w: &got, prefix: []byte(prefix)}
		for _, part := range []string{in[:cut], in[cut:]} {
			if n, err := p.Write([]byte(part)); n != len(part) || err != nil {
				t.Fatalf("Write(%q) = %d, %v", part, n, err)
			}
		}
		if want := prefixAll(prefix, in); got.String() != want {
			t.Errorf("prefix %q, %q cut at %d: wrote %q, want %q", prefix, in, cut, got.String(), want)
		}
	})
}
