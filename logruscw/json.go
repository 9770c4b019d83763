package logruscw

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/cwlog/cwlog/internal/jsonenc"
	"github.com/sirupsen/logrus"
)

// The Hook's default rendering writes, byte for byte, what a zero
// &logrus.JSONFormatter{} writes, without its newline, and without what
// that costs: logrus copies the entry's fields into a new map and hands it
// to encoding/json, which sorts the keys and reflects on every value.
//
// It renders the values logs hold by far the most (strings, numbers,
// booleans, durations, times, errors and nil). An entry holding anything
// else (a slice, a map, a struct, a pointer, a named type that may marshal
// itself, a NaN) is formatted by logrus.JSONFormatter itself, so nothing
// that formatter would write differently ever gets here.

// The keys logrus's JSONFormatter writes of its own, with no FieldMap.
const (
	keyTime       = "time"
	keyMsg        = "msg"
	keyLevel      = "level"
	keyLogrusErr  = "logrus_error"
	keyFunc       = "func"
	keyFile       = "file"
	clashPrefix   = "fields."
	defaultLayout = time.RFC3339 // logrus's default TimestampFormat
)

// errIndex locates logrus.Entry's unexported err field, where logrus notes
// fields it skipped and its formatter writes them under "logrus_error". It
// is nil if this version of logrus has no such field, and then the Hook
// leaves every entry to the formatter.
var errIndex = func() []int {
	f, ok := reflect.TypeFor[logrus.Entry]().FieldByName("err")
	if !ok || f.Type.Kind() != reflect.String {
		return nil
	}
	return f.Index
}()

// entryErr returns entry's err field.
func entryErr(entry *logrus.Entry) string {
	return reflect.ValueOf(entry).Elem().FieldByIndex(errIndex).String()
}

// What a field's value is, when it is not the value itself.
const (
	valAny  = iota // val
	valStr         // str
	valTime        // the entry's Time, in logrus's default layout
	valFile        // the caller's file:line
)

// field is one member of the object, as logrus's map would hold it.
type field struct {
	key  string
	kind uint8
	str  string
	val  any
}

// render holds what rendering one entry needs; it is pooled.
type render struct {
	fields []field
	order  []int32 // of fields, by key
	buf    []byte

	// The last time written, to the second, and its text: a busy logger
	// writes the same second many times over.
	sec  int64
	loc  *time.Location
	text []byte
}

// timeText returns t in logrus's default layout, which shows whole
// seconds: the same text for every t of one second in one location.
func (r *render) timeText(t time.Time) []byte {
	// A new render's loc is nil, which no time's Location is.
	if sec, loc := t.Unix(), t.Location(); sec != r.sec || loc != r.loc {
		r.text = t.AppendFormat(r.text[:0], defaultLayout)
		r.sec, r.loc = sec, loc
	}
	return r.text
}

var renderPool = sync.Pool{New: func() any {
	return &render{fields: make([]field, 0, 16), order: make([]int32, 0, 16), buf: make([]byte, 0, 512)}
}}

// putRender returns r to the pool unless an outsized entry grew it.
func putRender(r *render) {
	if cap(r.buf) <= maxPooled && cap(r.fields) <= 256 {
		// Drop references to the entry's values. Those beyond len were
		// cleared when an earlier entry was put back, or by slices.Delete.
		clear(r.fields)
		renderPool.Put(r)
	}
}

// index returns the position of key among r.fields, or -1.
func (r *render) index(key string) int {
	for i := range r.fields {
		if r.fields[i].key == key {
			return i
		}
	}
	return -1
}

// set assigns f under its key, as a map assignment does.
func (r *render) set(f field) {
	if i := r.index(f.key); i >= 0 {
		r.fields[i] = f
		return
	}
	r.fields = append(r.fields, f)
}

// renameClash moves key's value, if any, to "fields."+key, and removes key
// unless keep: what logrus's prefixFieldClashes does to each of its keys.
func (r *render) renameClash(key string, keep bool) {
	i := r.index(key)
	if i < 0 {
		return
	}
	f := r.fields[i]
	if !keep {
		r.fields = slices.Delete(r.fields, i, i+1)
	}
	f.key = clashPrefix + key
	r.set(f)
}

