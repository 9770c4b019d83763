//go:build !race

package sdklog

import "testing"

// TestRedactAllocations checks that a message with nothing to hide, as
// most SDK messages are, costs no allocation.
func TestRedactAllocations(t *testing.T) {
	for _, msg := range []string{"retrying request Logs_20140328.PutLogEvents, attempt 2", responseDump, "Request Signature:\n"} {
		if n := testing.AllocsPerRun(1000, func() { Redact(msg) }); n != 0 {
			t.Errorf("Redact(%q): %.1f allocations, want 0", msg, n)
		}
	}
}
