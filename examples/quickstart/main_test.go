package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestRunPrintsWhatWasStored runs the quickstart on the embedded endpoint
// and checks that every record of every adapter came back as JSON.
func TestRunPrintsWhatWasStored(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, false, "cwlog-quickstart", "test"); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	text := out.String()
	if !strings.Contains(text, "CloudWatch Logs stored 6 events:") {
		t.Fatalf("output does not report 6 stored events:\n%s", text)
	}
	if !strings.Contains(text, "stats: added 6, delivered 6, rejected 0, dropped 0") {
		t.Fatalf("output does not report 6 delivered:\n%s", text)
	}
	adapters := map[string]int{}
	for _, line := range strings.Split(text, "\n") {
		_, msg, ok := strings.Cut(line, "  {")
		if !ok {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte("{"+msg), &rec); err != nil {
			t.Fatalf("stored message is not JSON: %v: %s", err, line)
		}
		adapters[rec["adapter"].(string)]++
	}
	for _, a := range []string{"slog", "logrus", "zap"} {
		if adapters[a] != 2 {
			t.Fatalf("%d records from %s, want 2:\n%s", adapters[a], a, text)
		}
	}
}
