package zapcw

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
	"unsafe"

	"github.com/cwlog/cwlog/internal/jsonenc"
	"go.uber.org/zap/zapcore"
)

// A core made with a nil encoder writes its entries itself, straight into
// the block its message is carved from, byte for byte as
// zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()) would write
// them, without the line ending. That saves zap's encoder's own overhead
// and the copy out of its buffer on every record. An entry with a field of
// any type this file does not write (see writable) goes to zap's encoder,
// which the core always keeps, so the output never differs.
//
// With the production configuration the level is lowercase, times (the
// entry's and time fields) are float seconds since the epoch, durations
// are float seconds, the caller is its trimmed path and there is no
// function key.

// writable reports whether appendField writes f exactly as zap's JSON
// encoder would. It decides before any method of f's value runs, so that
// an entry is written by one encoder only.
func writable(f *zapcore.Field) bool {
	switch f.Type {
	case zapcore.StringType, zapcore.BoolType, zapcore.SkipType,
		zapcore.Int64Type, zapcore.Int32Type, zapcore.Int16Type, zapcore.Int8Type,
		zapcore.Uint64Type, zapcore.Uint32Type, zapcore.Uint16Type, zapcore.Uint8Type,
		zapcore.UintptrType, zapcore.Float64Type, zapcore.Float32Type, zapcore.DurationType:
		return true
	case zapcore.ByteStringType, zapcore.BinaryType:
		_, ok := f.Interface.([]byte)
		return ok
	case zapcore.TimeType:
		if f.Interface == nil {
			return true
		}
		loc, ok := f.Interface.(*time.Location)
		return ok && loc != nil
	case zapcore.TimeFullType:
		_, ok := f.Interface.(time.Time)
		return ok
	case zapcore.ErrorType:
		// zap adds a "Causes" array for the first and a "Verbose" text
		// for the second.
		switch f.Interface.(type) {
		case interface{ Errors() []error }, fmt.Formatter:
			return false
		case error:
			return true
		}
	}
	return false
}

// allWritable reports whether writable holds for every field.
func allWritable(fields []zapcore.Field) bool {
	for i := range fields {
		if !writable(&fields[i]) {
			return false
		}
	}
	return true
}

// levelJSON holds the encoded names of zap's levels, from DebugLevel.
var levelJSON = func() []string {
	var names []string
	for l := zapcore.DebugLevel; l <= zapcore.FatalLevel; l++ {
		names = append(names, string(jsonenc.Zap.Append(nil, l.String())))
	}
	return names
}()

// appendEntry appends ent with the With fields already encoded in prefix
// and then fields, every one writable, as one JSON object.
func appendEntry(b []byte, ent *zapcore.Entry, prefix []byte, fields []zapcore.Field) []byte {
	b = append(b, `{"level":`...)
	if i := int(ent.Level - zapcore.DebugLevel); i >= 0 && i < len(levelJSON) {
		b = append(b, levelJSON[i]...)
	} else {
		b = jsonenc.Zap.Append(b, ent.Level.String())
	}
	if !ent.Time.IsZero() {
		b = append(b, `,"ts":`...)
		b = appendEpoch(b, ent.Time.UnixNano())
	}
	if ent.LoggerName != "" {
		b = append(b, `,"logger":`...)
		b = jsonenc.Zap.Append(b, ent.LoggerName)
	}
	if ent.Caller.Defined {
		b = append(b, `,"caller":`...)
		b = jsonenc.Zap.Append(b, ent.Caller.TrimmedPath())
	}
	b = append(b, `,"msg":`...)
	b = jsonenc.Zap.Append(b, ent.Message)
	b = append(b, prefix...)
	for i := range fields {
		b = appendField(b, &fields[i])
	}
	if ent.Stack != "" {
		b = append(b, `,"stacktrace":`...)
		b = jsonenc.Zap.Append(b, ent.Stack)
	}
	return append(b, '}')
}

