package numtext

import (
	"math"
	"testing"
)

func TestThousands(t *testing.T) {
	for n, want := range map[uint64]string{
		0: "0", 7: "7", 999: "999", 1000: "1,000", 45280: "45,280", 999999: "999,999",
		1234567: "1,234,567", math.MaxUint64: "18,446,744,073,709,551,615",
	} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 events", 1: "1 event", 1234: "1,234 events"} {
		if got := Count(n, "event", "events"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
