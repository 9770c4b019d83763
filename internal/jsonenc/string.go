package jsonenc

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"time"
	"unicode/utf8"
)

// Escaping is one encoder's rules for writing a JSON string. Every
// encoder escapes '"' and '\\' with a backslash, \n, \r and \t by name,
// other control characters as \u00XX, each byte of invalid UTF-8 as
// U+FFFD, and U+2028 and U+2029 as \u2028 and \u2029. They differ in
// whether \b and \f have names, whether '<', '>' and '&' are escaped, and
// whether U+FFFD is written as the escape \ufffd (Go before 1.27) or as
// the rune itself (Go 1.27 on): that is asked of the running Go's own
// encoder, so that the output follows the Go a program is built with.
type Escaping struct {
	safe        [utf8.RuneSelf]bool // ASCII written as it is
	namedBF     bool                // \b and \f by name
	invalidRune string              // what a byte of invalid UTF-8 becomes
}

var (
	// Slog is slog's JSON handler: '<', '>' and '&' kept, \b and \f as
	// \u0008 and \u000c.
	Slog = newEscaping(false, false, slogInvalid())
	// HTML is encoding/json's default, with HTML escaping: '<', '>' and
	// '&' as \u003c, \u003e and \u0026, \b and \f by name.
	HTML = newEscaping(true, true, jsonInvalid())
)

// jsonInvalid returns what encoding/json writes for a byte of invalid UTF-8.
func jsonInvalid() string {
	b, _ := json.Marshal("\xff")
	return string(bytes.Trim(b, `"`))
}

// slogInvalid returns what slog's JSON handler writes for a byte of
// invalid UTF-8.
func slogInvalid() string {
	var buf bytes.Buffer
	slog.NewJSONHandler(&buf, nil).Handle(context.Background(), slog.NewRecord(time.Time{}, slog.LevelInfo, "\xff", 0))
	b := bytes.TrimSpace(buf.Bytes())
	b = bytes.TrimPrefix(b, []byte(`{"level":"INFO","msg":"`))
	return string(bytes.TrimSuffix(b, []byte(`"}`)))
}

// newEscaping returns the rules; invalidRune is what the encoder was seen
// to write for invalid UTF-8, and anything but the two known forms (which
// the differential tests would catch) is taken as the older escape.
func newEscaping(html, namedBF bool, invalidRune string) *Escaping {
	if invalidRune != "\ufffd" {
		invalidRune = `\ufffd`
	}
	e := &Escaping{namedBF: namedBF, invalidRune: invalidRune}
	for c := ' '; c < utf8.RuneSelf; c++ {
		e.safe[c] = true
	}
	e.safe['"'], e.safe['\\'] = false, false
	if html {
		e.safe['<'], e.safe['>'], e.safe['&'] = false, false, false
	}
	return e
}

// Append appends s to b as a quoted JSON string.
func (e *Escaping) Append(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] needs no escape
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if e.safe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b' && e.namedBF:
				b = append(b, '\\', 'b')
			case c == '\f' && e.namedBF:
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, s[start:i]...)
			b = append(b, e.invalidRune...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"
