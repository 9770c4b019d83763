package slogcw

import (
	"log/slog"
	"runtime"
	"sync"
)

// state encodes one record, or the attributes of one WithAttrs call.
type state struct {
	h   *Handler
	buf []byte
	// sep says whether a comma goes before the next key.
	sep bool
	// track says whether groups are kept for ReplaceAttr; it is false when
	// there is no ReplaceAttr and while built-in attributes are written,
	// which ReplaceAttr sees outside any group.
	track bool
	// groups are the names of the open groups, passed to ReplaceAttr. It
	// is never nil while track is set, so ReplaceAttr can tell the
	// built-ins (nil) from top-level attributes (empty), as with slog.
	groups []string
}

// maxPooledBuf keeps one huge record from pinning its buffer in the pool.
const maxPooledBuf = 64 << 10

var statePool = sync.Pool{New: func() any {
	return &state{buf: make([]byte, 0, 1024), groups: make([]string, 0, 8)}
}}

func newState(h *Handler) *state {
	st := statePool.Get().(*state)
	st.h = h
	st.buf = st.buf[:0]
	st.sep = false
	st.groups = st.groups[:0]
	st.track = h.rep != nil
	return st
}

func (st *state) free() {
	if cap(st.buf) > maxPooledBuf {
		return
	}
	st.h = nil
	clear(st.groups) // let the names be collected
	statePool.Put(st)
}

// appendRecord writes r as a complete JSON object, in the order and with
// the ReplaceAttr calls of slog's JSON handler.
func (st *state) appendRecord(r slog.Record) {
	h := st.h
	rep := h.rep
	st.buf = append(st.buf, '{')

	track := st.track
	st.track = false
	if !r.Time.IsZero() {
		t := r.Time.Round(0) // as slog.TimeValue would: no monotonic reading
		if rep == nil {
			st.appendKey(slog.TimeKey)
			st.appendTime(t)
		} else {
			st.appendAttr(slog.Time(slog.TimeKey, t))
		}
	}
	if rep == nil {
		st.appendKey(slog.LevelKey)
		st.appendString(r.Level.String())
	} else {
		st.appendAttr(slog.Any(slog.LevelKey, r.Level))
	}
	if h.addSource {
		st.appendAttr(slog.Any(slog.SourceKey, recordSource(r.PC)))
	}
	if rep == nil {
		st.appendKey(slog.MessageKey)
		st.appendString(r.Message)
	} else {
		st.appendAttr(slog.String(slog.MessageKey, r.Message))
	}
	st.track = track
	if track {
		st.groups = append(st.groups, h.groups[:h.nOpen]...)
	}

	if len(h.pre) > 0 {
		if st.sep {
			st.buf = append(st.buf, ',')
		}
		st.buf = append(st.buf, h.pre...)
		st.sep = h.pre[len(h.pre)-1] != '{'
	}
	nOpen := h.nOpen
	if r.NumAttrs() > 0 {
		// The remaining groups are written only if an attribute survives.
		pos := len(st.buf)
		st.openGroups()
		empty := true
		r.Attrs(func(a slog.Attr) bool {
			if st.appendAttr(a) {
				empty = false
			}
			return true
		})
		if empty {
			st.buf = st.buf[:pos]
		} else {
			nOpen = len(h.groups)
		}
	}
	for range nOpen {
		st.buf = append(st.buf, '}')
	}
	st.buf = append(st.buf, '}')
}

// openGroups opens the groups not yet opened in the handler's prefix.
func (st *state) openGroups() {
	for _, name := range st.h.groups[st.h.nOpen:] {
		st.openGroup(name)
	}
}

func (st *state) openGroup(name string) {
	st.appendKey(name)
	st.buf = append(st.buf, '{')
	st.sep = false
	if st.track {
		st.groups = append(st.groups, name)
	}
}

func (st *state) closeGroup() {
	st.buf = append(st.buf, '}')
	st.sep = true
	if st.track {
		st.groups = st.groups[:len(st.groups)-1]
	}
}

// appendAttrs writes each of as and reports whether any was written.
func (st *state) appendAttrs(as []slog.Attr) bool {
	written := false
	for _, a := range as {
		if st.appendAttr(a) {
			written = true
		}
	}
	return written
}

// appendAttr resolves a, passes it to ReplaceAttr unless it is a group,
// and writes what remains. It reports whether anything was written (an
// empty group counts, as in slog).
func (st *state) appendAttr(a slog.Attr) bool {
	a.Value = a.Value.Resolve()
	if rep := st.h.rep; rep != nil && a.Value.Kind() != slog.KindGroup {
		var gs []string
		if st.track {
			gs = st.groups
		}
		a = rep(gs, a)
		a.Value = a.Value.Resolve() // ReplaceAttr may return a LogValuer
	}
	if isZeroAttr(a) {
		return false
	}
	if a.Value.Kind() == slog.KindAny {
		if src, ok := a.Value.Any().(*slog.Source); ok {
			if src == nil || *src == (slog.Source{}) {
				return false
			}
			a.Value = sourceGroup(src)
		}
	}
	if a.Value.Kind() != slog.KindGroup {
		st.appendKey(a.Key)
		st.appendValue(a.Value)
		return true
	}
	attrs := a.Value.Group()
	if len(attrs) == 0 {
		return true
	}
	if a.Key == "" { // inline
		return st.appendAttrs(attrs)
	}
	pos, sep := len(st.buf), st.sep
	st.openGroup(a.Key)
	if !st.appendAttrs(attrs) {
		// Every member was dropped: so is the group, and the state is
		// as before it, so the next key still gets its comma.
		st.buf, st.sep = st.buf[:pos], sep
		if st.track {
			st.groups = st.groups[:len(st.groups)-1]
		}
		return false
	}
	st.closeGroup()
	return true
}

// isZeroAttr reports whether a is the zero Attr (or Any("", nil)), which
// handlers drop.
func isZeroAttr(a slog.Attr) bool {
	return a.Key == "" && a.Value.Kind() == slog.KindAny && a.Value.Any() == nil
}

// recordSource is the location of the log call whose program counter is
// pc; an unknown location is the zero Source, which is not written unless
// ReplaceAttr fills it in.
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

func (st *state) appendKey(key string) {
	if st.sep {
		st.buf = append(st.buf, ',')
	}
	st.buf = appendQuoted(st.buf, key)
	st.buf = append(st.buf, ':')
	st.sep = true
}

func (st *state) appendString(s string) {
	st.buf = appendQuoted(st.buf, s)
}
