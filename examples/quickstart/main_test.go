package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
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

// TestCheckFailureStopsBeforeLogging: when the startup check fails, ship
// returns its *SetupError, with a hint, before logging anything.
func TestCheckFailureStopsBeforeLogging(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	srv.SetFault(cwlogtest.AnyOp, cwlogtest.Fault{Kind: cwlogtest.FaultAccessDenied})
	var out bytes.Buffer
	err := ship(context.Background(), &out, srv.Client(), "cwlog-quickstart", "denied", defaultDeadlines)
	var setup *core.SetupError
	if !errors.As(err, &setup) || !errors.Is(err, errCheck) {
		t.Fatalf("ship = %v, want a failed check's *SetupError", err)
	}
	if !strings.Contains(err.Error(), "access denied") || !strings.Contains(err.Error(), "logs:PutLogEvents") {
		t.Fatalf("ship = %q, want it to name the denied action", err)
	}
	if hint(err) == "" {
		t.Fatal("no hint for a failed check")
	}
	if calls := srv.CallsOf(cwlogtest.OpPutLogEvents); len(calls) != 1 {
		t.Fatalf("%d PutLogEvents calls, want the check's alone", len(calls))
	}
}

// TestStatsPrintedWhenDeliveryFails: access denied after the check passed
// leaves every event undelivered at Close; the statistics say so.
func TestStatsPrintedWhenDeliveryFails(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	srv.SetFaultFunc(func(op string, n int) cwlogtest.Fault {
		if op == cwlogtest.OpPutLogEvents && n > 2 { // the check's probes pass
			return cwlogtest.Fault{Kind: cwlogtest.FaultAccessDenied}
		}
		return cwlogtest.Fault{}
	})
	var out bytes.Buffer
	err := ship(context.Background(), &out, srv.Client(), "cwlog-quickstart", "late-denial", deadlines{check: 10 * time.Second, close: 500 * time.Millisecond})
	var undelivered *core.UndeliveredError
	if !errors.As(err, &undelivered) {
		t.Fatalf("ship = %v, want an *UndeliveredError from Close", err)
	}
	if !strings.Contains(out.String(), "stats: added 6, delivered 0, rejected 0, dropped 6") {
		t.Fatalf("output does not report 6 dropped:\n%s", out.String())
	}
}
