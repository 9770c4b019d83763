//go:build amd64 && !purego

package jsonstr

import "golang.org/x/sys/cpu"

// Available reports whether EscapeChunks and UnescapeChunks do any work
// on this machine: on amd64 with SSSE3, unless built with the purego tag.
// Where they do not, they read nothing.
var Available = hasSSSE3

// hasSSSE3 is what the assembly checks before it uses PSHUFB.
var hasSSSE3 = cpu.X86.HasSSSE3

// EscapeChunks writes src into dst as the inside of a JSON string, sixteen
// bytes at a time, while each chunk read holds nothing but printable ASCII
// (DEL excluded), quotes and backslashes, which get a backslash each; and
// while dst has room for the widest result, 32 bytes. It returns how many
// bytes it read and wrote, and may write garbage up to eight bytes past
// those it wrote.
//
//go:noescape
func EscapeChunks(dst []byte, src string) (read, written int)

// UnescapeChunks decodes the inside of a JSON string from src into dst,
// sixteen bytes at a time, while each chunk read holds only printable
// ASCII, every backslash in it followed by '"' or '/', every quote so
// escaped and no backslash escaped; and while dst has room for sixteen
// bytes. A chunk whose last byte is a backslash is decoded without it, and
// the next one starts there. It returns how many bytes it read and wrote,
// and may write garbage up to eight bytes past those it wrote.
//
//go:noescape
func UnescapeChunks(dst, src []byte) (read, written int)

// The PSHUFB controls the assembly reads, indexed by a mask of eight
// lanes. escShuffle[m] copies eight bytes with lane 8, a backslash, before
// each lane set in m, escLen[m] bytes in all; unescShuffle[m] keeps the
// unescLen[m] lanes clear in m, in order. Lanes past those are zeroed.
var (
	escShuffle   [256][16]byte
	escLen       [256]uint8
	unescShuffle [256][8]byte
	unescLen     [256]uint8
)

func init() {
	for m := range 256 {
		esc, unesc := escShuffle[m][:0], unescShuffle[m][:0]
		for k := range byte(8) {
			if m>>k&1 != 0 {
				esc = append(esc, 8)
			} else {
				unesc = append(unesc, k)
			}
			esc = append(esc, k)
		}
		escLen[m], unescLen[m] = uint8(len(esc)), uint8(len(unesc))
		for i := len(esc); i < len(escShuffle[m]); i++ {
			escShuffle[m][i] = 0x80
		}
		for i := len(unesc); i < len(unescShuffle[m]); i++ {
			unescShuffle[m][i] = 0x80
		}
	}
}
