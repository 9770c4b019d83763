package writercw

import (
	"strconv"
	"strings"
	"time"
)

// lineTime returns the time the member key of line, a JSON object, holds
// (see Options.TimeKey), or the zero Time, which the Shipper reads as the
// time of Add, when it holds none that CloudWatch could store.
func lineTime(line, key string) time.Time {
	v, isString := member(line, key)
	if v == "" {
		return time.Time{}
	}
	var t time.Time
	if isString {
		t, _ = time.Parse(time.RFC3339Nano, v) // zero on error
	} else {
		t = unixTime(v)
	}
	if t.Before(unixEpoch) {
		return time.Time{}
	}
	return t
}

var unixEpoch = time.Unix(0, 0)

// member returns the value of the first member named key of the top-level
// JSON object in line: a string's contents, unquoted and still escaped,
// with isString true, or a number's text. It returns "" for a value of
// another kind, for no such member, and for a line that is not a JSON
// object or stops being one before the member. It reads only what comes
// before the member; a nested member of that name does not count.
func member(line, key string) (value string, isString bool) {
	i := skipSpace(line, 0)
	if i == len(line) || line[i] != '{' {
		return "", false
	}
	depth := 1
	name := true // a string at depth 1 here names a member
	for i++; i < len(line); {
		switch line[i] {
		case '"':
			end := stringEnd(line, i+1)
			if end < 0 {
				return "", false
			}
			if depth > 1 || !name {
				i = end + 1
				continue
			}
			colon := skipSpace(line, end+1)
			if colon == len(line) || line[colon] != ':' {
				return "", false
			}
			if line[i+1:end] == key {
				return scalar(line, skipSpace(line, colon+1))
			}
			name = false
			i = colon + 1
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth--; depth == 0 {
				return "", false
			}
			i++
		case ',':
			name = depth == 1
			i++
		default:
			i++
		}
	}
	return "", false
}

// scalar returns the string or number that starts line[i:].
func scalar(line string, i int) (value string, isString bool) {
	switch {
	case i == len(line):
		return "", false
	case line[i] == '"':
		end := stringEnd(line, i+1)
		if end < 0 {
			return "", false
		}
		return line[i+1 : end], true
	case line[i] == '-' || '0' <= line[i] && line[i] <= '9':
		j := i + 1
		for j < len(line) && strings.IndexByte("0123456789.eE+-", line[j]) >= 0 {
			j++
		}
		return line[i:j], false
	}
	return "", false
}

// stringEnd returns the index of the quote that closes the JSON string
// whose contents start at line[from], or -1.
func stringEnd(line string, from int) int {
	for {
		k := strings.IndexByte(line[from:], '"')
		if k < 0 {
			return -1
		}
		q := from + k
		escapes := 0
		for j := q - 1; line[j] == '\\'; j-- { // stops at the opening quote
			escapes++
		}
		if escapes%2 == 0 {
			return q
		}
		from = q + 1
	}
}

func skipSpace(line string, i int) int {
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\n' || line[i] == '\r') {
		i++
	}
	return i
}

// unixTime reads num, a JSON number, as Unix seconds, milliseconds,
// microseconds or nanoseconds, whichever puts it between 1973 and 5138,
// with an optional fraction of that unit; the zero Time if num is
// negative, has an exponent, or is too large.
func unixTime(num string) time.Time {
	whole, frac, _ := strings.Cut(num, ".")
	if !digits(whole) || whole == "" || !digits(frac) {
		return time.Time{}
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}
	}
	switch {
	case n < 1e11:
		return time.Unix(n, fraction(frac, 9))
	case n < 1e14:
		return time.Unix(n/1e3, n%1e3*1e6+fraction(frac, 6))
	case n < 1e17:
		return time.Unix(n/1e6, n%1e6*1e3+fraction(frac, 3))
	}
	return time.Unix(0, n)
}

// fraction returns the first places decimal places of frac as an integer:
// the nanoseconds of a fraction of the unit that has 10^places of them.
func fraction(frac string, places int) int64 {
	var n int64
	for i := range places {
		n *= 10
		if i < len(frac) {
			n += int64(frac[i] - '0')
		}
	}
	return n
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
