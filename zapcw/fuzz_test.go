package zapcw_test

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/zapcw"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// FuzzEncode logs an entry built from the fuzz input, with fields on the
// entry and on a With clone, through a zapcw core into a Shipper on the
// local endpoint, and checks that the stored event is exactly the line
// zap's own JSON core writes for the same entry, without its newline. The
// seed corpus is in testdata/fuzz/FuzzEncode.
func FuzzEncode(f *testing.F) {
	fz := shiptest.NewFuzzEndpoint(f)
	// Recent, so the endpoint stores it; fixed, so the input decides all.
	when := time.Now().Add(-time.Minute).Truncate(time.Millisecond)

	f.Fuzz(func(t *testing.T, data []byte) {
		g := &fuzzGen{shiptest.Choices{Data: data}}
		with := g.fields(3)
		fields := g.fields(6)
		ent := zapcore.Entry{
			Level:      zapcore.Level(g.Intn(7) - 1), // Debug..Fatal
			Time:       when.Add(time.Duration(g.Intn(1000))*time.Millisecond + time.Duration(g.Uint64()%1e6)),
			LoggerName: g.str(),
			Message:    g.str(),
		}
		if g.Intn(4) == 0 {
			ent.Caller = zapcore.NewEntryCaller(0, g.str()+"/"+g.str()+"/"+g.str(), g.Intn(200), true)
		}
		if g.Intn(4) == 0 {
			ent.Stack = g.str()
		}

		var want bytes.Buffer
		enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
		ref := zapcore.NewCore(enc, zapcore.AddSync(&want), zapcore.DebugLevel).With(with)
		if err := ref.Write(ent, fields); err != nil {
			t.Skipf("zap's own core refuses the entry: %v", err)
		}

		var werr error
		got := fz.Ship(t, func(err error) { t.Errorf("shipper: %v", err) }, func(s *core.Shipper) {
			werr = zapcw.NewCore(s, nil, zapcore.DebugLevel).With(with).Write(ent, fields)
		})
		if werr != nil {
			t.Fatalf("Write: %v", werr)
		}
		line := bytes.TrimSuffix(want.Bytes(), []byte("\n"))
		if len(got) != 1 || got[0] != string(line) {
			t.Fatalf("stored %q\nzap wrote %q", got, line)
		}
	})
}

// fuzzGen builds records from fuzz bytes (see shiptest.Choices).
type fuzzGen struct{ shiptest.Choices }

// awkward are strings that need escaping, or collide with the entry's own
// keys.
var awkward = []string{
	"", "msg", "ts", "quote\"back\\slash", "\x00nul", "\u2028", "\xff\xfe", "é日本🙂", "line\nbreak",
}

func (g *fuzzGen) str() string { return g.Text(awkward) }

func (g *fuzzGen) fields(most int) []zapcore.Field {
	fs := make([]zapcore.Field, g.Intn(most+1))
	for i := range fs {
		fs[i] = g.field()
	}
	return fs
}

func (g *fuzzGen) field() zapcore.Field {
	k := g.str()
	switch g.Intn(10) {
	case 0:
		return zap.String(k, g.str())
	case 1:
		return zap.Int64(k, int64(g.Uint64()))
	case 2:
		return zap.Float64(k, math.Float64frombits(g.Uint64()))
	case 3:
		return zap.Bool(k, g.Intn(2) == 0)
	case 4:
		return zap.Binary(k, []byte(g.str()))
	case 5:
		return zap.Duration(k, time.Duration(g.Uint64()))
	case 6:
		return zap.Time(k, time.Unix(0, int64(g.Uint64()%(1<<62))).UTC())
	case 7:
		return zap.NamedError(k, errors.New(g.str()))
	case 8:
		return zap.Namespace(k)
	}
	return zap.Any(k, map[string]any{g.str(): g.str(), "n": int(g.Uint64() % 1000)})
}
