package sdklog

import (
	"testing"

	"github.com/aws/smithy-go/logging"
)

func TestLevel(t *testing.T) {
	for class, want := range map[logging.Classification]string{
		logging.Warn: "warn", logging.Debug: "debug", "": "info", "Trace": "info",
	} {
		if got := Level(class, "warn", "debug", "info"); got != want {
			t.Errorf("Level(%q) = %s, want %s", class, got, want)
		}
	}
}
