package jsonenc

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"
)

// stringCases hold every ASCII byte, invalid UTF-8 of each kind, the
// separators JavaScript trips on, and runes of every width.
var stringCases = func() []string {
	var all strings.Builder
	for c := range utf8.RuneSelf {
		all.WriteByte(byte(c))
	}
	return []string{
		"", "plain", all.String(), "<script>&amp;</script>", "\u2028\u2029", "a\u2028b\u2029c",
		"\xff", "\xfe\xff", "\xc3", "\xc3(", "\xed\xa0\x80", "\xf4\x90\x80\x80", "é日本🙂\ufeff",
		"\x00\x01\b\f\x1f\x7f", `"quoted" \back\`,
	}
}()

// slogString is what slog's JSON handler writes for s as an attribute value.
func slogString(t testing.TB, s string) string {
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key != "v" {
				return slog.Attr{}
			}
			return a
		},
	})).Info("", "v", s)
	out := strings.TrimSuffix(buf.String(), "\n")
	v, ok := strings.CutPrefix(out, `{"v":`)
	if !ok {
		t.Fatalf("slog wrote %s", out)
	}
	return strings.TrimSuffix(v, "}")
}

func checkString(t testing.TB, s string) {
	t.Helper()
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := HTML.Append(nil, s); !bytes.Equal(got, want) {
		t.Fatalf("HTML %q: got %s, encoding/json %s", s, got, want)
	}
	if got, want := string(Slog.Append(nil, s)), slogString(t, s); got != want {
		t.Fatalf("Slog %q: got %s, slog %s", s, got, want)
	}
}

func TestAppendMatchesEncoders(t *testing.T) {
	for _, s := range stringCases {
		checkString(t, s)
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range stringCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkString(t, s) })
}
