package zapcw_test

import (
	"context"
	"fmt"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
	"github.com/cwlog/cwlog/zapcw"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func Example() {
	// A local endpoint stands in for CloudWatch Logs; in production the
	// client comes from cloudwatchlogs.NewFromConfig.
	srv, err := testutil.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "shop", LogStream: "billing"})
	if err != nil {
		panic(err)
	}

	// The event carries the time; the example's output must not.
	cfg := zap.NewProductionEncoderConfig()
	cfg.TimeKey = ""
	logger := zap.New(zapcw.NewCore(shipper, zapcore.NewJSONEncoder(cfg), zap.InfoLevel))

	logger.Info("invoice sent", zap.Int("invoice", 1001), zap.String("to", "ann@example.com"))
	logger.Debug("not shipped: below InfoLevel")
	logger.With(zap.String("invoice", "1002")).Warn("retrying payment", zap.Int("attempt", 2))

	// Sync waits until both entries are delivered; Close also flushes and
	// stops the Shipper.
	if err := logger.Sync(); err != nil {
		panic(err)
	}
	if err := shipper.Close(context.Background()); err != nil {
		panic(err)
	}
	for _, m := range srv.Messages("shop", "billing") {
		fmt.Println(m)
	}
	// Output:
	// {"level":"info","msg":"invoice sent","invoice":1001,"to":"ann@example.com"}
	// {"level":"warn","msg":"retrying payment","invoice":"1002","attempt":2}
}
