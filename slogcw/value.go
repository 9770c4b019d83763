package slogcw

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"strconv"
	"sync"
	"time"
)

// appendValue writes v as slog's JSON handler does: numbers, booleans and
// durations (in nanoseconds) bare, strings and times (RFC 3339 with
// nanoseconds) quoted, errors as their message, anything else through
// encoding/json without HTML escaping. A value that cannot be encoded is
// written as the string "!ERROR:" followed by the error.
func (st *state) appendValue(v slog.Value) {
	switch v.Kind() {
	case slog.KindString:
		st.appendString(v.String())
	case slog.KindInt64:
		st.buf = strconv.AppendInt(st.buf, v.Int64(), 10)
	case slog.KindUint64:
		st.buf = strconv.AppendUint(st.buf, v.Uint64(), 10)
	case slog.KindFloat64:
		st.appendFloat(v.Float64())
	case slog.KindBool:
		st.buf = strconv.AppendBool(st.buf, v.Bool())
	case slog.KindDuration:
		st.buf = strconv.AppendInt(st.buf, int64(v.Duration()), 10)
	case slog.KindTime:
		st.appendTime(v.Time())
	case slog.KindAny:
		st.appendAny(v.Any())
	default:
		// Groups and LogValuers never get here; say so rather than panic.
		st.appendString(fmt.Sprintf("!PANIC: bad kind: %s", v.Kind()))
	}
}

func (st *state) appendError(err error) {
	st.appendString(fmt.Sprintf("!ERROR:%v", err))
}

// errYearRange is what encoding/json reports for times it cannot write.
var errYearRange = "!ERROR:time.Time year outside of range [0,9999]"

func (st *state) appendTime(t time.Time) {
	if y := t.Year(); y < 0 || y >= 10000 {
		st.appendString(errYearRange)
		return
	}
	st.buf = append(st.buf, '"')
	st.buf = t.AppendFormat(st.buf, time.RFC3339Nano)
	st.buf = append(st.buf, '"')
}

// appendFloat writes f exactly as encoding/json does: the shortest
// representation, in exponent form only below 1e-6 or from 1e21 on, with a
// two-digit negative exponent trimmed to one digit. NaN and infinities,
// which JSON cannot hold, go through encoding/json for its error.
func (st *state) appendFloat(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		st.appendJSON(f)
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(st.buf, f, format, -1, 64)
	if format == 'e' {
		// e-09 -> e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	st.buf = b
}

// appendAny writes a value of kind Any. A panic in the value's own methods
// is written in its place, "<nil>" for a nil pointer, as slog does.
func (st *state) appendAny(a any) {
	defer func() {
		if r := recover(); r != nil {
			if rv := reflect.ValueOf(a); rv.Kind() == reflect.Pointer && rv.IsNil() {
				st.appendString("<nil>")
				return
			}
			st.appendString(fmt.Sprintf("!PANIC: %v", r))
		}
	}()
	switch x := a.(type) {
	case slog.Level:
		// Its MarshalJSON quotes Level.String, which never needs escaping.
		st.appendString(x.String())
		return
	case json.Marshaler:
	case error:
		st.appendString(x.Error())
		return
	}
	st.appendJSON(a)
}

// jsonEncoder is encoding/json set up as slog's JSON handler uses it.
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonPool = sync.Pool{New: func() any {
	j := new(jsonEncoder)
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	return j
}}

func (st *state) appendJSON(v any) {
	j := jsonPool.Get().(*jsonEncoder)
	j.buf.Reset() // a panic in a MarshalJSON may have left bytes behind
	defer func() {
		if j.buf.Cap() <= maxPooledBuf {
			jsonPool.Put(j)
		}
	}()
	if err := j.enc.Encode(v); err != nil {
		st.appendError(err)
		return
	}
	b := j.buf.Bytes()
	st.buf = append(st.buf, b[:len(b)-1]...) // Encode ends with a newline
}