// appendField appends a writable field with a comma before it, or
// nothing for a Skip field.
func appendField(b []byte, f *zapcore.Field) []byte {
	switch f.Type {
	case zapcore.SkipType:
		return b
	case zapcore.StringType:
		return jsonenc.Zap.Append(appendKey(b, f.Key), f.String)
	case zapcore.BoolType:
		return strconv.AppendBool(appendKey(b, f.Key), f.Integer == 1)
	case zapcore.Int64Type:
		return strconv.AppendInt(appendKey(b, f.Key), f.Integer, 10)
	case zapcore.Int32Type:
		return strconv.AppendInt(appendKey(b, f.Key), int64(int32(f.Integer)), 10)
	case zapcore.Int16Type:
		return strconv.AppendInt(appendKey(b, f.Key), int64(int16(f.Integer)), 10)
	case zapcore.Int8Type:
		return strconv.AppendInt(appendKey(b, f.Key), int64(int8(f.Integer)), 10)
	case zapcore.Uint64Type:
		return strconv.AppendUint(appendKey(b, f.Key), uint64(f.Integer), 10)
	case zapcore.Uint32Type:
		return strconv.AppendUint(appendKey(b, f.Key), uint64(uint32(f.Integer)), 10)
	case zapcore.Uint16Type:
		return strconv.AppendUint(appendKey(b, f.Key), uint64(uint16(f.Integer)), 10)
	case zapcore.Uint8Type:
		return strconv.AppendUint(appendKey(b, f.Key), uint64(uint8(f.Integer)), 10)
	case zapcore.UintptrType:
		return strconv.AppendUint(appendKey(b, f.Key), uint64(uintptr(f.Integer)), 10)
	case zapcore.Float64Type:
		return appendFloat(appendKey(b, f.Key), math.Float64frombits(uint64(f.Integer)), 64)
	case zapcore.Float32Type:
		return appendFloat(appendKey(b, f.Key), float64(math.Float32frombits(uint32(f.Integer))), 32)
	case zapcore.DurationType:
		// SecondsDurationEncoder.
		return jsonenc.AppendSeconds(appendKey(b, f.Key), f.Integer)
	case zapcore.TimeType:
		// The location does not change the instant, which is all
		// EpochTimeEncoder writes.
		return appendEpoch(appendKey(b, f.Key), time.Unix(0, f.Integer).UnixNano())
	case zapcore.TimeFullType:
		return appendEpoch(appendKey(b, f.Key), f.Interface.(time.Time).UnixNano())
	case zapcore.ByteStringType:
		v := f.Interface.([]byte)
		return jsonenc.Zap.Append(appendKey(b, f.Key), unsafe.String(unsafe.SliceData(v), len(v)))
	case zapcore.BinaryType:
		// Base64 needs no escaping.
		b = append(appendKey(b, f.Key), '"')
		b = base64.StdEncoding.AppendEncode(b, f.Interface.([]byte))
		return append(b, '"')
	case zapcore.ErrorType:
		return appendError(b, f.Key, f.Interface.(error))
	}
	panic(fmt.Sprintf("zapcw: field type %v is not writable", f.Type))
}

// appendKey appends a comma and key as an object's key.
func appendKey(b []byte, key string) []byte {
	b = jsonenc.Zap.Append(append(b, ','), key)
	return append(b, ':')
}

// appendFloat appends f as zap's JSON encoder does: never with an
// exponent, and NaN and the infinities as strings.
func appendFloat(b []byte, f float64, bitSize int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"+Inf"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Inf"`...)
	}
	if bitSize == 64 {
		return jsonenc.AppendFloatF(b, f)
	}
	return strconv.AppendFloat(b, f, 'f', -1, bitSize)
}

// appendEpoch appends nanos as EpochTimeEncoder does: float seconds.
func appendEpoch(b []byte, nanos int64) []byte { return jsonenc.AppendSeconds(b, nanos) }

// appendError appends a plain error field as zap does: its text under the
// key; for an Error method that panics, "<nil>" when the error is a nil
// pointer, and otherwise the panic under the key with "Error" added.
func appendError(b []byte, key string, err error) []byte {
	text, p := errorText(err)
	switch {
	case p == nil:
	case isNilPointer(err):
		text = "<nil>"
	default:
		key += "Error"
		text = fmt.Sprintf("PANIC=%v", p)
	}
	return jsonenc.Zap.Append(appendKey(b, key), text)
}

// errorText returns err.Error(), or what it panicked with.
func errorText(err error) (text string, panicked any) {
	defer func() { panicked = recover() }()
	return err.Error(), nil
}

func isNilPointer(v any) bool {
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}
