package writercw_test

import (
	"testing"

	"github.com/cwlog/cwlog/internal/shiptest"
)

func TestMain(m *testing.M) { shiptest.VerifyTestMain(m) }
