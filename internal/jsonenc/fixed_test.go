package jsonenc

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// fixedCases are floats at the fast paths' edges, and some far from them.
var fixedCases = []float64{
	0, math.Copysign(0, -1), 0.25, 1.234, 0.1, 1.0 / 3, 1e15, 1e21, 5e-324, math.MaxFloat64,
	math.NaN(), math.Inf(1), 1 << 26, 1<<26 - 0.5, 1<<26 + 1.0/(1<<26), 1<<40 - 1.0/(1<<12), 1 << 40,
	1763800000, 1763800000.123, 1763800000.1234567, 1763800000.0000002, 1763800000.9999998,
	float64(1763800000123456789) / 1e9, float64(2<<31) + 0.5,
}

func checkFloatF(t testing.TB, f float64) {
	t.Helper()
	for _, v := range []float64{f, -f} {
		want := strconv.AppendFloat(nil, v, 'f', -1, 64)
		if got := AppendFloatF(nil, v); string(got) != string(want) {
			t.Fatalf("AppendFloatF(%v): got %s, strconv %s", v, got, want)
		}
	}
}

func checkSeconds(t testing.TB, n int64) {
	t.Helper()
	for _, v := range []int64{n, -n} {
		want := strconv.AppendFloat(nil, float64(v)/1e9, 'f', -1, 64)
		if got := AppendSeconds(nil, v); string(got) != string(want) {
			t.Fatalf("AppendSeconds(%d): got %s, strconv %s", v, got, want)
		}
	}
}

func TestAppendFloatFMatchesStrconv(t *testing.T) {
	for _, f := range fixedCases {
		checkFloatF(t, f)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 300000 {
		// Any bits; any float in the fast path's range; epoch times in
		// nanoseconds, milliseconds and seconds.
		checkFloatF(t, math.Float64frombits(r.Uint64()))
		checkFloatF(t, math.Ldexp(1+r.Float64(), minExp+r.IntN(maxExp-minExp)))
		ns := int64(1e18 + r.Int64N(4e18))
		checkFloatF(t, float64(ns)/1e9)
		checkFloatF(t, float64(ns-ns%1e6)/1e9)
		checkFloatF(t, float64(ns/1e9))
	}
}

func TestAppendSecondsMatchesStrconv(t *testing.T) {
	edges := []int64{0, 1, 9, 10, 1e9, 1e9 + 1, 1234e3, 1 << 53, 1<<53 + 1, 1<<53 - 1, 1e15, 1e15 + 1, 1e16 - 1e6,
		math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 1763800000123456789, 1763800000123000000}
	for _, n := range edges {
		checkSeconds(t, n)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 300000 {
		n := r.Int64N(1 << r.IntN(63))
		checkSeconds(t, n-n%int64(math.Pow10(r.IntN(12))))
	}
}

func FuzzAppendFloatF(f *testing.F) {
	for _, v := range fixedCases {
		f.Add(math.Float64bits(v), int64(v*1e9))
	}
	f.Fuzz(func(t *testing.T, bits uint64, n int64) {
		checkFloatF(t, math.Float64frombits(bits))
		checkFloatF(t, math.Ldexp(1+float64(bits>>12)/(1<<52), minExp+int(bits%(maxExp-minExp))))
		checkSeconds(t, n)
	})
}

func BenchmarkAppendFloatF(b *testing.B) {
	cases := []struct {
		name string
		f    float64
	}{{"epoch", float64(1763800000123456789) / 1e9}, {"epoch-ms", 1763800000.123}, {"ratio", 0.25}}
	for _, c := range cases {
		b.Run(c.name+"/strconv", func(b *testing.B) {
			buf := make([]byte, 0, 64)
			for range b.N {
				buf = strconv.AppendFloat(buf[:0], c.f, 'f', -1, 64)
			}
		})
		b.Run(c.name+"/jsonenc", func(b *testing.B) {
			buf := make([]byte, 0, 64)
			for range b.N {
				buf = AppendFloatF(buf[:0], c.f)
			}
		})
	}
	b.Run("seconds/strconv", func(b *testing.B) {
		buf := make([]byte, 0, 64)
		for range b.N {
			buf = strconv.AppendFloat(buf[:0], float64(1234567)/1e9, 'f', -1, 64)
		}
	})
	b.Run("seconds/jsonenc", func(b *testing.B) {
		buf := make([]byte, 0, 64)
		for range b.N {
			buf = AppendSeconds(buf[:0], 1234567)
		}
	})
}
