package writercw

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestLineTime reads the time of lines as zerolog and others write them,
// and falls back to the zero Time, the time of writing, for every line
// whose time it cannot take.
func TestLineTime(t *testing.T) {
	at := time.Date(2025, 3, 4, 5, 6, 7, 891234567, time.UTC)
	cases := []struct {
		name, line string
		want       time.Time // zero: the time of writing
	}{
		{"zerolog default", `{"level":"info","time":"2025-03-04T05:06:07Z","message":"m"}`, at.Truncate(time.Second)},
		{"offset", `{"time":"2025-03-04T07:06:07+02:00"}`, at.Truncate(time.Second)},
		{"nanoseconds", `{"time":"2025-03-04T05:06:07.891234567Z"}`, at},
		{"milliseconds", `{"time":"2025-03-04T05:06:07.891Z"}`, at.Truncate(time.Millisecond)},
		{"unix seconds", `{"time":1741064767}`, at.Truncate(time.Second)},
		{"unix seconds with fraction", `{"time":1741064767.891234567}`, at},
		{"unix milliseconds", `{"time":1741064767891}`, at.Truncate(time.Millisecond)},
		{"unix milliseconds with fraction", `{"time":1741064767891.234567}`, at},
		{"unix microseconds", `{"time":1741064767891234}`, at.Truncate(time.Microsecond)},
		{"unix nanoseconds", `{"time":1741064767891234567}`, at},
		{"spaces", " {\n \"time\" : \t\"2025-03-04T05:06:07Z\" }", at.Truncate(time.Second)},
		{"last member", `{"a":1,"b":[1,{"c":"}"}],"time":1741064767}`, at.Truncate(time.Second)},
		{"first of two", `{"time":1741064767,"time":1}`, at.Truncate(time.Second)},
		{"escaped quotes before", `{"msg":"say \"time\": 1\\","time":1741064767}`, at.Truncate(time.Second)},
		{"nested before", `{"req":{"time":1},"time":1741064767}`, at.Truncate(time.Second)},
		{"key in an array before", `{"a":["time",":"],"time":1741064767}`, at.Truncate(time.Second)},

		{"missing", `{"level":"info","message":"m"}`, time.Time{}},
		{"nested only", `{"req":{"time":1741064767}}`, time.Time{}},
		{"in a string only", `{"msg":"\"time\":1741064767"}`, time.Time{}},
		{"other name", `{"ts":1741064767}`, time.Time{}},
		{"escaped name", `{"ti\u006de":1741064767}`, time.Time{}},
		{"not json", `2025/03/04 05:06:07 hello "time":1741064767`, time.Time{}},
		{"array", `[{"time":1741064767}]`, time.Time{}},
		{"unparsable string", `{"time":"yesterday"}`, time.Time{}},
		{"other layout", `{"time":"2025-03-04 05:06:07"}`, time.Time{}},
		{"escaped string", `{"time":"2025-03-04T05:06:07\u005a"}`, time.Time{}},
		{"null", `{"time":null}`, time.Time{}},
		{"object", `{"time":{"s":1741064767}}`, time.Time{}},
		{"before 1970", `{"time":"1969-12-31T23:59:59Z"}`, time.Time{}},
		{"negative", `{"time":-1741064767}`, time.Time{}},
		{"exponent", `{"time":1.741064767e9}`, time.Time{}},
		{"too many digits", `{"time":17410647678912345678}`, time.Time{}},
		{"empty", ``, time.Time{}},
		{"cut short", `{"level":"info","time":"2025-03-04T05:06:07`, time.Time{}},
		{"cut in a name", `{"level":"info","ti`, time.Time{}},
		{"no colon", `{"time" "x"}`, time.Time{}},
		{"closed", `{}"time":1741064767`, time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := lineTime(c.line, "time"); !got.Equal(c.want) {
				t.Errorf("lineTime(%s) = %v, want %v", c.line, got, c.want)
			}
		})
	}
}

// FuzzMember checks member against encoding/json on valid JSON objects:
// the raw value of the first top-level member named "time", if a string
// or a number, and nothing otherwise. On any input lineTime must return.
func FuzzMember(f *testing.F) {
	for _, s := range []string{
		`{"time":"2025-03-04T05:06:07Z"}`,
		`{"a":{"time":1},"time":2.5}`,
		`{"a":"\"time\":","time":null,"time":3}`,
		`{"b":[{"time":1}],"c":"x\\","time":-4e3}`,
		` { "time" : "x" } `,
		`{"time":1}{"time":2}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		lineTime(line, "time")
		got, isString := member(line, "time")
		// encoding/json decodes names, which member compares as written.
		if !json.Valid([]byte(line)) || strings.Contains(line, `\u`) {
			return
		}
		want, wantString := firstMember(t, line, "time")
		if got != want || isString != wantString {
			t.Fatalf("member(%s) = %q, %v; encoding/json finds %q, %v", line, got, isString, want, wantString)
		}
	})
}

// firstMember returns, for a valid JSON value, what member must.
func firstMember(t *testing.T, line, key string) (string, bool) {
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", false
	}
	for dec.More() {
		name, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		if name != key {
			continue
		}
		raw = bytes.TrimSpace(raw)
		switch c := raw[0]; {
		case c == '"':
			return string(raw[1 : len(raw)-1]), true
		case c == '-' || '0' <= c && c <= '9':
			return string(raw), false
		}
		return "", false
	}
	return "", false
}
