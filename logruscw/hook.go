package logruscw

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/textblock"
	"github.com/sirupsen/logrus"
)

// DefaultFlushTimeout bounds the flush a Fatal or Panic entry triggers when
// Options.FlushTimeout is zero.
const DefaultFlushTimeout = 5 * time.Second

// Options configure a Hook. A nil *Options, like the zero value, means all
// defaults.
type Options struct {
	// Levels are the levels the Hook fires for. Default: all levels
	// (logrus.AllLevels). The logger's own level still filters first.
	Levels []logrus.Level
	// Formatter turns an entry into the event's message; a trailing
	// newline is dropped. It is called concurrently and must be safe for
	// that, as logrus's own formatters are. Default &logrus.JSONFormatter{}:
	// the Hook then writes exactly what that formatter would, rendering the
	// common value types itself, several times faster, and calling the
	// formatter for entries holding any other.
	Formatter logrus.Formatter
	// FlushTimeout bounds how long Fire waits, for a Fatal or Panic entry,
	// until everything logged so far is delivered, because logrus exits or
	// panics as soon as the hooks return. Default DefaultFlushTimeout; a
	// negative value disables the flush.
	FlushTimeout time.Duration
}

// Hook is a logrus.Hook that sends each entry to a core.Shipper as one
// CloudWatch Logs event, timed with the entry's Time. Its methods are safe
// for concurrent use, and one Hook may be added to several loggers.
type Hook struct {
	shipper      *core.Shipper
	levels       []logrus.Level
	formatter    logrus.Formatter
	ownJSON      bool // formatter is the default, rendered by appendEntry
	flushTimeout time.Duration
	text         textblock.Pool // copies of formatted entries, for shipper alone
}

var _ logrus.Hook = (*Hook)(nil)

// NewHook returns a Hook that sends entries to s. A nil opts means the
// defaults that Options documents. Closing s remains the caller's job;
// entries fired afterwards are counted in s's Stats.AfterClose.
func NewHook(s *core.Shipper, opts *Options) *Hook {
	if opts == nil {
		opts = &Options{}
	}
	h := &Hook{
		shipper:      s,
		levels:       logrus.AllLevels,
		formatter:    opts.Formatter,
		flushTimeout: opts.FlushTimeout,
	}
	if opts.Levels != nil {
		// Copied so that a caller reusing its slice cannot change what an
		// already added Hook was registered for.
		h.levels = append([]logrus.Level(nil), opts.Levels...)
	}
	if h.formatter == nil {
		h.formatter = &logrus.JSONFormatter{}
		h.ownJSON = true
	}
	if h.flushTimeout == 0 {
		h.flushTimeout = DefaultFlushTimeout
	}
	return h
}

// Levels returns the levels the Hook fires for.
func (h *Hook) Levels() []logrus.Level { return h.levels }

// Fire formats entry and queues it for upload. It always returns nil,
// because logrus skips the hooks after one that returns an error: what
// goes wrong is reported through the Shipper instead. A formatter error
// goes to the Shipper's OnError (see core.Shipper.Report). An event the
// Shipper refuses (core.ErrClosed after Close, core.ErrBufferFull,
// core.ErrEmptyMessage for a formatter producing nothing) is not reported
// again: the Shipper counts every refusal in its Stats and reports the
// events it drops.
//
// For a Fatal or Panic entry Fire then waits, up to Options.FlushTimeout,
// until everything logged so far is delivered, and reports a flush that
// times out or fails. logrus exits or panics as soon as the hooks return,
// so that report may not reach OnError before the process ends.
//
// Entries logged with a context of the Shipper's own API calls (see
// NewSDKLogger and core.IsInternal) are queued with TryAdd and never
// flushed: waiting there would wait on the very upload being logged.
func (h *Hook) Fire(entry *logrus.Entry) error {
	internal := core.IsInternal(entry.Context)
	msg, err := h.format(entry)
	switch {
	case err != nil:
		h.shipper.Report(fmt.Errorf("logruscw: format entry: %w", err))
	case internal:
		// The SDK's logs of an upload; losing one under pressure, or
		// after Close, is better than stalling the upload it describes.
		_ = h.shipper.TryAdd(core.Event{Time: entry.Time, Message: msg})
	default:
		// An event refused is counted, and reported if dropped, by the
		// Shipper itself.
		_ = h.shipper.Add(core.Event{Time: entry.Time, Message: msg})
	}
	if entry.Level <= logrus.FatalLevel && h.flushTimeout > 0 && !internal {
		ctx, cancel := context.WithTimeout(context.Background(), h.flushTimeout)
		defer cancel()
		// After Close there is nothing left to flush: Close delivered or
		// reported everything, and the Shipper counts what came since.
		if err := h.shipper.Flush(ctx); err != nil && !errors.Is(err, core.ErrClosed) {
			h.shipper.Report(fmt.Errorf("logruscw: flush before %s: %w", entry.Level, err))
		}
	}
	return nil
}

// maxPooled keeps one huge entry from pinning a large buffer in the pool.
const maxPooled = 64 << 10

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// format runs the formatter into a buffer of the Hook's own and returns a
// copy of the result. The entry's Buffer, when logrus has set one, belongs
// to logrus and is reused for its own output, so the formatter must not
// write there; the Hook's buffer is returned to its pool, so the message
// must not alias it either.
func (h *Hook) format(entry *logrus.Entry) (string, error) {
	if h.ownJSON {
		r := renderPool.Get().(*render)
		ok := r.appendEntry(entry)
		var msg string
		if ok {
			msg = h.text.String(r.buf)
		}
		putRender(r)
		if ok {
			return msg, nil
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
