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

// appendValue writes v as slog's JSON handler does: durations in
// nanoseconds, times in RFC 3339, errors as their message, anything else
// not built in through encoding/json, or "!ERROR:" and its error.
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

func appendQuoted(b []byte, s string) []byte { return jsonenc.Slog.Append(b, s) }

func appendTime(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 0 || y >= 10000 {
		// What encoding/json reports for times it cannot write.
		return appendQuoted(b, "!ERROR:time.Time year outside of range [0,9999]")
	}
	return append(t.AppendFormat(append(b, '"'), time.RFC3339Nano), '"')
}

func appendLevel(b []byte, l slog.Level) []byte { return appendQuoted(b, l.String()) }

// appendFloat leaves NaN and infinities to encoding/json, for its error.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return appendJSON(b, f)
	}
	return jsonenc.AppendFloat(b, f, 64)
}

// appendAny writes a value of kind Any. A panic in its methods, which
// happens before anything is written, is written in its place, "<nil>" for
// a nil pointer, as slog does.
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

// appendJSON writes v as encoding/json does without HTML escaping.
func appendJSON(b []byte, v any) []byte {
	j := jsonPool.Get().(*jsonEncoder)
	j.buf.Reset() // a panic in a MarshalJSON may have left bytes behind
	defer func() {
		if j.buf.Cap() <= maxPooledBuf {
			jsonPool.Put(j)
		}
	}()
	if err := j.enc.Encode(v); err != nil {
		return appendQuoted(b, "!ERROR:"+err.Error())
	}
	out := j.buf.Bytes()
	return append(b, out[:len(out)-1]...) // Encode ends with a newline
}
