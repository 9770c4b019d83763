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

// The Hook's default rendering writes what &logrus.JSONFormatter{} writes,
// without its newline and its cost (a new map, sorted and reflected on by
// encoding/json), for entries holding only the common value types; others
// are left to logrus.JSONFormatter itself.

// errIndex locates logrus.Entry's unexported err field, which the
// formatter writes under "logrus_error"; nil if this logrus has none, and
// then every entry is left to the formatter.
var errIndex = func() []int {
	f, ok := reflect.TypeFor[logrus.Entry]().FieldByName("err")
	if !ok || f.Type.Kind() != reflect.String {
		return nil
	}
	return f.Index
}()

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

	// The last time written and its text: logrus's default layout shows
	// whole seconds, and a busy logger writes the same second many times.
	sec  int64
	loc  *time.Location // nil in a new render, as in no time
	text []byte
}

func (r *render) timeText(t time.Time) []byte {
	if sec, loc := t.Unix(), t.Location(); sec != r.sec || loc != r.loc {
		r.text = t.AppendFormat(r.text[:0], time.RFC3339) // logrus's default
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
		// Drop references to the entry's values; slices.Delete cleared
		// those beyond len.
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
// unless keep, as logrus's prefixFieldClashes does.
func (r *render) renameClash(key string, keep bool) {
	i := r.index(key)
	if i < 0 {
		return
	}
	f := r.fields[i]
	if !keep {
		r.fields = slices.Delete(r.fields, i, i+1)
	}
	f.key = "fields." + key
	r.set(f)
}

// appendEntry writes entry to r.buf as &logrus.JSONFormatter{} would,
// without the newline, or reports false if it leaves it to the formatter.
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
	// Errors become their message, only now, so that no Error method runs
	// for an entry left to the formatter.
	for i := range r.fields {
		if err, ok := r.fields[i].val.(error); ok {
			r.fields[i] = field{key: r.fields[i].key, kind: valStr, str: err.Error()}
		}
	}
	caller := entry.Caller
	r.renameClash("time", false)
	r.renameClash("msg", false)
	r.renameClash("level", false)
	r.renameClash("logrus_error", false)
	if caller != nil {
		// Copied, not deleted: logrus's own func and file replace them.
		r.renameClash("func", true)
		r.renameClash("file", true)
	}
	if e := reflect.ValueOf(entry).Elem().FieldByIndex(errIndex).String(); e != "" {
		r.set(field{key: "logrus_error", kind: valStr, str: e})
	}
	r.set(field{key: "time", kind: valTime})
	r.set(field{key: "msg", kind: valStr, str: entry.Message})
	r.set(field{key: "level", kind: valStr, str: entry.Level.String()})
	if caller != nil {
		if caller.Function != "" {
			r.set(field{key: "func", kind: valStr, str: caller.Function})
		}
		r.set(field{key: "file", kind: valFile})
	}
	// encoding/json sorts a map's members by key. An insertion sort of
	// their positions: it moves far fewer bytes than sorting the fields.
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
		case valFile: // caller.File+":"+line, escaped as one string
			b = appendString(b, caller.File)
			b = strconv.AppendInt(append(b[:len(b)-1], ':'), int64(caller.Line), 10)
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

// renderable reports whether appendValue, or Error, can write v.
func renderable(v any) bool {
	switch v.(type) {
	case nil, string, bool, int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64, uintptr, float32, float64,
		time.Duration, time.Time, error:
		return true
	}
	return false
}

// appendValue writes v, of a type renderable admits but error, as
// encoding/json does. It reports false for what encoding/json refuses
// (NaN, infinities, times outside RFC 3339), leaving it to the formatter.
func appendValue(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), true
	case string:
		return appendString(b, v), true
	case bool:
		return strconv.AppendBool(b, v), true
	case float32:
		return appendFloat(b, float64(v), 32)
	case float64:
		return appendFloat(b, v, 64)
	case time.Time:
		// Its MarshalJSON, which never needs escaping.
		out, err := v.AppendText(append(b, '"'))
		if err != nil {
			return b, false
		}
		return append(out, '"'), true
	}
	// The integers, time.Duration included: it has no method encoding/json
	// uses.
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, rv.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, rv.Uint(), 10), true
	}
	return b, false
}

func appendFloat(b []byte, f float64, bits int) ([]byte, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, false
	}
	return jsonenc.AppendFloat(b, f, bits), true
}

// appendString writes s as encoding/json does by default, HTML-escaped.
func appendString(b []byte, s string) []byte { return jsonenc.HTML.Append(b, s) }
