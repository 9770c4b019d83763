package sdklog

import "strings"

// secretNames end the headers (before ':'), query parameters and pairs
// (before '=') whose values Redact hides.
var secretNames = [...]string{"authorization", "x-amz-security-token", "credential", "signature"}

// Redact returns msg, an AWS SDK message, with the values of the
// Authorization (but its scheme) and X-Amz-Security-Token headers, the
// X-Amz-Credential, -Signature and -Security-Token query parameters and
// every Credential= and Signature= pair, in any case, replaced by
// "REDACTED". A header's value ends at the line's end, a parameter's at a
// space, '&', ',' or ';'; both at a quote or backslash, which no secret
// holds but an escaped message may. With nothing to hide it returns msg.
func Redact(msg string) string {
	var b strings.Builder
	copied := 0 // msg[:copied] is in b
	for i := 0; i < len(msg); i++ {
		if msg[i] != ':' && msg[i] != '=' {
			continue
		}
		name := secretBefore(msg[:i])
		if name == "" {
			continue
		}
		start, end := valueAfter(msg, i, name)
		if start == end {
			continue
		}
		if copied == 0 {
			b.Grow(len(msg))
		}
		b.WriteString(msg[copied:start])
		b.WriteString("REDACTED")
		copied = end
		i = end - 1
	}
	if copied == 0 {
		return msg
	}
	b.WriteString(msg[copied:])
	return b.String()
}

// secretBefore returns the secret name that s ends with, in any case, or "".
func secretBefore(s string) string {
	for _, name := range secretNames {
		if len(s) >= len(name) && strings.EqualFold(s[len(s)-len(name):], name) {
			return name
		}
	}
	return ""
}

// valueAfter returns the bounds of name's value after msg[sep].
func valueAfter(msg string, sep int, name string) (start, end int) {
	start = sep + 1
	stops := " \t\r\n&,;\"\\"
	if msg[sep] == ':' {
		stops = "\r\n\"\\"
		for start < len(msg) && (msg[start] == ' ' || msg[start] == '\t') {
			start++
		}
	}
	end = len(msg)
	if n := strings.IndexAny(msg[start:], stops); n >= 0 {
		end = start + n
	}
	if name == "authorization" && msg[sep] == ':' {
		// Keep the scheme (AWS4-HMAC-SHA256, Bearer): no secret.
		if n := strings.IndexByte(msg[start:end], ' '); n >= 0 {
			start += n + 1
		}
	}
	return start, end
}
