package benchutil_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/cwlog/cwlog/internal/benchutil"
)

func TestMain(m *testing.M) {
	benchutil.ServeIfChild()
	goleak.VerifyTestMain(m)
}
