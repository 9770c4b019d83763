package zapcw_test

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/cwlog/cwlog/zapcw"
)

// zapLine is what zap's JSON encoder with the production configuration
// writes for ent after With(with), without the line ending.
func zapLine(t testing.TB, ent zapcore.Entry, with, fields []zapcore.Field) string {
	t.Helper()
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	for i := range with {
		with[i].AddTo(enc)
	}
	buf, err := enc.EncodeEntry(ent, fields)
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Free()
	return strings.TrimSuffix(buf.String(), "\n")
}

type encodeCase struct {
	name         string
	ent          zapcore.Entry
	with, fields []zapcore.Field
	native       bool // written by zapcw itself, not zap's encoder
}

func encodeCases() []encodeCase {
	when := time.Date(2026, 11, 22, 10, 30, 0, 123456789, time.UTC)
	ent := zapcore.Entry{Level: zapcore.InfoLevel, Time: when, Message: "request served"}
	full := ent
	full.Level, full.LoggerName, full.Stack = zapcore.ErrorLevel, "api.http", "goroutine 1 [running]:\n\tmain.go:12"
	full.Caller = zapcore.NewEntryCaller(0, "/src/github.com/acme/api/handler.go", 42, true)
	odd := ent
	odd.Level, odd.Time, odd.Message = zapcore.Level(-7), time.Time{}, "tab\there \"quoted\" \xff \u2028"
	every := []zapcore.Field{
		zap.String("s", "a\nb"), zap.Bool("t", true), zap.Bool("f", false),
		zap.Int64("i64", math.MinInt64), zap.Int32("i32", -5), zap.Int16("i16", 300), zap.Int8("i8", -128),
		zap.Uint64("u64", math.MaxUint64), zap.Uint32("u32", 7), zap.Uint16("u16", 65535), zap.Uint8("u8", 255),
		zap.Uintptr("p", 0xdeadbeef), zap.Float64("f64", 0.1+0.2), zap.Float32("f32", 0.1),
		zap.Float64("nan", math.NaN()), zap.Float64("inf", math.Inf(1)), zap.Float64("-inf", math.Inf(-1)),
		zap.Float64("epoch", 1763800000.1234567), zap.Float64("neg", -1e21),
		zap.Duration("d", 1234*time.Microsecond), zap.Duration("dmax", math.MaxInt64), zap.Duration("dneg", -time.Nanosecond),
		zap.Time("at", when), zap.Time("local", when.In(time.FixedZone("x", -5*3600))),
		zap.Time("far", time.Date(2500, 1, 1, 0, 0, 0, 1, time.UTC)), zap.Time("before", time.Unix(-86400, 5)),
		zap.ByteString("bs", []byte("x\x00y")), zap.Binary("bin", []byte{0, 1, 2, 250}), zap.Skip(),
		zap.Error(errors.New("plain")), zap.NamedError("wrapped", fmt.Errorf("outer: %w", io.EOF)),
		zap.NamedError("joined", errors.Join(io.EOF, io.ErrUnexpectedEOF)),
		zap.NamedError("panics", &panicError{msg: "boom"}), zap.NamedError("nilptr", (*panicError)(nil)),
		zap.String("", "empty key"), zap.String("msg", "a key the entry uses too"),
	}
	return []encodeCase{
		{"benchmark record", ent, nil, []zapcore.Field{
			zap.String("path", "/api/v1/items"), zap.Int("status", 200), zap.Float64("ratio", 0.25),
			zap.Bool("cached", true), zap.Duration("took", 1234*time.Microsecond),
		}, true},
		{"every writable type", full, nil, every, true},
		{"every writable type under With", ent, every, every[:5], true},
		{"odd level, no time, escapes", odd, nil, nil, true},
		{"fatal and dpanic", zapcore.Entry{Level: zapcore.FatalLevel, Message: "x"}, []zapcore.Field{zap.Int("n", 1)}, nil, true},
		{"a Skip With", ent, []zapcore.Field{zap.Skip()}, []zapcore.Field{zap.Int("n", 1)}, true},
		{"an array field", ent, nil, []zapcore.Field{zap.Int("n", 1), zap.Strings("a", []string{"x"})}, false},
		{"a verbose error", ent, nil, []zapcore.Field{zap.Error(verboseError("v"))}, false},
		{"a Stringer", ent, nil, []zapcore.Field{zap.Stringer("s", time.Second)}, false},
		{"a namespace under With", ent, []zapcore.Field{zap.Namespace("ns"), zap.Int("in", 1)}, []zapcore.Field{zap.Int("n", 1)}, false},
		{"an object", ent, nil, []zapcore.Field{zap.Any("m", map[string]int{"a": 1})}, false},
		{"a complex number", ent, nil, []zapcore.Field{zap.Complex128("c", 1+2i)}, false},
	}
}

// TestEncodeMatchesZap checks that every entry is shipped exactly as zap's
// encoder writes it, and that zapcw writes those it says it can itself.
func TestEncodeMatchesZap(t *testing.T) {
	for _, c := range encodeCases() {
		t.Run(c.name, func(t *testing.T) {
			want := zapLine(t, c.ent, c.with, c.fields)
			got, native, err := zapcw.Encoder(c.with)(c.ent, c.fields)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			if native != c.native {
				t.Errorf("written by zapcw itself: %v, want %v", native, c.native)
			}
		})
	}
}

// BenchmarkEncode compares zap's encoder with zapcw's own on the hot
// path benchmark's record, each ending in a string the Shipper can keep.
func BenchmarkEncode(b *testing.B) {
	c := encodeCases()[0]
	b.Run("zap-encoder", func(b *testing.B) {
		enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
		for range b.N {
			buf, _ := enc.EncodeEntry(c.ent, c.fields)
			_ = strings.Clone(buf.String())
			buf.Free()
		}
	})
	b.Run("zapcw", func(b *testing.B) {
		encode := zapcw.Encoder(nil)
		for range b.N {
			_, _, _ = encode(c.ent, c.fields)
		}
	})
}
