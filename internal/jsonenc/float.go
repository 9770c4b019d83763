package jsonenc

import (
	"math"
	"strconv"
)

// AppendFloat appends f as encoding/json encodes a float of bits bits (32
// or 64): shortest round trip, exponent form only below 1e-6 or from 1e21
// on, e-09 written e-9. The caller must refuse NaN and infinities first,
// as encoding/json does.
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
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
