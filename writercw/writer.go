package writercw

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/textblock"
)

// DefaultMaxLineBytes is Options.MaxLineBytes's default: 256 KiB, the
// largest event CloudWatch Logs took before 2025 and some compatible
// endpoints still take, and what one unfinished line may cost a Writer.
const DefaultMaxLineBytes = 256 << 10

// Options configure a Writer. A nil *Options, like the zero value, means
// all defaults.
type Options struct {
	// TimeKey, when set, names a member of the top-level JSON object a
	// line holds whose value times the line's event: an RFC 3339 string,
	// with or without fractional seconds, as zerolog writes with its
	// default TimeFieldFormat (whole seconds) or time.RFC3339Nano; or a
	// number of Unix seconds, milliseconds, microseconds or nanoseconds,
	// told apart by size (unambiguous from 1973 to 5138), as zerolog
	// writes with TimeFormatUnix, TimeFormatUnixMs, TimeFormatUnixMicro
	// or TimeFormatUnixNano, with an optional decimal fraction and no
	// exponent. The first member so named counts; the name is compared
	// with the key as written, escapes included. A line that is not a
	// JSON object, that lacks the member, or whose member holds another
	// kind of value or a time before 1970 (which CloudWatch cannot store)
	// is timed when written, as every line is by default; a time the
	// service refuses for its age is counted by the Shipper as rejected.
	// zerolog's key is "time".
	TimeKey string
	// MaxLineBytes bounds the unfinished line a Writer holds, waiting for
	// the Write that ends it. A line whose unfinished part grows past it
	// at the end of a Write is sent as it comes, in pieces of at most
	// MaxLineBytes cut between characters; each such line is counted in
	// Stats.Split and reported to the Shipper's OnError as a
	// *SplitLineError. A line that ends in the Write that began it, or
	// that was never held past the bound, is one event however long: the
	// Shipper splits one longer than its MaxMessageBytes. Default
	// DefaultMaxLineBytes; values below 4 are raised to 4, so that a cut
	// can keep every character whole.
	MaxLineBytes int
}

// Writer is an [io.Writer] that turns each line written to it into one
// event of a [core.Shipper]. See [Writer.Write] for what it does with the
// bytes, and [New].
//
// It is safe for concurrent use. A Write that carries only whole lines,
// while no line is unfinished, takes no lock, as zerolog's shared logger
// writes every event in one Write. The bytes of a line written in parts
// are joined with whatever is written next, by any goroutine: writers
// that interleave parts of lines must each have a Writer of their own.
type Writer struct {
	s       *core.Shipper
	timeKey string
	max     int
	text    textblock.Pool // for s alone

	state atomic.Uint32 // pending | closed, changed with mu held
	split atomic.Uint64

	mu    sync.Mutex
	lines splitter
}

const (
	pending uint32 = 1 << iota // a line is unfinished
	closed                     // Close was called
)

var _ io.WriteCloser = (*Writer)(nil)

// Stats counts what a Writer did other than send each line as one event.
type Stats struct {
	// Split counts lines sent in pieces, having grown past MaxLineBytes
	// before they ended.
	Split uint64
}

// New returns a Writer that adds the lines written to it to s, which must
// not be nil; nil opts means the defaults, and opts is copied. Closing s
// is the caller's job, after closing the Writer.
func New(s *core.Shipper, opts *Options) *Writer {
	if opts == nil {
		opts = &Options{}
	}
	limit := opts.MaxLineBytes
	if limit == 0 {
		limit = DefaultMaxLineBytes
	}
	limit = max(limit, utf8.UTFMax)
	return &Writer{s: s, timeKey: opts.TimeKey, max: limit, lines: splitter{max: limit}}
}

// Write adds each line that p ends to the Shipper as one event, without
// its "\n" or "\r\n", timed when written or by Options.TimeKey. It keeps
// the start of a line p does not end until a later Write, Flush or Close
// ends it (see Options.MaxLineBytes). Empty lines are skipped. p is not
// kept: each event's message is a copy, made once, that the Shipper
// holds until delivered.
//
// Write does no I/O and never waits on it, nor calls code of the
// caller's: a Shipper with core.Block may make it wait for room, as Add
// does. An event the Shipper refuses for want of room is counted and
// reported by the Shipper, not returned, as loggers print every failed
// Write (zerolog to standard error, unless its ErrorHandler is set).
// Write returns len(p) and nil, except after the Writer's Close, with 0
// and ErrClosed, and when the Shipper refuses a line because it is
// closed: then with core.ErrClosed and the bytes of p before that line.
// The start of a line is kept without asking the Shipper, so a Write that
// ends no line succeeds, and Flush or Close reports the refusal.
func (w *Writer) Write(p []byte) (int, error) {
	if len(p) > 0 && p[len(p)-1] == '\n' && w.state.Load() == 0 {
		// No line is unfinished, and p leaves none: nothing to share.
		var whole splitter
		return whole.write(w, p)
	}
	if len(p) == 0 && w.state.Load()&closed == 0 {
		return 0, nil // nothing to lock for
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.state.Load()&closed != 0 {
		return 0, ErrClosed
	}
	n, err := w.lines.write(w, p)
	w.setPending()
	return n, err
}

// Flush ends the unfinished line, if any, as a '\n' would: what is
// written next begins a new line. It does not wait for delivery: the
// Shipper's Flush does. It returns core.ErrClosed if the Shipper is
// closed, and is safe to call at any time.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.lines.flush(w)
	w.setPending()
	return err
}

// Close flushes the unfinished line, as Flush does, and makes later
// Writes return ErrClosed. It does not close the Shipper. Calls after the
// first return nil.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.state.Load()&closed != 0 {
		return nil
	}
	err := w.lines.flush(w)
	w.state.Store(closed)
	return err
}

// Stats returns the Writer's counters.
func (w *Writer) Stats() Stats {
	return Stats{Split: w.split.Load()}
}

// setPending records whether a line is unfinished. w.mu held.
func (w *Writer) setPending() {
	if len(w.lines.buf) > 0 {
		w.state.Or(pending)
	} else {
		w.state.And(^pending)
	}
}

// add adds head and tail, together one line or one piece of one, as an
// event. It returns core.ErrClosed when the Shipper is closed; what else
// the Shipper refuses, it counts and reports.
func (w *Writer) add(head, tail []byte, p part) error {
	var msg string
	switch {
	case len(tail) == 0:
		msg = w.text.String(head)
	case len(head) == 0:
		msg = w.text.String(tail)
	default:
		msg = w.text.Append(func(b []byte) []byte { return append(append(b, head...), tail...) })
	}
	ev := core.Event{Message: msg}
	switch {
	case p == firstPiece:
		w.split.Add(1)
		w.s.Report(&SplitLineError{MaxLineBytes: w.max})
	case p == wholeLine && w.timeKey != "":
		ev.Time = lineTime(msg, w.timeKey)
	}
	if err := w.s.Add(ev); errors.Is(err, core.ErrClosed) {
		return err
	}
	return nil
}
