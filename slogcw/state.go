package slogcw

import (
	"log/slog"
	"runtime"
	"sync"
)

// state is what encoding one record, or one WithAttrs call, needs besides
// the output buffer. The buffer is passed by value instead: every store of
// a slice through a pointer costs a write barrier while the GC runs.
type state struct {
	h   *Handler
	sep bool // a comma goes before the next key
	// track says whether groups are kept for ReplaceAttr: not without one,
	// nor for the built-ins, which ReplaceAttr sees outside any group.
	track bool
	// groups, the open groups, is never nil while track is set, so that
	// ReplaceAttr can tell the built-ins (nil) from top-level attributes.
	groups []string
	sc     *scratch
}

// maxPooledBuf keeps one huge record from pinning its buffer in the pool.
const maxPooledBuf = 64 << 10

// scratch is the memory reused from one record to the next.
type scratch struct {
	buf    []byte
	groups []string
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{buf: make([]byte, 0, 1024), groups: make([]string, 0, 8)}
}}

// init prepares st for h and returns a pooled buffer for release.
func (st *state) init(h *Handler) []byte {
	sc := scratchPool.Get().(*scratch)
	*st = state{h: h, groups: sc.groups[:0], track: h.rep != nil, sc: sc}
	return sc.buf[:0]
}

// release returns buf, grown from init's, and the groups to the pool.
func (st *state) release(buf []byte) {
	if cap(buf) > maxPooledBuf {
		return
	}
	clear(st.groups) // let the names be collected
	st.sc.buf, st.sc.groups = buf[:0], st.groups[:0]
	scratchPool.Put(st.sc)
}

// appendRecord writes r as a JSON object, in the order and with the
// ReplaceAttr calls of slog's JSON handler.
func (st *state) appendRecord(b []byte, r slog.Record) []byte {
	h := st.h
	b = st.appendBuiltins(append(b, '{'), r)
	if len(h.pre) > 0 {
		if st.sep {
			b = append(b, ',')
		}
		b = append(b, h.pre...)
		st.sep = h.pre[len(h.pre)-1] != '{'
	}
	nOpen := h.nOpen
	if r.NumAttrs() > 0 {
		// The remaining groups are written only if an attribute survives.
		pos := len(b)
		b = st.openGroups(b)
		empty := true
		r.Attrs(func(a slog.Attr) bool {
			var ok bool
			if b, ok = st.appendAttr(b, a); ok {
				empty = false
			}
			return true
		})
		if empty {
			b = b[:pos]
		} else {
			nOpen = len(h.groups)
		}
	}
	for range nOpen {
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendBuiltins writes time, level, source and message.
func (st *state) appendBuiltins(b []byte, r slog.Record) []byte {
	h := st.h
	track := st.track
	st.track = false
	if !r.Time.IsZero() {
		if h.rep == nil {
			b = appendTime(st.appendKey(b, slog.TimeKey), r.Time)
		} else {
			b, _ = st.appendAttr(b, slog.Time(slog.TimeKey, r.Time))
		}
	}
	if h.rep == nil {
		b = appendLevel(st.appendKey(b, slog.LevelKey), r.Level)
	} else {
		b, _ = st.appendAttr(b, slog.Any(slog.LevelKey, r.Level))
	}
	if h.addSource {
		b, _ = st.appendAttr(b, slog.Any(slog.SourceKey, recordSource(r.PC)))
	}
	if h.rep == nil {
		b = appendQuoted(st.appendKey(b, slog.MessageKey), r.Message)
	} else {
		b, _ = st.appendAttr(b, slog.String(slog.MessageKey, r.Message))
	}
	st.track = track
	if track {
		st.groups = append(st.groups, h.groups[:h.nOpen]...)
	}
	return b
}

// openGroups opens the groups not yet opened in the handler's prefix.
func (st *state) openGroups(b []byte) []byte {
	for _, name := range st.h.groups[st.h.nOpen:] {
		b = st.openGroup(b, name)
	}
	return b
}

func (st *state) openGroup(b []byte, name string) []byte {
	b = st.appendKey(b, name)
	b = append(b, '{')
	st.sep = false
	if st.track {
		st.groups = append(st.groups, name)
	}
	return b
}

// appendAttrs writes each of as and reports whether any was written.
func (st *state) appendAttrs(b []byte, as []slog.Attr) ([]byte, bool) {
	written := false
	for _, a := range as {
		var ok bool
		if b, ok = st.appendAttr(b, a); ok {
			written = true
		}
	}
	return b, written
}

// appendAttr resolves a, passes it to ReplaceAttr unless it is a group,
// and writes what remains, reporting whether anything was (an empty group
// counts, as in slog).
func (st *state) appendAttr(b []byte, a slog.Attr) ([]byte, bool) {
	a.Value = a.Value.Resolve()
	if rep := st.h.rep; rep != nil && a.Value.Kind() != slog.KindGroup {
		var gs []string
		if st.track {
			gs = st.groups
		}
		a = rep(gs, a)
		a.Value = a.Value.Resolve() // ReplaceAttr may return a LogValuer
	}
	kind := a.Value.Kind()
	if kind == slog.KindAny {
		x := a.Value.Any()
		if x == nil && a.Key == "" {
			return b, false // the zero Attr
		}
		if src, ok := x.(*slog.Source); ok {
			if src == nil || *src == (slog.Source{}) {
				return b, false
			}
			a.Value = sourceGroup(src)
			kind = slog.KindGroup
		}
	}
	if kind != slog.KindGroup {
		b = st.appendKey(b, a.Key)
		return appendValue(b, a.Value), true
	}
	attrs := a.Value.Group()
	if len(attrs) == 0 {
		return b, true
	}
	if a.Key == "" { // inline
		return st.appendAttrs(b, attrs)
	}
	pos, sep := len(b), st.sep
	b = st.openGroup(b, a.Key)
	b, ok := st.appendAttrs(b, attrs)
	if st.track {
		st.groups = st.groups[:len(st.groups)-1]
	}
	if !ok {
		// Every member was dropped: so is the group, and the next key
		// still gets its comma.
		st.sep = sep
		return b[:pos], false
	}
	st.sep = true
	return append(b, '}'), true
}

// recordSource is the location of the call at pc, or the zero Source.
func recordSource(pc uintptr) *slog.Source {
	if pc == 0 {
		return &slog.Source{}
	}
	f, _ := runtime.CallersFrames([]uintptr{pc}).Next()
	return &slog.Source{Function: f.Function, File: f.File, Line: f.Line}
}

// sourceGroup is the JSON form of a source location: its non-zero fields.
func sourceGroup(src *slog.Source) slog.Value {
	as := make([]slog.Attr, 0, 3)
	if src.Function != "" {
		as = append(as, slog.String("function", src.Function))
	}
	if src.File != "" {
		as = append(as, slog.String("file", src.File))
	}
	if src.Line != 0 {
		as = append(as, slog.Int("line", src.Line))
	}
	return slog.GroupValue(as...)
}

func (st *state) appendKey(b []byte, key string) []byte {
	if st.sep {
		b = append(b, ',')
	}
	st.sep = true
	b = appendQuoted(b, key)
	return append(b, ':')
}
