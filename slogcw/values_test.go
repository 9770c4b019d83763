package slogcw

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/netip"
	"time"
)

// Values of every kind and of the awkward cases a JSON encoder must get
// right, shared by the differential table and fuzz tests.

type marshaler struct{ S string }

func (m marshaler) MarshalJSON() ([]byte, error) { return []byte(` { "m" : "` + m.S + `" } `), nil }

type failingMarshaler struct{}

func (failingMarshaler) MarshalJSON() ([]byte, error) { return nil, errors.New("no JSON for you") }

type panickingMarshaler struct{}

func (panickingMarshaler) MarshalJSON() ([]byte, error) { panic("marshal exploded") }

type ptrError struct{ msg string }

func (e *ptrError) Error() string { return e.msg } // panics on a nil *ptrError

type marshalingError struct{}

func (marshalingError) Error() string                { return "the error text" }
func (marshalingError) MarshalJSON() ([]byte, error) { return []byte(`{"code":42}`), nil }

type textMarshaler struct{ v int }

func (t textMarshaler) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("<tm %d>", t.v)), nil }

type logValuer struct{ v slog.Value }

func (l logValuer) LogValue() slog.Value { return l.v }

type structValue struct {
	Name  string            `json:"name"`
	Tags  []string          `json:"tags,omitempty"`
	Inner map[string]any    `json:"inner"`
	Skip  func()            `json:"-"`
	Raw   json.RawMessage   `json:"raw,omitempty"`
	M     map[string]string `json:"m,omitempty"`
}

var (
	fixedTime = time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.UTC)
	zoneTime  = time.Date(2023, 7, 1, 8, 30, 0, 100, time.FixedZone("X", -(7*3600+30*60)))
)

// awkwardStrings need escaping or are otherwise easy to get wrong.
var awkwardStrings = []string{
	"",
	"plain",
	`quote " and backslash \`,
	"controls \x00\x01\x1f\x7f \b\f \n\r\t",
	"<script>&amp;</script>",
	"line\u2028para\u2029sep",
	"invalid \xff\xfe utf-8 \xc3",
	"truncated rune \xe6\x97",
	"日本語 and emoji 🎉",
	"\ufffd already a replacement",
	"nul\x00inside",
}

var awkwardFloats = []float64{
	0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e20, 1e21, 123456789012345678901.0,
	1e-6, 9.99e-7, 1e-7, 5e-324, math.MaxFloat64, -math.MaxFloat64, 3.141592653589793,
	1.0000000000000002, 100, 1e100, -2.5e-10,
	math.NaN(), math.Inf(1), math.Inf(-1),
}

// awkwardValues covers each Kind and the special cases of KindAny.
func awkwardValues() []slog.Value {
	vs := []slog.Value{
		slog.IntValue(0), slog.Int64Value(math.MinInt64), slog.Int64Value(math.MaxInt64),
		slog.Uint64Value(math.MaxUint64), slog.BoolValue(true), slog.BoolValue(false),
		slog.DurationValue(0), slog.DurationValue(1500 * time.Millisecond), slog.DurationValue(-time.Nanosecond),
		slog.TimeValue(fixedTime), slog.TimeValue(zoneTime), slog.TimeValue(time.Time{}),
		slog.TimeValue(time.Unix(-1, 0).UTC()), slog.TimeValue(time.Now()),
		slog.TimeValue(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)),
		slog.TimeValue(time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)),
		slog.AnyValue(nil),
		slog.AnyValue([]int{1, 2, 3}),
		slog.AnyValue([]byte("bytes<>")),
		slog.AnyValue(map[string]any{"b": 2, "a": "<&>", "c": []any{nil, true}}),
		slog.AnyValue(structValue{Name: "n\u2028", Tags: []string{"x"}, Inner: map[string]any{"k": 1.5}, Raw: json.RawMessage(` [1, 2] `)}),
		slog.AnyValue(&structValue{Name: "ptr"}),
		slog.AnyValue(marshaler{S: "<html>&"}),
		slog.AnyValue(&marshaler{S: "ptr"}),
		slog.AnyValue((*marshaler)(nil)),
		slog.AnyValue(failingMarshaler{}),
		slog.AnyValue(panickingMarshaler{}),
		slog.AnyValue(errors.New("plain error <&>")),
		slog.AnyValue(fmt.Errorf("wrapped: %w", errors.New("inner"))),
		slog.AnyValue(&ptrError{msg: "pointer error"}),
		slog.AnyValue((*ptrError)(nil)),
		slog.AnyValue(marshalingError{}),
		slog.AnyValue(textMarshaler{v: 7}),
		slog.AnyValue(map[textMarshaler]int{{v: 1}: 1}),
		slog.AnyValue(netip.MustParseAddr("192.0.2.1")),
		slog.AnyValue(slog.LevelWarn),
		slog.AnyValue(slog.Level(3)),
		slog.AnyValue(slog.Level(-9)),
		slog.AnyValue(slog.Source{Function: "f", File: "a.go", Line: 3}),
		slog.AnyValue(&slog.Source{Function: "f", File: "a.go", Line: 3}),
		slog.AnyValue(&slog.Source{File: "only-file.go"}),
		slog.AnyValue(&slog.Source{}),
		slog.AnyValue((*slog.Source)(nil)),
		slog.AnyValue(make(chan int)),
		slog.AnyValue(func() {}),
		slog.AnyValue(complex(1, 2)),
		slog.AnyValue(math.NaN()),
		slog.AnyValue(float32(1.1)),
		slog.AnyValue(struct{ A, b int }{1, 2}),
		slog.AnyValue(time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)), // becomes KindTime
		slog.AnyValue(uint8(200)),
		slog.AnyValue(logValuer{slog.StringValue("resolved")}),
		slog.AnyValue(logValuer{slog.AnyValue(logValuer{slog.IntValue(2)})}),
		slog.AnyValue(logValuer{slog.GroupValue(slog.Int("lv", 1), slog.String("lw", "x"))}),
		slog.AnyValue(logValuer{slog.GroupValue()}),
		slog.GroupValue(slog.Int("a", 1), slog.Group("b", slog.String("c", "d"))),
	}
	for _, s := range awkwardStrings {
		vs = append(vs, slog.StringValue(s))
	}
	for _, f := range awkwardFloats {
		vs = append(vs, slog.Float64Value(f))
	}
	return vs
}

var awkwardKeys = []string{"k", "", "time", "msg", "level", "source", "a\"b", "<k>", "sp ace", "\xff", "\u2028", "drop"}
