package jsonenc

import (
	"encoding/json"
	"math"
	"testing"
)

// floatCases straddle both exponent cutoffs, at both widths, and include
// the values strconv writes with a two-digit exponent.
var floatCases = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.25, 1.0 / 3, 123456789, 1e20, 1e21, -1e21,
	999999999999999999999, 1e-6, 1e-7, -1e-7, 9.99999e-7, 1.5e-10, 5e-324,
	math.MaxFloat64, math.SmallestNonzeroFloat64, math.MaxFloat32,
	math.SmallestNonzeroFloat32, 1e100, 1.7976931348623157e308, 0.1, 0.000001,
}

// checkFloat compares AppendFloat with encoding/json for v, a float64 or
// a float32; NaN and infinities, which encoding/json refuses, are skipped.
func checkFloat[F float32 | float64](t *testing.T, v F, bits int) {
	t.Helper()
	if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
		return
	}
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if got := AppendFloat(nil, float64(v), bits); string(got) != string(want) {
		t.Fatalf("float%d %v: got %s, encoding/json %s", bits, v, got, want)
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range floatCases {
		checkFloat(t, f, 64)
		checkFloat(t, float32(f), 32)
	}
}

func FuzzAppendFloat(f *testing.F) {
	for _, v := range floatCases {
		f.Add(math.Float64bits(v))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		checkFloat(t, math.Float64frombits(bits), 64)
		checkFloat(t, math.Float32frombits(uint32(bits)), 32)
	})
}
