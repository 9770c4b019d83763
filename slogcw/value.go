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

	"github.com/cwlog/cwlog/internal/jsonenc"
)

// appendValue writes v as slog's JSON handler does: numbers, booleans and
// durations (in nanoseconds) bare, strings and times (RFC 3339 with
// nanoseconds) quoted, errors as their message, anything else through
// encoding/json without HTML escaping. A value that cannot be encoded is
// written as the string "!ERROR:" followed by the error.
func appendValue(b []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return appendQuoted(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindFloat64:
		return appendFloat(b, v.Float64())
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindDuration:
		return strconv.AppendInt(b, int64(v.Duration()), 10)
	case slog.KindTime:
		return appendTime(b, v.Time())
	case slog.KindAny:
		return appendAny(b, v.Any())
	}
	// Groups and LogValuers never get here; say so rather than panic.
	return appendQuoted(b, fmt.Sprintf("!PANIC: bad kind: %s", v.Kind()))
}

func appendError(b []byte, err error) []byte {
	return appendQuoted(b, fmt.Sprintf("!ERROR:%v", err))
}

// errYearRange is what encoding/json reports for times it cannot write.
const errYearRange = "!ERROR:time.Time year outside of range [0,9999]"

func appendTime(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 0 || y >= 10000 {
		return appendQuoted(b, errYearRange)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendLevel writes l as Level.String does, quoted.
func appendLevel(b []byte, l slog.Level) []byte {
	switch l {
	case slog.LevelDebug:
		return append(b, `"DEBUG"`...)
	case slog.LevelInfo:
		return append(b, `"INFO"`...)
	case slog.LevelWarn:
		return append(b, `"WARN"`...)
	case slog.LevelError:
		return append(b, `"ERROR"`...)
	}
	return appendQuoted(b, l.String())
}

// appendFloat writes f exactly as encoding/json does (jsonenc.AppendFloat).
// NaN and infinities, which JSON cannot hold, go through encoding/json for
// its error.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return appendJSON(b, f)
	}
	return jsonenc.AppendFloat(b, f, 64)
}

// appendAny writes a value of kind Any. A panic in the value's own methods
// is written in its place, "<nil>" for a nil pointer, as slog does;
// nothing has been written for the value when such a panic happens.
func appendAny(b []byte, a any) (out []byte) {
	defer func() {
		if r := recover(); r != nil {
			if rv := reflect.ValueOf(a); rv.Kind() == reflect.Pointer && rv.IsNil() {
				out = appendQuoted(b, "<nil>")
				return
			}
			out = appendQuoted(b, fmt.Sprintf("!PANIC: %v", r))
		}
	}()
	switch x := a.(type) {
	case slog.Level:
		// Its MarshalJSON quotes Level.String, which never needs escaping.
		return appendLevel(b, x)
	case json.Marshaler:
	case error:
		return appendQuoted(b, x.Error())
	}
	return appendJSON(b, a)
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

// appendJSON writes v as encoding/json encodes it without HTML escaping,
// or its error.
func appendJSON(b []byte, v any) []byte {
	j := jsonPool.Get().(*jsonEncoder)
	j.buf.Reset() // a panic in a MarshalJSON may have left bytes behind
	defer func() {
		if j.buf.Cap() <= maxPooledBuf {
			jsonPool.Put(j)
		}
	}()
	if err := j.enc.Encode(v); err != nil {
		return appendError(b, err)
	}
	out := j.buf.Bytes()
	return append(b, out[:len(out)-1]...) // Encode ends with a newline
}
