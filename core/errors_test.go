package core

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestStderrReporterIsRateLimited(t *testing.T) {
	var out bytes.Buffer
	now := time.Unix(1000, 0)
	r := &stderrReporter{w: &out, interval: time.Second, now: func() time.Time { return now }}
	r.report(errors.New("first"))
	r.report(errors.New("second"))
	r.report(errors.New("third"))
	now = now.Add(time.Second)
	r.report(errors.New("fourth"))
	now = now.Add(time.Second)
	r.report(errors.New("fifth"))
	want := "first\nfourth (2 more errors suppressed)\nfifth\n"
	if got := out.String(); got != want {
		t.Fatalf("reported\n%s\nwant\n%s", got, want)
	}
}

func TestErrorTexts(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&RetryError{Op: "PutLogEvents", Events: 3, Attempt: 2, Err: errors.New("Rate exceeded")}, "PutLogEvents (3 events, attempt 2) failed, retrying: Rate exceeded"},
		{&RejectedError{TooOld: 1, TooNew: 2}, "1 too old, 2 too new, 0 expired, 0 invalid"},
		{&DroppedError{Count: 4, Policy: DropOldest}, "4 events dropped, buffer full (policy DropOldest)"},
		{&UndeliveredError{Count: 5, Err: errors.New("deadline")}, "5 events not delivered: deadline"},
		{&ConfigError{Field: "LogGroup", Rule: "is empty"}, "invalid Config.LogGroup: is empty"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); !strings.Contains(got, tt.want) || !strings.HasPrefix(got, "cwlog: ") {
			t.Errorf("Error() = %q, want it to contain %q", got, tt.want)
		}
	}
}
