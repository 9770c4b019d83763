// Package jsonenc writes JSON strings and numbers byte for byte as a given
// ecosystem's own encoder does, for the adapters that render records
// themselves and for the Shipper's request bodies.
package jsonenc

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"time"
	"unicode/utf8"
)

// Escaping is one encoder's rules for writing a JSON string. All escape
// '"' and '\\' with a backslash, \n, \r and \t by name, other control
// characters as \u00XX, invalid UTF-8 as U+FFFD per byte, and U+2028 and
// U+2029. They differ in naming \b and \f, escaping '<', '>' and '&', and
// writing U+FFFD as the escape (Go before 1.27) or the rune (from 1.27):
// the running Go's encoder is asked which.
type Escaping struct {
	safe        [256]bool // ASCII written as it is
	namedBF     bool      // \b and \f by name
	invalidRune string    // what a byte of invalid UTF-8 becomes
}

var (
	// Slog is slog's JSON handler: '<', '>' and '&' kept, \b and \f as
	// \u0008 and \u000c.
	Slog = newEscaping(false, false, slogInvalid())
	// HTML is encoding/json's default, with HTML escaping: '<', '>' and
	// '&' as \u003c, \u003e and \u0026, \b and \f by name.
	HTML = newEscaping(true, true, jsonInvalid())
	// SDK is the AWS SDK's JSON encoder: as Slog, but with DEL escaped and
	// invalid UTF-8 always the rune U+FFFD.
	SDK = func() *Escaping {
		e := newEscaping(false, false, "\ufffd")
		e.safe[0x7f] = false
		return e
	}()
)

// jsonInvalid and slogInvalid return what encoding/json and slog's JSON
// handler write for a byte of invalid UTF-8.
func jsonInvalid() string {
	b, _ := json.Marshal("\xff")
	return string(bytes.Trim(b, `"`))
}

func slogInvalid() string {
	var buf bytes.Buffer
	slog.NewJSONHandler(&buf, nil).Handle(context.Background(), slog.NewRecord(time.Time{}, slog.LevelInfo, "\xff", 0))
	b := bytes.TrimSpace(buf.Bytes())
	b = bytes.TrimPrefix(b, []byte(`{"level":"INFO","msg":"`))
	return string(bytes.TrimSuffix(b, []byte(`"}`)))
}

// newEscaping returns the rules for an encoder seen to write invalidRune
// for invalid UTF-8; anything but the rune U+FFFD itself means the escape.
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
		for i < len(s) && e.safe[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
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
			b = append(append(b, s[start:i]...), e.invalidRune...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

const hexDigits = "0123456789abcdef"
