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

// Service limits of PutLogEvents (see CLOUDWATCH.md).
const (
	eventOverhead   = 26 // added to each message's length in a batch's size
	maxBatchBytes   = 1_048_576
	maxBatchEvents  = 10_000
	maxMessageBytes = maxBatchBytes - eventOverhead
	maxSpanMillis   = int64(24 * time.Hour / time.Millisecond)
)

// entry is a queued event; a Shipper may buffer millions: keep it small.
type entry struct {
	ts  int64 // Unix milliseconds
	msg string
}

func (e *entry) size() int { return len(e.msg) + eventOverhead }

// sanitize returns s with each byte of invalid UTF-8 replaced by U+FFFD,
// as the SDK's encoder does, so that its length is what the service
// counts. Valid input is returned as is.
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

// cutRunes returns the longest prefix of s, valid UTF-8, of at most max
// bytes that ends on a rune boundary; max >= utf8.UTFMax ensures progress.
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
