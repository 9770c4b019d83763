//go:build amd64 && !purego

package core

import "golang.org/x/sys/cpu"

// vectorEscape reports whether putEscaped hands runs of plain ASCII,
// quotes and backslashes to escapeChunks. JSON-shaped messages hold a
// quote every few bytes: escaped a word at a time, each quote costs a
// branch the CPU mispredicts, while escapeChunks inserts all of a chunk's
// backslashes with one byte shuffle (SSSE3). A variable so that tests can
// run the portable path too.
var vectorEscape = cpu.X86.HasSSSE3

// escapeChunks escapes src into dst sixteen bytes at a time, while the
// chunk read holds nothing but bytes copied as is, quotes and backslashes,
// and dst has room for the widest result; it returns how many bytes it
// read and wrote. It stops at the first chunk holding any other byte
// (control bytes, DEL, and every byte of non-ASCII UTF-8), and when fewer
// than sixteen bytes are left. It may write garbage up to eight bytes past
// what it wrote (escapeSlack).
//
//go:noescape
func escapeChunks(dst []byte, src string) (read, written int)

// escShuffle[m] is the PSHUFB control expanding eight bytes whose lanes
// in mask m are quotes or backslashes: each such lane is preceded by lane
// 8, which escapeChunks fills with a backslash. escLen[m] is how many
// bytes that writes. Both are read by escape_amd64.s.
var (
	escShuffle [256][16]byte
	escLen     [256]uint8
)

func init() {
	for m := range escShuffle {
		c := &escShuffle[m]
		n := 0
		for k := range 8 {
			if m>>k&1 != 0 {
				c[n] = 8
				n++
			}
			c[n] = byte(k)
			n++
		}
		for i := n; i < len(c); i++ {
			c[i] = 0x80 // zero: past the end, overwritten by what follows
		}
		escLen[m] = uint8(n)
	}
}
