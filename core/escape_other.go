//go:build !amd64 || purego

package core

// vectorEscape is false where there is no vector escaper: putEscaped works
// a word at a time.
var vectorEscape = false

func escapeChunks(dst []byte, src string) (read, written int) { return 0, 0 }
