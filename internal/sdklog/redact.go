package sdklog

import "strings"

// redacted replaces each secret value.
const redacted = "REDACTED"

// secretNames are the names, in lower case, whose values Redact hides
// when a ':' (a header) or a '=' (a query parameter, or a pair of the
// Authorization header) follows them. "credential" and "signature" also
// match the X-Amz-Credential and X-Amz-Signature query parameters.
var secretNames = [...]string{"authorization", "x-amz-security-token", "credential", "signature"}

// Redact returns msg, a message of the AWS SDK's, with the values of the
// credentials and signatures that request dumps and signing logs show
// replaced by "REDACTED": the Authorization header (all but its scheme),
// the X-Amz-Security-Token header, the X-Amz-Credential,
// X-Amz-Signature and X-Amz-Security-Token query parameters, and every
// Credential= and Signature= pair. Names match in any case. A header's
// value runs to the end of its line, a parameter's or pair's to the next
// space, '&', ',' or ';'; both stop at a quote or backslash, which no
// secret holds but an escaped message around it may.
//
// When there is nothing to hide Redact returns msg itself and allocates
// nothing: the cost is one pass over msg, plus a few comparisons at each
// ':' or '='.
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
		b.WriteString(redacted)
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

// valueAfter returns the bounds of the value of name that follows the
// separator msg[sep].
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
		// Keep the scheme (AWS4-HMAC-SHA256, Bearer), which tells how
		// the request was signed and is no secret.
		if n := strings.IndexByte(msg[start:end], ' '); n >= 0 {
			start += n + 1
		}
	}
	return start, end
}
