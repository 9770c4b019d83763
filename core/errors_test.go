package core

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestErrorTexts(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&RetryError{Op: "PutLogEvents", Events: 3, Attempt: 2, Next: 400 * time.Millisecond, Err: errors.New("Rate exceeded")}, "PutLogEvents of 3 events failed (attempt 2, next in 400ms): Rate exceeded"},
		{&RetryError{Op: "CreateLogStream", Attempt: 1, Next: time.Minute, Err: &SetupError{Cause: "access denied", Fix: "grant it"}}, "CreateLogStream failed (attempt 1, next in 1m0s): access denied; grant it"},
		{&Recovered{Outage: 42 * time.Second, Failures: 7, Waited: 1234}, "delivering again after 42s (7 failed calls); 1234 events waited"},
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
