package jsonenc

import (
	"math"
	"strconv"
)

// AppendFloat appends f as encoding/json encodes a float of bits bits (32
// or 64): the shortest representation that reads back as the same value,
// in exponent form only below 1e-6 or from 1e21 on (compared at that
// width), with a two-digit negative exponent trimmed to one digit. JSON
// has no NaN or infinity, and encoding/json refuses them with an error;
// the caller must check for them first, as AppendFloat would write them
// as strconv does.
func AppendFloat(b []byte, f float64, bits int) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
			bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// e-09 -> e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
