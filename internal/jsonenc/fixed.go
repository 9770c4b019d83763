package jsonenc

import (
	"math"
	"strconv"
)

// Writing a float in 'f' form, the shortest digits that read back as the
// same value, takes strconv's general algorithm. Two kinds of float a
// logger writes on nearly every record have a cheaper exact way:
//
//   - Seconds since the epoch. Every float from 2^26 to 2^40 (about two
//     years after 1970 to the year 36,000) has 26 or fewer bits after the
//     binary point, so its rounding interval, and the decimals in it, can
//     be found with exact integer arithmetic.
//   - Durations in seconds, computed from whole nanoseconds. Up to 2^53 ns
//     the float is the one nearest the decimal nanos/1e9, so that decimal
//     reads back as it; with at most 15 significant digits it is also the
//     shortest, because such decimals lie further apart (at least 1e-14 of
//     their magnitude) than a float's rounding interval is wide (at most
//     4.5e-16 of it).

const (
	// Floats from 2^minExp up to 2^maxExp take AppendFloatF's fast path.
	minExp, maxExp = 26, 40
	// maxPlaces is the most decimal places written: those of nanoseconds,
	// more than the narrowest rounding interval there, 2^-26 wide, needs.
	maxPlaces = 9
	// maxDigits bounds AppendSeconds' decimals to 15 significant digits.
	maxDigits = 1e15
)

// AppendFloatF appends f as strconv.AppendFloat(b, f, 'f', -1, 64) does.
func AppendFloatF(b []byte, f float64) []byte {
	bits := math.Float64bits(f)
	exp := int(bits>>52&0x7ff) - 1023
	if exp < minExp || exp >= maxExp {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	// f is mant/2^shift, with whole its integer part and frac/2^shift the
	// rest. The decimals that read back as f are those within half a unit
	// of the last bit, strictly inside (2*frac±1)/2^(shift+1) (never on
	// an end: that would take more places than there are here).
	mant := bits&(1<<52-1) | 1<<52
	shift := uint(52 - exp)
	whole, frac := mant>>shift, mant&(1<<shift-1)
	neg := bits>>63 != 0
	if frac == 0 {
		return appendDecimal(b, neg, whole, 0, 0)
	}
	// With enough places that the interval, 2^-shift wide, holds at
	// least one decimal, the candidates are the c with
	// lo*p < c*2^(shift+1) < hi*p. Fewer than ten fit, so at most one is a
	// multiple of ten: a shorter decimal, if there is one, is that one
	// with its trailing zeros cut. Otherwise the nearest f is the answer,
	// unless two tie.
	places := placesFor[shift]
	p := pow10[places]
	lo, hi := 2*frac-1, 2*frac+1
	first := lo*p>>(shift+1) + 1
	last := (hi*p - 1) >> (shift + 1)
	c, dist, tie := first, distance(first, frac, p, shift), false
	for x := first; x <= last; x++ {
		if x%10 == 0 {
			c, tie = x, false
			for c%10 == 0 {
				c /= 10
				places--
			}
			break
		}
		switch d := distance(x, frac, p, shift); {
		case d < dist:
			c, dist, tie = x, d, false
		case d == dist && x != first:
			tie = true
		}
	}
	if tie {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	return appendDecimal(b, neg, whole, c, places)
}

// pow10 holds the powers of ten up to 10^maxPlaces.
var pow10 = func() (p [maxPlaces + 1]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// placesFor[shift] is the fewest decimal places whose unit, 10^-places,
// is below 2^-shift.
var placesFor = func() (t [52 - minExp + 1]int) {
	for shift := range t {
		for pow10[t[shift]] < 1<<shift {
			t[shift]++
		}
	}
	return t
}()

// distance is |c/10^places - frac/2^shift| in units of
// 1/(10^places*2^shift), where p is 10^places.
func distance(c, frac, p uint64, shift uint) uint64 {
	a, z := c<<shift, frac*p
	if a > z {
		return a - z
	}
	return z - a
}

// AppendSeconds appends float64(nanos)/1e9, seconds in a float as zap's
// encoders compute them, as strconv.AppendFloat(b, that, 'f', -1, 64)
// does.
func AppendSeconds(b []byte, nanos int64) []byte {
	u := uint64(nanos)
	if nanos < 0 {
		u = -u
	}
	if nanos != 0 && u <= 1<<53 {
		digits, places := u, 9
		for digits%10 == 0 && places > 0 {
			digits /= 10
			places--
		}
		if digits < maxDigits {
			p := pow10[places]
			return appendDecimal(b, nanos < 0, digits/p, digits%p, places)
		}
	}
	return AppendFloatF(b, float64(nanos)/1e9)
}

// appendDecimal appends whole and then, if places is not 0, a point and
// frac in exactly places digits; a minus sign first when neg.
func appendDecimal(b []byte, neg bool, whole, frac uint64, places int) []byte {
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, whole, 10)
	if places == 0 {
		return b
	}
	var digits [maxPlaces]byte
	for i := places - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	b = append(b, '.')
	return append(b, digits[:places]...)
}
