package slogcw_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"testing/slogtest"
)

// TestConsoleFanout runs testing/slogtest on the fanout handler of
// Example_console over two JSON handlers, judging the first one's output,
// and checks that the second wrote the same: the recipe must be a correct
// slog.Handler on its own.
func TestConsoleFanout(t *testing.T) {
	var a, b bytes.Buffer
	slogtest.Run(t,
		func(*testing.T) slog.Handler {
			a.Reset()
			b.Reset()
			return fanout{slog.NewJSONHandler(&a, nil), slog.NewJSONHandler(&b, nil)}
		},
		func(t *testing.T) map[string]any {
			if a.String() != b.String() {
				t.Errorf("the handlers wrote different records:\n%s\n%s", a.String(), b.String())
			}
			var m map[string]any
			if err := json.Unmarshal(a.Bytes(), &m); err != nil {
				t.Fatalf("%q: %v", a.String(), err)
			}
			return m
		})
}
