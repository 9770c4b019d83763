package slogcw

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/textblock"
)

// Options configure a Handler as [slog.HandlerOptions] does; a nil
// *Options, like the zero value, means all defaults.
type Options struct {
	// Level is the minimum level handled, read for each record, so a
	// *slog.LevelVar changes it at run time. Default slog.LevelInfo.
	Level slog.Leveler
	// AddSource adds a "source" object {"function","file","line"} naming
	// the log call. Default false.
	AddSource bool
	// ReplaceAttr, if set, rewrites each non-group attribute before it is
	// written; the zero Attr it returns is dropped. It sees the built-ins
	// ("time" unless zero, "level", "source" and its members with
	// AddSource, "msg") with nil groups, every other attribute with the
	// open groups, which it must not retain or modify; those of WithAttrs
	// once, at that call. It may be called concurrently. Default nil.
	ReplaceAttr func(groups []string, a slog.Attr) slog.Attr
}

// Handler is a [slog.Handler] that encodes each record as one JSON object
// and adds it to a [core.Shipper] as one event. It is safe for concurrent
// use; WithAttrs and WithGroup return new handlers sharing the Shipper and
// never change the receiver.
type Handler struct {
	s         *core.Shipper
	level     slog.Leveler
	addSource bool
	rep       func([]string, slog.Attr) slog.Attr
	text      *textblock.Pool // for s alone; shared by clones

	pre    []byte   // WithAttrs' attributes and the groups before them, encoded
	groups []string // every WithGroup name; the first nOpen are opened in pre
	nOpen  int
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler returns a Handler that adds records to s, which must not be
// nil. opts, nil for the defaults, is copied. Closing s is the caller's
// job.
func NewHandler(s *core.Shipper, opts *Options) *Handler {
	if opts == nil {
		opts = &Options{}
	}
	return &Handler{
		s:         s,
		level:     opts.Level,
		addSource: opts.AddSource,
		rep:       opts.ReplaceAttr,
		text:      new(textblock.Pool),
	}
}

// Enabled reports whether level is at least Options.Level.
func (h *Handler) Enabled(_ context.Context, level slog.Level) bool {
	min := slog.LevelInfo
	if h.level != nil {
		min = h.level.Level()
	}
	return level >= min
}

// Handle adds r to the Shipper as one event timed r.Time, without network
// I/O, using TryAdd for ctx of the Shipper's own API calls, so as never to
// wait on them. It returns the Shipper's error (core.ErrBufferFull,
// core.ErrClosed, ...) wrapped; slog.Logger discards it.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	ev := core.Event{Time: r.Time, Message: h.encode(r)}
	var err error
	if core.IsInternal(ctx) {
		err = h.s.TryAdd(ev)
	} else {
		err = h.s.Add(ev)
	}
	if err != nil {
		return fmt.Errorf("slogcw: handle record: %w", err)
	}
	return nil
}

// encode returns r as JSON, written straight into its string's block.
func (h *Handler) encode(r slog.Record) string {
	var st state
	buf := st.init(h)
	msg := h.text.Append(func(b []byte) []byte { return st.appendRecord(b, r) })
	st.release(buf)
	return msg
}

// WithAttrs returns a Handler whose records carry attrs after the
// receiver's, inside the groups opened so far, resolved, replaced and
// encoded now. If attrs holds only empty groups it returns the receiver.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if !slices.ContainsFunc(attrs, func(a slog.Attr) bool {
		return a.Value.Kind() != slog.KindGroup || len(a.Value.Group()) > 0
	}) {
		return h
	}
	h2 := h.clone()
	var st state
	pooled := st.init(h2)
	defer st.release(pooled) // h2.pre, or a copy grown from it, must never be pooled
	b := h2.pre              // clipped: appending copies
	if len(b) > 0 {
		st.sep = b[len(b)-1] != '{'
	}
	if st.track {
		st.groups = append(st.groups, h2.groups[:h2.nOpen]...)
	}
	b = st.openGroups(b)
	if b, ok := st.appendAttrs(b, attrs); ok {
		h2.pre = slices.Clip(b)
		h2.nOpen = len(h2.groups)
	}
	// Otherwise every attribute was dropped: h2 keeps the receiver's pre.
	return h2
}

// WithGroup returns a Handler that nests every later attribute in a JSON
// object named name. An empty name returns the receiver.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := h.clone()
	h2.groups = append(h2.groups, name)
	return h2
}

// clone copies h with its slices clipped, so that appending copies them.
func (h *Handler) clone() *Handler {
	h2 := *h
	h2.pre = slices.Clip(h.pre)
	h2.groups = slices.Clip(h.groups)
	return &h2
}
