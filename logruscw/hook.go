package logruscw

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/textblock"
	"github.com/sirupsen/logrus"
)

// DefaultFlushTimeout is Options.FlushTimeout's default.
const DefaultFlushTimeout = 5 * time.Second

// Options configure a Hook. A nil *Options, like the zero value, means all
// defaults.
type Options struct {
	// Levels are the levels the Hook fires for, after the logger's own
	// level. Default logrus.AllLevels.
	Levels []logrus.Level
	// Formatter turns an entry into the event's message, less a trailing
	// newline; it is called concurrently. Default &logrus.JSONFormatter{},
	// whose output the Hook renders itself for entries of common types.
	Formatter logrus.Formatter
	// FlushTimeout bounds how long Fire waits for delivery after a Fatal or
	// Panic entry, as logrus exits or panics once the hooks return.
	// Default DefaultFlushTimeout; negative disables the flush.
	FlushTimeout time.Duration
}

// DiscardFormatter is a logrus.Formatter that produces nothing, for a
// logger whose Out is io.Discard and whose entries go only to a Hook: the
// Hook formats each entry itself. It is safe for concurrent use.
type DiscardFormatter struct{}

var _ logrus.Formatter = DiscardFormatter{}

// Format returns nil.
func (DiscardFormatter) Format(*logrus.Entry) ([]byte, error) { return nil, nil }

// Hook is a logrus.Hook that sends each entry to a core.Shipper as one
// event, timed with the entry's Time. It is safe for concurrent use, and
// may be added to several loggers.
type Hook struct {
	shipper      *core.Shipper
	levels       []logrus.Level
	formatter    logrus.Formatter
	ownJSON      bool // formatter is the default, rendered by appendEntry
	flushTimeout time.Duration
	text         textblock.Pool // copies of formatted entries, for shipper alone
}

var _ logrus.Hook = (*Hook)(nil)

// NewHook returns a Hook that sends entries to s; nil opts means the
// defaults. Closing s is the caller's job; entries fired afterwards are
// counted in s's Stats.AfterClose.
func NewHook(s *core.Shipper, opts *Options) *Hook {
	if opts == nil {
		opts = &Options{}
	}
	h := &Hook{
		shipper:      s,
		levels:       logrus.AllLevels,
		formatter:    opts.Formatter,
		flushTimeout: cmp.Or(opts.FlushTimeout, DefaultFlushTimeout),
	}
	if opts.Levels != nil {
		h.levels = append([]logrus.Level(nil), opts.Levels...) // a copy
	}
	if h.formatter == nil {
		h.formatter = &logrus.JSONFormatter{}
		h.ownJSON = true
	}
	return h
}

// Levels returns the levels the Hook fires for.
func (h *Hook) Levels() []logrus.Level { return h.levels }

// Fire formats entry and queues it for upload. It always returns nil, as
// logrus skips the hooks after one that returns an error: a formatter
// error goes to OnError (core.Shipper.Report), and the Shipper counts, and
// reports if dropped, an event it refuses. For a Fatal or Panic entry it
// then waits up to FlushTimeout for delivery, and reports a failed flush.
// Entries logged with a context of the Shipper's own API calls (see
// NewSDKLogger) are queued with TryAdd and never flushed: waiting there
// would wait on the very upload being logged.
func (h *Hook) Fire(entry *logrus.Entry) error {
	internal := core.IsInternal(entry.Context)
	msg, err := h.format(entry)
	switch {
	case err != nil:
		h.shipper.Report(fmt.Errorf("logruscw: format entry: %w", err))
	case internal:
		_ = h.shipper.TryAdd(core.Event{Time: entry.Time, Message: msg})
	default:
		_ = h.shipper.Add(core.Event{Time: entry.Time, Message: msg})
	}
	if entry.Level <= logrus.FatalLevel && h.flushTimeout > 0 && !internal {
		ctx, cancel := context.WithTimeout(context.Background(), h.flushTimeout)
		defer cancel()
		// After Close, Close delivered or reported everything.
		if err := h.shipper.Flush(ctx); err != nil && !errors.Is(err, core.ErrClosed) {
			h.shipper.Report(fmt.Errorf("logruscw: flush before %s: %w", entry.Level, err))
		}
	}
	return nil
}

// maxPooled keeps one huge entry from pinning a large buffer in the pool.
const maxPooled = 64 << 10

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// format returns a copy of the formatted entry, formatted into a buffer of
// the Hook's: logrus reuses the entry's for its own output.
func (h *Hook) format(entry *logrus.Entry) (string, error) {
	if h.ownJSON {
		r := renderPool.Get().(*render)
		defer putRender(r)
		if r.appendEntry(entry) {
			return h.text.String(r.buf), nil
		}
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	saved := entry.Buffer
	entry.Buffer = buf
	b, err := h.formatter.Format(entry)
	entry.Buffer = saved
	var msg string
	if err == nil {
		b = bytes.TrimSuffix(b, []byte("\n"))
		msg = h.text.String(b)
	}
	if buf.Cap() <= maxPooled {
		bufPool.Put(buf)
	}
	return msg, err
}
