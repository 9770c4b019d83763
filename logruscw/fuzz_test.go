package logruscw_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
)

// FuzzEncode logs an entry built from the fuzz input, with fields of many
// types, through a logger that writes with logrus.JSONFormatter and has a
// Hook sending to a Shipper on the local endpoint. The stored event must
// be exactly the line the logger itself wrote, without its newline, and
// valid JSON; where logrus cannot format the entry, nothing. The seed
// corpus is in testdata/fuzz/FuzzEncode.
func FuzzEncode(f *testing.F) {
	fz := shiptest.NewFuzzEndpoint(f)
	when := time.Now().Add(-time.Minute).Truncate(time.Millisecond)

	f.Fuzz(func(t *testing.T, data []byte) {
		g := &fuzzGen{shiptest.Choices{Data: data}}
		var (
			want    bytes.Buffer
			reports shiptest.Errors
		)
		got := fz.Ship(t, reports.Add, func(s *core.Shipper) {
			log := logrus.New()
			log.SetOutput(&want)
			log.SetFormatter(&logrus.JSONFormatter{})
			log.SetLevel(logrus.TraceLevel)
			log.AddHook(logruscw.NewHook(s, nil))
			log.SetReportCaller(g.Intn(4) == 0)

			entry := log.WithTime(when.Add(time.Duration(g.Intn(1000)) * time.Millisecond))
			for n := g.Intn(7); n > 0; n-- {
				entry = entry.WithField(g.str(), g.value())
			}
			// Trace..Error: Fatal and Panic end the program or the goroutine.
			entry.Log(logrus.Level(2+g.Intn(5)), g.str())
		})
		line := bytes.TrimSuffix(want.Bytes(), []byte("\n"))
		reported := reports.All() // Close has delivered every report
		if len(line) == 0 && len(got) == 0 {
			// A value JSON cannot hold: logrus wrote nothing either, and
			// the Hook reported the formatter's error.
			if len(reported) != 1 || !strings.HasPrefix(reported[0].Error(), "logruscw: format entry: ") {
				t.Fatalf("reports %v, want the formatter's error", reported)
			}
			return
		}
		if len(reported) != 0 {
			t.Fatalf("shipper reported %v", reported)
		}
		if len(got) != 1 || got[0] != string(line) {
			t.Fatalf("stored %q\nlogrus wrote %q", got, line)
		}
		if !json.Valid([]byte(got[0])) {
			t.Fatalf("stored %q is not valid JSON", got[0])
		}
	})
}

// FuzzRender checks the Hook's own rendering of an entry, with fields of
// many types and sometimes a caller, against logrus.JSONFormatter: where
// the Hook renders an entry itself, the bytes must be the formatter's.
func FuzzRender(f *testing.F) {
	f.Add([]byte("\x03\x00\x05key\x00\x01\x02\x03\x04\x05\x06\x07\x08"))
	when := time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &fuzzGen{shiptest.Choices{Data: data}}
		entry := logrus.NewEntry(logrus.New()).WithTime(when.Add(time.Duration(g.Uint64() % (1 << 50))))
		for n := g.Intn(9); n > 0; n-- {
			entry = entry.WithField(g.str(), g.value())
		}
		entry.Level = logrus.Level(g.Intn(8))
		entry.Message = g.str()
		if g.Intn(3) == 0 {
			entry.Caller = &runtime.Frame{Function: g.str(), File: g.str(), Line: g.Intn(200)}
		}
		checkRendered(t, entry)
	})
}

// fuzzGen builds records from fuzz bytes (see shiptest.Choices).
type fuzzGen struct{ shiptest.Choices }

// awkward are strings encoders get wrong: escapes, invalid UTF-8,
// separators, keys that collide with the entry's own.
var awkward = []string{
	"", "msg", "level", "time", "func", "file", "logrus_error", "fields.msg",
	"quote\"back\\slash", "\x00nul", "\x1b[31m", "\u2028\u2029", "\xff\xfe", "é日本🙂",
	"<>&", "line\nbreak", "\ufeff", "\xed\xa0\x80",
}

func (g *fuzzGen) str() string { return g.Text(awkward) }

func (g *fuzzGen) value() any {
	switch g.Intn(16) {
	case 0:
		return g.str()
	case 1:
		return int64(g.Uint64())
	case 2:
		return g.Uint64()
	case 3:
		// JSON has no NaN or infinity; logrus reports those as a
		// formatting error, a path of its own, not of the Hook.
		v := math.Float64frombits(g.Uint64())
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		return v
	case 4:
		return g.Intn(2) == 0
	case 5:
		return errors.New(g.str())
	case 6:
		return []string{g.str(), g.str()}
	case 7:
		return map[string]any{g.str(): g.str(), "n": int(g.Uint64() % 1000)}
	case 8:
		v := math.Float32frombits(uint32(g.Uint64()))
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			v = 0
		}
		return v
	case 9:
		return time.Duration(g.Uint64())
	case 10:
		// Years beyond 9999 and odd zones included: those the formatter
		// refuses, which the Hook must leave to it.
		return time.Unix(int64(g.Uint64()%(1<<40))-(1<<39), int64(g.Uint64()%1e9)).In(time.FixedZone("", g.Intn(200)*600-60000))
	case 11:
		return int8(g.Uint64())
	case 12:
		return uint16(g.Uint64())
	case 13:
		return json.Number("12")
	case 14:
		return func() {} // skipped by logrus, noted under logrus_error
	}
	return nil
}
