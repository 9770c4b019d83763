package logruscw_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
)

func Example() {
	// A local endpoint stands in for CloudWatch Logs; in production the
	// client comes from cloudwatchlogs.NewFromConfig.
	srv, err := cwlogtest.NewServer(nil)
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}
	for _, m := range srv.Messages("shop", "checkout") {
		fmt.Println(m)
	}
	// Output:
	// {"level":"info","msg":"order placed","order":42}
	// {"error":"card declined","level":"error","msg":"payment failed"}
}

// The AWS SDK's logs of the Shipper's own calls, shipped through the same
// logger: build the client, the Shipper and the logger, then hand the
// Shipper the SDK logger.
func ExampleNewSDKLogger() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "shop", LogStream: "sdk"})
	if err != nil {
		panic(err)
	}

	logger := logrus.New()
	logger.SetOutput(io.Discard)
	logger.SetFormatter(logruscw.DiscardFormatter{})
	logger.SetLevel(logrus.DebugLevel) // the SDK logs requests at DebugLevel
	logger.AddHook(logruscw.NewHook(shipper, &logruscw.Options{
		Formatter: &logrus.JSONFormatter{DisableTimestamp: true},
	}))
	shipper.SetSDKLogger(logruscw.NewSDKLogger(logger), aws.LogRetries|aws.LogRequest)

	logger.WithField("order", 42).Info("order placed")
	// Flush uploads the entry; the SDK logs the requests that takes, and
	// Close delivers those logs. The logs of Close's own requests come
	// after Close and are refused.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Flush(ctx); err != nil {
		panic(err)
	}
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}

	msgs := srv.Messages("shop", "sdk")
	fmt.Println(msgs[0])
	fmt.Println("SDK requests stored:", requestsLogged(msgs))
	// Output:
	// {"level":"info","msg":"order placed","order":42}
	// SDK requests stored: CreateLogGroup, CreateLogStream, PutLogEvents
}

// requestsLogged returns the operations of the SDK's request logs among
// msgs, JSON records, sorted.
func requestsLogged(msgs []string) string {
	var ops []string
	for _, m := range msgs {
		var rec struct{ Msg string }
		if json.Unmarshal([]byte(m), &rec) != nil || !strings.HasPrefix(rec.Msg, "Request\n") {
			continue
		}
		_, target, _ := strings.Cut(rec.Msg, "X-Amz-Target: Logs_20140328.")
		op, _, _ := strings.Cut(target, "\r\n")
		ops = append(ops, op)
	}
	slices.Sort(ops)
	return strings.Join(slices.Compact(ops), ", ")
}
