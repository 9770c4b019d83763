package main

import (
	"fmt"
	"strconv"
	"strings"
)

// sizeFlag is a byte count given as 200, 64KiB, 8MiB or 1GiB.
type sizeFlag int64

func (s *sizeFlag) String() string { return formatSize(int64(*s)) }

func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}

// parseSize parses a byte count, without a suffix or with B, KiB, MiB or
// GiB, as GOMEMLIMIT is written.
func parseSize(v string) (int64, error) {
	num, shift := v, uint(0)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(v, u.suffix); ok {
			num, shift = rest, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)>>shift {
		return 0, fmt.Errorf("bad size %q: want a positive whole number of bytes, KiB, MiB or GiB", v)
	}
	return n << shift, nil
}

// formatSize writes n in the largest unit that divides it.
func formatSize(n int64) string {
	for _, u := range sizeUnits {
		if n != 0 && n%(1<<u.shift) == 0 {
			if u.shift == 0 {
				return strconv.FormatInt(n, 10)
			}
			return strconv.FormatInt(n>>u.shift, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// memLimit is a GOMEMLIMIT for a table's rows: none, a fixed size, or
// Factor × BufferLimit + Plus.
type memLimit struct {
	Unset  bool
	Factor float64
	Plus   int64
	text   string
}

// parseLimit parses "unset", a size, or "Ax+size" / "Ax" (A times
// BufferLimit, plus size).
func parseLimit(v string) (memLimit, error) {
	l := memLimit{text: v}
	if v == "unset" {
		l.Unset = true
		return l, nil
	}
	factor, plus, scaled := strings.Cut(v, "x")
	if !scaled {
		n, err := parseSize(v)
		l.Plus = n
		return l, err
	}
	f, err := strconv.ParseFloat(factor, 64)
	if err != nil || f < 0 {
		return l, fmt.Errorf("bad GOMEMLIMIT %q: want unset, a size, or Ax+size", v)
	}
	l.Factor = f
	if plus != "" {
		rest, ok := strings.CutPrefix(plus, "+")
		if !ok {
			return l, fmt.Errorf("bad GOMEMLIMIT %q: want unset, a size, or Ax+size", v)
		}
		if l.Plus, err = parseSize(rest); err != nil {
			return l, err
		}
	}
	return l, nil
}

// bytes returns the limit for buffer; a scaled one is rounded down to a
// MiB.
func (l memLimit) bytes(buffer int64) int64 {
	if l.Factor == 0 {
		return l.Plus
	}
	n := int64(l.Factor*float64(buffer)) + l.Plus
	return n &^ (1<<20 - 1)
}

func (l memLimit) String() string { return l.text }
