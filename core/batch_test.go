package core

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var serviceLimits = limits{bytes: maxBatchBytes, events: maxBatchEvents, span: maxSpanMillis}

// entries makes n entries of the given message length, all at time ts.
func entries(n, msgLen int, ts int64) []entry {
	es := make([]entry, n)
	msg := strings.Repeat("x", msgLen)
	for i := range es {
		es[i] = entry{ts: ts, msg: msg}
	}
	return es
}

// fill returns entries whose sizes add up to exactly total bytes.
func fill(total int) []entry {
	const each = 1000
	n := total/(each+eventOverhead) - 1
	es := entries(n, each, 1)
	rest := total - n*(each+eventOverhead) - eventOverhead
	if rest < 1 {
		panic("fill: remainder too small")
	}
	return append(es, entry{ts: 1, msg: strings.Repeat("y", rest)})
}

func TestCutBatch(t *testing.T) {
	atMax := fill(maxBatchBytes)
	overMax := append(fill(maxBatchBytes), entry{ts: 1, msg: "z"})
	tests := []struct {
		name string
		es   []entry
		want int
	}{
		{"empty", nil, 0},
		{"one", entries(1, 5, 1), 1},
		{"exactly 1048576 bytes", atMax, len(atMax)},
		{"one byte more than 1048576", func() []entry {
			es := fill(maxBatchBytes)
			es[len(es)-1].msg += "y"
			return es
		}(), len(atMax) - 1},
		{"1048576 bytes then more", overMax, len(atMax)},
		{"10000 events", entries(10_000, 1, 1), 10_000},
		{"10001 events", entries(10_001, 1, 1), 10_000},
		{"span exactly 24h", []entry{{0, "a"}, {maxSpanMillis, "b"}}, 2},
		{"span 24h + 1ms", []entry{{0, "a"}, {maxSpanMillis + 1, "b"}}, 1},
		{"multi-byte runes exactly at 1048576", runeFill(maxBatchBytes), len(runeFill(maxBatchBytes))},
		{"multi-byte runes one byte over 1048576", func() []entry {
			es := runeFill(maxBatchBytes)
			es[len(es)-1].msg += "a"
			return es
		}(), len(runeFill(maxBatchBytes)) - 1},
		{"invalid UTF-8 counted as sent", func() []entry {
			// 349,500 invalid bytes fit by raw length but are 1,048,500
			// bytes once each is U+FFFD; the next event no longer fits.
			return []entry{{1, sanitize(strings.Repeat("\xff", 349_500))}, {1, strings.Repeat("a", 100)}}
		}(), 1},
		{"largest event alone", entries(2, maxMessageBytes, 1), 1},
		{"largest event then a small one", append(entries(1, maxMessageBytes, 1), entry{1, "a"}), 1},
		{"one byte less than largest, then the smallest", append(entries(1, maxMessageBytes-eventOverhead-1, 1), entry{1, "a"}), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cutBatch(tt.es, serviceLimits)
			if got != tt.want {
				t.Fatalf("cutBatch = %d events, want %d", got, tt.want)
			}
			if got > 0 {
				checkBatch(t, tt.es[:got], serviceLimits)
			}
		})
	}
}

// checkBatch fails t unless batch keeps every PutLogEvents rule.
func checkBatch(t testing.TB, batch []entry, lim limits) {
	t.Helper()
	if len(batch) == 0 || len(batch) > lim.events {
		t.Fatalf("batch of %d events", len(batch))
	}
	if b := batchBytes(batch); b > lim.bytes {
		t.Fatalf("batch of %d bytes > %d", b, lim.bytes)
	}
	for i := range batch {
		if batch[i].msg == "" {
			t.Fatalf("event %d is empty", i)
		}
		if !utf8.ValidString(batch[i].msg) {
			t.Fatalf("event %d is not valid UTF-8", i)
		}
		if i > 0 && batch[i].ts < batch[i-1].ts {
			t.Fatalf("event %d out of order", i)
		}
	}
	if span := batch[len(batch)-1].ts - batch[0].ts; span > lim.span {
		t.Fatalf("batch spans %d ms", span)
	}
}

func TestSortEntriesIsStable(t *testing.T) {
	es := []entry{{3, "c1"}, {1, "a1"}, {3, "c2"}, {2, "b1"}, {1, "a2"}, {3, "c3"}}
	sortEntries(es)
	var got []string
	for _, e := range es {
		got = append(got, e.msg)
	}
	if want := "a1 a2 b1 c1 c2 c3"; strings.Join(got, " ") != want {
		t.Fatalf("sorted = %v, want %s", got, want)
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"valid", "héllo ✓", "héllo ✓"},
		{"one invalid byte", "a\xffb", "a\uFFFDb"},
		{"each invalid byte counts", "\xff\xfe", "\uFFFD\uFFFD"},
		{"truncated rune", "\xe2\x82", "\uFFFD\uFFFD"},
		{"surrogate half", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"nul and controls kept", "a\x00\x01\n", "a\x00\x01\n"},
		{"line separators kept", "\u2028\u2029", "\u2028\u2029"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sanitize(tt.in); got != tt.want {
				t.Fatalf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCutRunes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"fits", "abc", 3, "abc"},
		{"ascii", "abcdef", 4, "abcd"},
		{"before a 3-byte rune", "ab€", 4, "ab"},
		{"after a 3-byte rune", "ab€c", 5, "ab€"},
		{"4-byte runes", "😀😀", 7, "😀"},
		{"replacement char straddling", "a\uFFFDb", 3, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cutRunes(tt.in, tt.max); got != tt.want {
				t.Fatalf("cutRunes(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func timeMillis(ms int64) time.Time { return time.UnixMilli(ms) }

// runeFill returns entries of 3-byte runes whose sizes add up to total.
func runeFill(total int) []entry {
	const each = 999 // 333 runes
	n := total/(each+eventOverhead) - 1
	es := make([]entry, n)
	for i := range es {
		es[i] = entry{ts: 1, msg: strings.Repeat("€", each/3)}
	}
	rest := total - n*(each+eventOverhead) - eventOverhead
	last := strings.Repeat("€", rest/3) + strings.Repeat("a", rest%3)
	return append(es, entry{ts: 1, msg: last})
}

// batchBytes is the size of a batch as the service counts it.
func batchBytes(es []entry) int {
	n := 0
	for i := range es {
		n += es[i].size()
	}
	return n
}
