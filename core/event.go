package core

import (
	"time"
	"unicode/utf8"
)

// Event is one log event as it will appear in CloudWatch Logs.
type Event struct {
	// Time is when the event happened. CloudWatch keeps millisecond
	// precision. The zero Time means the time of the call to Add.
	Time time.Time
	// Message is the event's text. Invalid UTF-8 is sent as U+FFFD, one
	// per invalid byte, exactly as the AWS SDK encodes it.
	Message string
}

// eventOverhead is what CloudWatch adds to each message's UTF-8 length when it
// sizes a batch.
const eventOverhead = 26

// Service limits of PutLogEvents (see CLOUDWATCH.md).
const (
	maxBatchBytes   = 1_048_576
	maxBatchEvents  = 10_000
	maxMessageBytes = maxBatchBytes - eventOverhead
	maxSpan         = 24 * time.Hour
	maxSpanMillis   = int64(maxSpan / time.Millisecond)
)

// entry is a queued event: the sanitized message and its timestamp in
// milliseconds since the Unix epoch. It is kept small because a Shipper may
// buffer millions of them.
type entry struct {
	ts  int64
	msg string
}

// size is the entry's cost in a PutLogEvents batch.
func (e *entry) size() int { return len(e.msg) + eventOverhead }

// sanitize returns s with every byte that is not part of valid UTF-8
// replaced by U+FFFD. The SDK's JSON encoder does the same byte by byte, so
// the returned string's length is what the service will count. Valid input
// is returned as is, without allocating.
func sanitize(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/2)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

// cutRunes returns the longest prefix of s (valid UTF-8) that is at most max
// bytes long and ends on a rune boundary. max must be at least utf8.UTFMax so
// that progress is always made.
func cutRunes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}
