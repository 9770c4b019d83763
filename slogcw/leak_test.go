package slogcw_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if os.Getenv(endpointEnv) != "" {
		serveEndpoint()
	}
	goleak.VerifyTestMain(m)
}