// appendEntry appends entry to r.buf as &logrus.JSONFormatter{} formats it,
// without the newline. It reports false, with r.buf in an unspecified
// state, if the entry holds a value it leaves to the formatter.
func (r *render) appendEntry(entry *logrus.Entry) bool {
	if errIndex == nil {
		return false
	}
	r.fields = r.fields[:0]
	for k, v := range entry.Data {
		if !renderable(v) {
			return false
		}
		r.fields = append(r.fields, field{key: k, val: v})
	}
	// As the formatter does, errors become their message; only now, so
	// that no Error method has run for an entry left to the formatter.
	for i := range r.fields {
		if err, ok := r.fields[i].val.(error); ok {
			r.fields[i] = field{key: r.fields[i].key, kind: valStr, str: err.Error()}
		}
	}
	caller := entry.Caller
	r.renameClash(keyTime, false)
	r.renameClash(keyMsg, false)
	r.renameClash(keyLevel, false)
	r.renameClash(keyLogrusErr, false)
	if caller != nil {
		// logrus copies these without deleting them: its own func and
		// file then take their place.
		r.renameClash(keyFunc, true)
		r.renameClash(keyFile, true)
	}
	if e := entryErr(entry); e != "" {
		r.set(field{key: keyLogrusErr, kind: valStr, str: e})
	}
	r.set(field{key: keyTime, kind: valTime})
	r.set(field{key: keyMsg, kind: valStr, str: entry.Message})
	r.set(field{key: keyLevel, kind: valStr, str: entry.Level.String()})
	if caller != nil {
		if caller.Function != "" {
			r.set(field{key: keyFunc, kind: valStr, str: caller.Function})
		}
		r.set(field{key: keyFile, kind: valFile})
	}
	// encoding/json writes a map's members sorted by key. Sorting their
	// positions moves far fewer bytes than sorting the fields.
	// An insertion sort: entries hold a handful of fields.
	r.order = r.order[:0]
	for i := range r.fields {
		key := r.fields[i].key
		j := len(r.order)
		r.order = append(r.order, int32(i))
		for ; j > 0 && key < r.fields[r.order[j-1]].key; j-- {
			r.order[j] = r.order[j-1]
		}
		r.order[j] = int32(i)
	}

	b := append(r.buf[:0], '{')
	for n, i := range r.order {
		f := &r.fields[i]
		if n > 0 {
			b = append(b, ',')
		}
		b = appendString(b, f.key)
		b = append(b, ':')
		switch f.kind {
		case valStr:
			b = appendString(b, f.str)
		case valTime:
			b = append(b, '"')
			b = append(b, r.timeText(entry.Time)...)
			b = append(b, '"')
		case valFile:
			// caller.File+":"+line, escaped as one string.
			b = appendString(b, caller.File)
			b = b[:len(b)-1]
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(caller.Line), 10)
			b = append(b, '"')
		default:
			var ok bool
			if b, ok = appendValue(b, f.val); !ok {
				return false
			}
		}
	}
	r.buf = append(b, '}')
	return true
}

// renderable reports whether appendValue can write v, errors counted in
// (they are written as their message).
func renderable(v any) bool {
	switch v.(type) {
	case nil, string, bool, int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64, uintptr, float32, float64,
		time.Duration, time.Time, error:
		return true
	}
	return false
}

// appendValue writes v as encoding/json does, for the types renderable
// admits but error. It reports false for what encoding/json refuses (NaN,
// infinities, times it cannot write as RFC 3339), leaving those, and their
// error, to the formatter.
func appendValue(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), true
	case string:
		return appendString(b, v), true
	case bool:
		return strconv.AppendBool(b, v), true
	case int:
		return strconv.AppendInt(b, int64(v), 10), true
	case int8:
		return strconv.AppendInt(b, int64(v), 10), true
	case int16:
		return strconv.AppendInt(b, int64(v), 10), true
	case int32:
		return strconv.AppendInt(b, int64(v), 10), true
	case int64:
		return strconv.AppendInt(b, v, 10), true
	case time.Duration: // no methods encoding/json uses: a number
		return strconv.AppendInt(b, int64(v), 10), true
	case uint:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint8:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint16:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint32:
		return strconv.AppendUint(b, uint64(v), 10), true
	case uint64:
		return strconv.AppendUint(b, v, 10), true
	case uintptr:
		return strconv.AppendUint(b, uint64(v), 10), true
	case float32:
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return b, false
		}
		return jsonenc.AppendFloat(b, float64(v), 32), true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return b, false
		}
		return jsonenc.AppendFloat(b, v, 64), true
	case time.Time:
		// Its MarshalJSON: quoted RFC 3339 with nanoseconds, or an error.
		// Its output never needs escaping.
		out, err := v.AppendText(append(b, '"'))
		if err != nil {
			return b, false
		}
		return append(out, '"'), true
	}
	return b, false
}

// appendString appends s as a JSON string escaped as encoding/json does
// with HTML escaping on, its default and logrus's (jsonenc.HTML).
func appendString(b []byte, s string) []byte { return jsonenc.HTML.Append(b, s) }
