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

	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
)

// formatted is what a zero logrus.JSONFormatter writes for entry, without
// the newline, or its error.
func formatted(entry *logrus.Entry) (string, error) {
	b, err := (&logrus.JSONFormatter{}).Format(entry)
	return string(bytes.TrimSuffix(b, []byte("\n"))), err
}

// checkRendered fails t unless the Hook's own rendering of entry is the
// formatter's output, byte for byte, and reports whether the Hook
// rendered it rather than leaving it to the formatter.
func checkRendered(t *testing.T, entry *logrus.Entry) bool {
	t.Helper()
	got, ok := logruscw.RenderJSON(entry)
	if !ok {
		return false
	}
	want, err := formatted(entry)
	if err != nil {
		t.Fatalf("rendered %s, but the formatter fails: %v", got, err)
	}
	if got != want {
		t.Fatalf("rendered  %s\nformatter %s", got, want)
	}
	return true
}

type textErr struct{ s string }

func (e textErr) Error() string { return e.s }

// marshalingErr is an error that also marshals itself: logrus writes
// its message.
type marshalingErr struct{}

func (marshalingErr) Error() string                { return "as error" }
func (marshalingErr) MarshalJSON() ([]byte, error) { return []byte(`"as json"`), nil }

type named string

func TestRenderMatchesFormatter(t *testing.T) {
	when := time.Date(2026, 11, 22, 7, 30, 15, 123456789, time.FixedZone("", 5*3600+1800))
	caller := &runtime.Frame{Function: "main.<handler>", File: "/src/a&b/\"main\".go", Line: 42}
	noFunc := &runtime.Frame{File: "x.go", Line: 7}
	rendered := []struct {
		name   string
		fields logrus.Fields
		msg    string
		level  logrus.Level
		caller *runtime.Frame
	}{
		{"none", nil, "hello", logrus.InfoLevel, nil},
		{"benchmark record", logrus.Fields{"path": "/api/v1/items", "status": 200, "ratio": 0.25, "cached": true, "took": 1234 * time.Microsecond}, "request served", logrus.InfoLevel, nil},
		{"every integer", logrus.Fields{"i": -1, "i8": int8(-8), "i16": int16(-16), "i32": int32(-32), "i64": int64(math.MinInt64), "u": uint(1), "u8": uint8(255), "u16": uint16(16), "u32": uint32(32), "u64": uint64(math.MaxUint64), "p": uintptr(99)}, "", logrus.DebugLevel, nil},
		{"floats", logrus.Fields{"a": 1e21, "b": 1e-7, "c": float32(0.1), "d": float32(1e-7), "e": math.Copysign(0, -1), "f": math.MaxFloat64, "g": 123456.789}, "m", logrus.WarnLevel, nil},
		{"nil and bool", logrus.Fields{"nil": nil, "t": true, "f": false}, "m", logrus.ErrorLevel, nil},
		{"errors", logrus.Fields{logrus.ErrorKey: errors.New("boom <&>"), "typed": textErr{"typed\n"}, "both": marshalingErr{}}, "m", logrus.TraceLevel, nil},
		{"times", logrus.Fields{"utc": when.UTC(), "zone": when, "zero": time.Time{}}, "m", logrus.InfoLevel, nil},
		{"escapes", logrus.Fields{"<key>": "\"q\" \\ \b\f\n\r\t \x00\x1f\x7f <&> \u2028\u2029 \xff\xfe é日本🙂 \ufeff \xed\xa0\x80"}, "a\u2028b<c>", logrus.InfoLevel, nil},
		{"clashes", logrus.Fields{"time": 1, "msg": 2, "level": 3, "logrus_error": 4, "fields.msg": 5, "func": 6, "file": 7}, "m", logrus.InfoLevel, nil},
		{"clashes with caller", logrus.Fields{"time": 1, "func": 6, "file": 7, "fields.file": 8}, "m", logrus.InfoLevel, caller},
		{"caller without function", logrus.Fields{"func": "kept"}, "m", logrus.InfoLevel, noFunc},
		{"unknown level", logrus.Fields{"k": "v"}, "m", logrus.Level(99), nil},
		{"keys sort bytewise", logrus.Fields{"b": 1, "B": 2, "a": 3, "é": 4, "_": 5, "": 6, "a\x00": 7}, "m", logrus.InfoLevel, nil},
	}
	for _, c := range rendered {
		t.Run(c.name, func(t *testing.T) {
			entry := logrus.NewEntry(logrus.New()).WithTime(when).WithFields(c.fields)
			entry.Message, entry.Level, entry.Caller = c.msg, c.level, c.caller
			if !checkRendered(t, entry) {
				t.Fatal("left to the formatter")
			}
		})
	}
}

// TestRenderTimeChanges checks the text kept for the last second written:
// entries of one second in two zones, of the next second, and back.
func TestRenderTimeChanges(t *testing.T) {
	base := time.Date(2026, 11, 22, 7, 30, 15, 0, time.UTC)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	for _, when := range []time.Time{
		base, base.Add(999 * time.Millisecond), base.In(ny), base.Local(), base.Add(time.Second),
		base.Add(time.Second).In(ny), base, time.Time{}, base.AddDate(-3000, 0, 0),
	} {
		entry := logrus.NewEntry(logrus.New()).WithTime(when)
		entry.Message = "m"
		if !checkRendered(t, entry) {
			t.Fatal("left to the formatter")
		}
	}
}

func TestRenderSkippedField(t *testing.T) {
	// logrus skips a func value and notes it, and its formatter writes the
	// note under "logrus_error"; a user's "logrus_error" moves aside.
	entry := logrus.NewEntry(logrus.New()).WithFields(logrus.Fields{"f": func() {}, "logrus_error": "mine"}).WithField("g", func() {})
	entry.Message = "m"
	if !checkRendered(t, entry) {
		t.Fatal("left to the formatter")
	}
	got, _ := logruscw.RenderJSON(entry)
	if !strings.Contains(got, `"logrus_error":"skipping unsupported field`) {
		t.Fatalf("no note of the skipped fields in %s", got)
	}
}

func TestRenderLeavesOtherValuesToFormatter(t *testing.T) {
	for name, v := range map[string]any{
		"NaN":            math.NaN(),
		"infinity":       float32(math.Inf(-1)),
		"year 10000":     time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		"named string":   named("x"),
		"json.Number":    json.Number("1"),
		"bytes":          []byte("x"),
		"slice":          []string{"a"},
		"map":            map[string]int{"a": 1},
		"struct":         struct{ A int }{1},
		"pointer":        new(int),
		"nil pointer":    (*int)(nil),
		"duration slice": []time.Duration{1},
	} {
		entry := logrus.NewEntry(logrus.New()).WithFields(logrus.Fields{"v": v, "e": errors.New("x")})
		if _, ok := logruscw.RenderJSON(entry); ok {
			t.Errorf("%s: rendered by the Hook, not left to the formatter", name)
		}
	}
}

// TestHookUsesFormatterForOtherValues checks the whole path: an entry the
// Hook leaves to the formatter still arrives as the formatter writes it.
func TestHookUsesFormatterForOtherValues(t *testing.T) {
	srv, s := newShipper(t, nil)
	l := newLogger(s, nil)
	l.WithFields(logrus.Fields{"list": []int{1, 2}, "n": 1}).Info("mixed")
	flush(t, s)
	got := srv.Messages(testGroup, testStream)
	if len(got) != 1 || !strings.Contains(got[0], `"list":[1,2]`) || !strings.Contains(got[0], `"msg":"mixed"`) {
		t.Fatalf("stored %q", got)
	}
}
