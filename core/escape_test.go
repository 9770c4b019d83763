package core

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cwlog/cwlog/internal/jsonstr"
)

// eachEscaper calls f once for each way putEscaped can work on this
// machine (jsonstr.Settings), with vectorEscape set to it and then put
// back.
func eachEscaper(f func(vector bool)) {
	saved := vectorEscape
	defer func() { vectorEscape = saved }()
	for _, v := range jsonstr.Settings() {
		vectorEscape = v
		f(v)
	}
}

// withEscapers runs f as a subtest for each way putEscaped can work.
func withEscapers(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	eachEscaper(func(vector bool) {
		name := "words"
		if vector {
			name = "chunks"
		}
		t.Run(name, f)
	})
}

// TestEscapeChunksAgreeWithWords puts each kind of byte at every lane of
// the chunks jsonstr.EscapeChunks reads, in runs of every length around
// the chunk size, and checks that both ways write the same bytes, into
// buffers with room to spare and with only the room putEscaped is
// promised.
func TestEscapeChunksAgreeWithWords(t *testing.T) {
	if !vectorEscape {
		t.Skip("no vector escaper on this machine")
	}
	saved := vectorEscape
	defer func() { vectorEscape = saved }()
	specials := []string{`"`, `\`, `\\`, `\"`, "\n", "\x00", "\x1f", "\x7f", "\x80", "é", "日", "\u2028", "\xff", "😀"}
	var msgs []string
	for n := range 50 {
		base := strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789", 2)[:n]
		msgs = append(msgs, base, strings.Repeat(`"`, n), strings.Repeat(`\`, n), strings.Repeat(`a"`, n))
		for k := 0; k <= n; k++ {
			for _, sp := range specials {
				msgs = append(msgs, base[:k]+sp+base[k:])
			}
		}
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"ab", "cdefgh", `"`, `\`, `":"`, `","`, "é", "\x01"}
	for range 5000 {
		var m strings.Builder
		for range rnd.IntN(60) {
			m.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		msgs = append(msgs, m.String())
	}
	for _, m := range msgs {
		exact := escapedLen(m) + 2
		vectorEscape = false
		want := make([]byte, exact+escapeSlack)
		want = want[:putEscaped(want, m)]
		vectorEscape = true
		for _, room := range []int{exact + escapeSlack, 2*exact + 64} {
			got := make([]byte, room)
			if n := putEscaped(got, m); n != exact || !bytes.Equal(got[:n], want) {
				t.Fatalf("%q with %d bytes of room: chunks wrote %q, words %q", m, room, got[:n], want)
			}
		}
	}
}
