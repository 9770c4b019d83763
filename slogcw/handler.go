package slogcw

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/textblock"
)

// Options configure a Handler. They mean what the fields of the same names
// in [slog.HandlerOptions] mean; a nil *Options, like the zero value, means
// all defaults.
type Options struct {
	// Level is the minimum level of the records handled; lower ones are
	// discarded by Enabled. Level.Level is called for each record, so a
	// *slog.LevelVar changes it at run time. Default slog.LevelInfo.
	Level slog.Leveler

	// AddSource adds a "source" object {"function","file","line"} naming
	// the log call. Default false.
	AddSource bool

	// ReplaceAttr, if set, rewrites each non-group attribute before it is
	// written; returning an Attr whose key is empty and whose value is nil
	// (the zero Attr) drops it. It is called with nil groups for the
	// built-in "time" (only when not zero), "level", "source" (only with
	// AddSource; its members follow, also with nil groups) and "msg", and
	// with the open group names for every other attribute. Attributes
	// given to WithAttrs are replaced once, when WithAttrs is called. The
	// groups slice must not be retained or modified. ReplaceAttr may be
	// called from many goroutines at once. Default nil: no rewriting.
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

	// pre holds the attributes of WithAttrs calls, already encoded, with
	// the groups opened before them; it is only ever extended in a copy.
	pre []byte
	// groups are all names given to WithGroup; the first nOpen of them
	// are opened in pre.
	groups []string
	nOpen  int
}

var _ slog.Handler = (*Handler)(nil)

// NewHandler returns a Handler that adds records to s, which must not be
// nil. opts may be nil for the defaults; it is copied, so later changes to
// it have no effect. The Handler does not own s: close s when logging is
// done.
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

// Enabled reports whether level is at least the handler's minimum level.
func (h *Handler) Enabled(_ context.Context, level slog.Level) bool {
	min := slog.LevelInfo
	if h.level != nil {
		min = h.level.Level()
	}
	return level >= min
}

// Handle encodes r and adds it to the Shipper as one event timed r.Time
// (zero means the time of the call). It does no network I/O. When ctx
// belongs to the Shipper's own API call (core.IsInternal), it uses TryAdd
// so that it never waits on the upload it is part of. It returns the
// Shipper's error, such as core.ErrBufferFull or core.ErrClosed, wrapped;
// slog.Logger discards it, but callers of Handle can test it with
// errors.Is.
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

// encode returns r as the JSON object Handle ships, written straight
// into the block its string is carved from.
func (h *Handler) encode(r slog.Record) string {
	var st state
	buf := st.init(h)
	msg := h.text.Append(func(b []byte) []byte { return st.appendRecord(b, r) })
	st.release(buf)
	return msg
}

// WithAttrs returns a Handler whose records carry attrs after the
// receiver's own, inside the groups opened so far. The attributes are
// resolved, passed to ReplaceAttr and encoded once, now. If attrs holds no
// attribute but empty groups, WithAttrs returns the receiver.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if countEmptyGroups(attrs) == len(attrs) {
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

// WithGroup returns a Handler that nests every later attribute, from
// WithAttrs or from records, in a JSON object named name. An empty name
// returns the receiver.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := h.clone()
	h2.groups = append(h2.groups, name)
	return h2
}

// clone copies h with its slices clipped, so that appending to the copy's
// never writes into memory the receiver or its other clones can see.
func (h *Handler) clone() *Handler {
	h2 := *h
	h2.pre = slices.Clip(h.pre)
	h2.groups = slices.Clip(h.groups)
	return &h2
}

func countEmptyGroups(as []slog.Attr) int {
	n := 0
	for _, a := range as {
		if isEmptyGroup(a.Value) {
			n++
		}
	}
	return n
}

func isEmptyGroup(v slog.Value) bool {
	return v.Kind() == slog.KindGroup && len(v.Group()) == 0
}
