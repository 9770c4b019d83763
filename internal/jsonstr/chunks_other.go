//go:build !amd64 || purego

package jsonstr

// Available reports whether EscapeChunks and UnescapeChunks do any work
// on this machine: on amd64 with SSSE3, unless built with the purego tag.
// Where they do not, they read nothing.
const Available = false

// EscapeChunks reads nothing here: see the amd64 version.
func EscapeChunks(dst []byte, src string) (read, written int) { return 0, 0 }

// UnescapeChunks reads nothing here: see the amd64 version.
func UnescapeChunks(dst, src []byte) (read, written int) { return 0, 0 }
