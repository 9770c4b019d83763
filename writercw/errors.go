package writercw

import (
	"errors"
	"fmt"
)

// ErrClosed is returned by Write after the Writer's Close.
var ErrClosed = errors.New("writercw: writer is closed")

// SplitLineError reports, to the Shipper's OnError, a line that grew past
// MaxLineBytes before it ended and was sent in pieces, once per line.
type SplitLineError struct {
	MaxLineBytes int // the Writer's bound, which each piece keeps to
}

func (e *SplitLineError) Error() string {
	return fmt.Sprintf("writercw: a line grew past MaxLineBytes (%d) before it ended and was sent in pieces", e.MaxLineBytes)
}
