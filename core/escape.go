package core

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"

	"github.com/cwlog/cwlog/internal/jsonstr"
)

// vectorEscape is whether putEscaped hands runs of plain ASCII, quotes and
// backslashes to jsonstr.EscapeChunks: a variable so that tests can run
// the word-at-a-time path too.
var vectorEscape = jsonstr.Available

// The SDK's JSON string escaping, which putEscaped and escapedLen
// reproduce: '"' and '\' get a backslash; \n, \r and \t their short
// escapes; every other byte below 0x20, and DEL, \u00xx in lower-case hex;
// U+2028 and U+2029 \u2028 and \u2029; each byte that is not part of valid
// UTF-8 the three bytes of U+FFFD; everything else, '/', '<', '>' and '&'
// included, as is.

// asciiExtra is how many bytes escaping adds to each ASCII byte.
var asciiExtra = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			t[c] = 1
		case c < 0x20 || c == 0x7f:
			t[c] = 5
		}
	}
	return t
}()

const (
	lanes01 = 0x0101010101010101
	lanes7f = 0x7f7f7f7f7f7f7f7f
	lanes80 = 0x8080808080808080
)

// load64 reads s[i:i+8] as a little-endian word, so byte i+k is lane k;
// the compiler makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// eqMask sets the high bit of exactly the lanes of w that equal c. Unlike
// the usual has-zero trick it has no false positives, so it can be counted.
func eqMask(w uint64, c byte) uint64 {
	x := w ^ lanes01*uint64(c)
	return ^((x&lanes7f + lanes7f) | x) & lanes80
}

// wordMasks classifies the eight bytes of w. quote marks '"' and '\';
// other marks everything else that is not copied as is: bytes of multi-byte
// UTF-8, bytes below 0x20 and DEL.
func wordMasks(w uint64) (quote, other uint64) {
	below20 := ^(w&lanes7f + lanes01*(0x80-0x20)) & lanes80
	quote = eqMask(w, '"') | eqMask(w, '\\')
	other = w&lanes80 | below20 | eqMask(w, 0x7f)
	return quote, other
}

// escapedLen is the length of s escaped, without its quotes.
func escapedLen(s string) int {
	n := len(s)
	i := 0
	for i < len(s) {
		if i+8 <= len(s) {
			quote, other := wordMasks(load64(s, i))
			if other == 0 {
				n += bits.OnesCount64(quote)
				i += 8
				continue
			}
			k := bits.TrailingZeros64(other) &^ 7
			n += bits.OnesCount64(quote & (1<<k - 1))
			i += k >> 3
		}
		c := s[i]
		if c < utf8.RuneSelf {
			n += int(asciiExtra[c])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			n += len(string(utf8.RuneError)) - 1
		case r == '\u2028' || r == '\u2029':
			n += len(`\u2028`) - size
		}
		i += size
	}
	return n
}

// maxEscapedLen bounds escapedLen(s)+2 without reading s: a byte escapes
// to at most six.
func maxEscapedLen(s string) int { return 6*len(s) + 2 }

// escapeSlack is the room putEscaped needs past the end of what it
// writes: it stores whole words, and the lanes past the escaped text are
// left as garbage for whatever is written next.
const escapeSlack = 8

const hexDigits = "0123456789abcdef"

// appendEscaped appends s to b as a JSON string, escaped as the SDK does.
func appendEscaped(b []byte, s string) []byte {
	n := escapedLen(s) + 2
	if cap(b)-len(b) < n+escapeSlack {
		b = append(make([]byte, 0, len(b)+n+escapeSlack), b...)
	}
	return b[:len(b)+putEscaped(b[len(b):cap(b)], s)]
}

// putEscaped writes s as a JSON string, quotes included and escaped as the
// SDK does, at the start of dst, and returns how many bytes that took:
// escapedLen(s)+2. dst must have escapeSlack bytes of room beyond those.
//
// Where the CPU allows, runs of ASCII with quotes and backslashes go to
// jsonstr.EscapeChunks, sixteen bytes at a time. The rest goes a word at a
// time (see putWord), and so do the jsonstr.ChunkSize bytes after a chunk
// EscapeChunks left, as its documentation asks.
func putEscaped(dst []byte, s string) int {
	dst[0] = '"'
	j := 1
	i := 0
	if vectorEscape {
		for len(s)-i >= jsonstr.ChunkSize {
			r, w := jsonstr.EscapeChunks(dst[j:], s[i:])
			i += r
			j += w
			for end := i + jsonstr.ChunkSize; i < end && i+8 <= len(s); {
				j, i = putWord(dst, j, s, i)
			}
		}
	}
	for i+8 <= len(s) {
		if clean := cleanWords(s, i); clean > i+8 {
			// Several clean words: copy them at once.
			j += copy(dst[j:], s[i:clean])
			i = clean
			continue
		}
		j, i = putWord(dst, j, s, i)
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst[j] = '\\'
			dst[j+1] = c
			j += 2
			i++
		case c >= utf8.RuneSelf || asciiExtra[c] != 0:
			j, i = putSpecial(dst, j, s, i)
		default:
			dst[j] = c
			j++
			i++
		}
	}
	dst[j] = '"'
	return j + 1
}

// cleanWords returns where the run of whole words from s[i:] that need no
// escaping ends.
func cleanWords(s string, i int) int {
	for i+8 <= len(s) {
		if q, o := wordMasks(load64(s, i)); q|o != 0 {
			break
		}
		i += 8
	}
	return i
}

// putWord escapes the word at s[i:], which must hold eight bytes, into
// dst[j:], up to and including the first byte needing more than a
// backslash, and returns the positions after what it did in dst and s.
// Each quote or backslash costs one store more; any other byte to escape,
// and each multi-byte character, is handled on its own.
func putWord(dst []byte, j int, s string, i int) (int, int) {
	w := load64(s, i)
	quote, other := wordMasks(w)
	plain := 8 // lanes before the first byte needing more than a backslash
	if other != 0 {
		plain = bits.TrailingZeros64(other) >> 3
		quote &= 1<<(8*plain) - 1
	}
	left := plain
	for quote != 0 {
		k := bits.TrailingZeros64(quote) >> 3
		binary.LittleEndian.PutUint64(dst[j:], w)
		j += k
		dst[j] = '\\'
		dst[j+1] = byte(w >> (8 * k))
		j += 2
		w >>= 8 * (k + 1)
		quote >>= 8 * (k + 1)
		left -= k + 1
	}
	binary.LittleEndian.PutUint64(dst[j:], w)
	j += left
	i += plain
	if plain < 8 {
		j, i = putSpecial(dst, j, s, i)
	}
	return j, i
}

// putSpecial writes the escaped form of the control byte or the character
// starting at s[i], neither a quote nor a backslash, at dst[j:], and
// returns the positions after it in dst and s.
func putSpecial(dst []byte, j int, s string, i int) (int, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		switch c {
		case '\n':
			c = 'n'
		case '\r':
			c = 'r'
		case '\t':
			c = 't'
		default:
			copy(dst[j:], []byte{'\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf]})
			return j + 6, i + 1
		}
		dst[j] = '\\'
		dst[j+1] = c
		return j + 2, i + 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size == 1:
		return j + utf8.EncodeRune(dst[j:], utf8.RuneError), i + 1
	case r == '\u2028' || r == '\u2029':
		copy(dst[j:], []byte{'\\', 'u', '2', '0', '2', hexDigits[r&0xf]})
		return j + 6, i + size
	}
	return j + copy(dst[j:], s[i:i+size]), i + size
}
