package logruscw_test

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
)

func Example() {
	// A local endpoint stands in for CloudWatch Logs; in production the
	// client comes from cloudwatchlogs.NewFromConfig.
	srv, err := testutil.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "shop", LogStream: "checkout"})
	if err != nil {
		panic(err)
	}

	// CloudWatch is the only destination: logrus need not format for Out.
	logger := logrus.New()
	logger.SetOutput(io.Discard)
	logger.SetFormatter(logruscw.DiscardFormatter{})
	logger.AddHook(logruscw.NewHook(shipper, &logruscw.Options{
		// The event carries the time; the example's output must not.
		Formatter: &logrus.JSONFormatter{DisableTimestamp: true},
	}))

	logger.WithField("order", 42).Info("order placed")
	logger.WithError(errors.New("card declined")).Error("payment failed")

	// Close delivers everything still buffered.
	if err := shipper.Close(context.Background()); err != nil {
		panic(err)
	}
	for _, m := range srv.Messages("shop", "checkout") {
		fmt.Println(m)
	}
	// Output:
	// {"level":"info","msg":"order placed","order":42}
	// {"error":"card declined","level":"error","msg":"payment failed"}
}
