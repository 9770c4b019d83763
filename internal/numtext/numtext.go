// Package numtext writes counts as people read them in the messages of the
// library and the command line: 1,234 events, 1 event.
package numtext

import "strconv"

// Thousands formats n with commas between groups of three digits.
func Thousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Count is n and the noun, one for 1 and many for any other n, as in
// "1 event" and "1,234 events".
func Count(n uint64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Thousands(n) + " " + many
}
