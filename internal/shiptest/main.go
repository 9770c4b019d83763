package shiptest

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/cwlog/cwlog/internal/benchutil"
)

// VerifyTestMain is TestMain for the packages whose tests start Shippers:
// it runs m's tests and fails if any goroutine outlives them (goleak),
// unless this process is a benchmark endpoint that benchutil started,
// which serves instead (benchutil.ServeIfChild).
func VerifyTestMain(m *testing.M) {
	benchutil.ServeIfChild()
	goleak.VerifyTestMain(m)
}
