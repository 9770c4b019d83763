// Package jsonstr escapes and unescapes runs of JSON string text sixteen
// bytes at a time with vector instructions, where the CPU has them.
//
// Log records are often JSON themselves, so as a JSON string they hold an
// escaped quote every few bytes. Handled a byte or a word at a time, each
// quote costs a branch the CPU mispredicts; here a whole chunk's quotes
// cost one byte shuffle, from a table keyed by their positions. The
// functions do only the common case, ASCII with quotes, backslashes and
// slashes, and stop where anything else begins, for the caller's own code
// to go on from.
package jsonstr

// ChunkSize is how many bytes EscapeChunks and UnescapeChunks take at a
// time; they only ever take whole chunks. Where a call stops, the chunk
// there holds something only the caller's own code handles, so callers
// handle at least the next ChunkSize bytes themselves before calling
// again: text dense with such bytes then does not pay for calls that give
// up at once.
const ChunkSize = 16

// Settings lists the values a caller's switch for the vector code can
// take on this machine: false, and true where Available. Tests run each,
// so that both the vector code and the caller's own are checked here.
func Settings() []bool {
	if Available {
		return []bool{false, true}
	}
	return []bool{false}
}
