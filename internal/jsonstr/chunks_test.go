package jsonstr

import (
	"strings"
	"testing"
)

// The kernels' results are checked byte for byte against the code that
// calls them, which works without them: core's escaping against the SDK's,
// the test endpoint's decoding against encoding/json, both ways. These
// tests check where each stops, so that the vector code is known to do
// the work those comparisons credit it with.

func TestEscapeChunksStops(t *testing.T) {
	if !Available {
		t.Skip("no vector code on this machine")
	}
	for _, c := range []struct {
		src         string
		read, wrote int
	}{
		{strings.Repeat(`a"`, 16), 32, 48},
		{strings.Repeat(`\`, 16), 16, 32},
		{strings.Repeat("x", 40), 32, 32},
		{strings.Repeat("x", 16) + "\n" + strings.Repeat("x", 30), 16, 16},
		{strings.Repeat("x", 16) + "\x7f" + strings.Repeat("x", 30), 16, 16},
		{strings.Repeat("x", 31) + "é" + strings.Repeat("x", 30), 16, 16},
		{strings.Repeat("x", 15), 0, 0},
	} {
		dst := make([]byte, 128)
		if r, w := EscapeChunks(dst, c.src); r != c.read || w != c.wrote {
			t.Errorf("%q: read %d, wrote %d; want %d, %d", c.src, r, w, c.read, c.wrote)
		}
	}
	// Room for the widest result of one chunk, and not of two.
	if r, w := EscapeChunks(make([]byte, 63), strings.Repeat(`"`, 32)); r != 16 || w != 32 {
		t.Errorf("63 bytes of room: read %d, wrote %d; want 16, 32", r, w)
	}
}

func TestUnescapeChunksStops(t *testing.T) {
	if !Available {
		t.Skip("no vector code on this machine")
	}
	for _, c := range []struct {
		src         string
		read, wrote int
	}{
		// Chunks ending in a backslash decode fifteen bytes; the last
		// few bytes, less than a chunk, are left.
		{strings.Repeat(`a\"`, 16), 46, 31},
		{strings.Repeat(`\/b`, 16), 45, 30},
		{strings.Repeat("x", 15) + `\"` + strings.Repeat("x", 30), 47, 46},
		{strings.Repeat("x", 40), 32, 32},
		{strings.Repeat("x", 16) + `\\` + strings.Repeat("x", 30), 16, 16},
		{strings.Repeat("x", 14) + `\\` + strings.Repeat("x", 30), 0, 0},
		{strings.Repeat("x", 16) + `\n` + strings.Repeat("x", 30), 16, 16},
		{strings.Repeat("x", 20) + `"` + strings.Repeat("x", 30), 16, 16},
		{strings.Repeat("x", 16) + "é" + strings.Repeat("x", 30), 16, 16},
	} {
		dst := make([]byte, 128)
		if r, w := UnescapeChunks(dst, []byte(c.src)); r != c.read || w != c.wrote {
			t.Errorf("%q: read %d, wrote %d; want %d, %d", c.src, r, w, c.read, c.wrote)
		}
	}
	if r, w := UnescapeChunks(make([]byte, 31), []byte(strings.Repeat("x", 64))); r != 16 || w != 16 {
		t.Errorf("31 bytes of room: read %d, wrote %d; want 16, 16", r, w)
	}
}
