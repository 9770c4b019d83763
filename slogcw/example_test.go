package slogcw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/slogcw"
)

// dropTime removes the built-in time field: each CloudWatch event carries
// the record's time as its timestamp anyway, and without it the output
// below does not change from run to run.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if groups == nil && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// A logger that ships to CloudWatch Logs. Here the endpoint is a local
// stand-in; in production, pass cloudwatchlogs.NewFromConfig(cfg) as the
// Client.
func Example() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	shipper, err := core.New(core.Config{
		Client:    srv.Client(),
		LogGroup:  "my-app",
		LogStream: "instance-1",
	})
	if err != nil {
		panic(err)
	}

	logger := slog.New(slogcw.NewHandler(shipper, &slogcw.Options{ReplaceAttr: dropTime}))
	logger.Info("user logged in", "user", "ada", "attempt", 2)
	logger.With("component", "billing").WithGroup("invoice").Warn("overdue", "id", 1234, "days", 31)
	logger.Debug("not shipped: below the default level")

	// Close delivers what is buffered; call it before the program exits.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}

	for _, msg := range srv.Messages("my-app", "instance-1") {
		fmt.Println(msg)
	}
	// Output:
	// {"level":"INFO","msg":"user logged in","user":"ada","attempt":2}
	// {"level":"WARN","msg":"overdue","component":"billing","invoice":{"id":1234,"days":31}}
}

// The minimum level can change while the program runs.
func ExampleOptions_levelVar() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "my-app", LogStream: "levels"})
	if err != nil {
		panic(err)
	}

	var level slog.LevelVar // Info
	logger := slog.New(slogcw.NewHandler(shipper, &slogcw.Options{Level: &level, ReplaceAttr: dropTime}))
	logger.Debug("dropped")
	level.Set(slog.LevelDebug)
	logger.Debug("kept", "cache", "miss")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}
	for _, msg := range srv.Messages("my-app", "levels") {
		fmt.Println(msg)
	}
	// Output:
	// {"level":"DEBUG","msg":"kept","cache":"miss"}
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
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "my-app", LogStream: "sdk"})
	if err != nil {
		panic(err)
	}

	// The SDK logs requests at debug level.
	logger := slog.New(slogcw.NewHandler(shipper, &slogcw.Options{Level: slog.LevelDebug, ReplaceAttr: dropTime}))
	shipper.SetSDKLogger(slogcw.NewSDKLogger(logger), aws.LogRetries|aws.LogRequest)

	logger.Info("order placed", "order", 1042)
	// Flush uploads the record; the SDK logs the requests that takes,
	// and Close delivers those logs. The logs of Close's own requests
	// come after Close and are refused.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Flush(ctx); err != nil {
		panic(err)
	}
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}

	msgs := srv.Messages("my-app", "sdk")
	fmt.Println(msgs[0])
	fmt.Println("SDK requests stored:", requestsLogged(msgs))
	// Output:
	// {"level":"INFO","msg":"order placed","order":1042}
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

// An AWS Lambda function flushes before its handler returns: Lambda
// freezes the execution environment once the handler returns, and the
// Shipper's goroutine with it, so what is still buffered would wait for
// the next invocation, or be lost if the environment is never thawed.
// The handler below has the shape lambda.Start of
// github.com/aws/aws-lambda-go accepts; here it is called directly.
func Example_lambda() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	// Made once per execution environment, outside the handler, and
	// reused by every invocation it serves.
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "my-function", LogStream: "instance-1"})
	if err != nil {
		panic(err)
	}
	logger := slog.New(slogcw.NewHandler(shipper, &slogcw.Options{ReplaceAttr: dropTime}))

	type order struct{ ID int }
	handler := func(ctx context.Context, ev order) (string, error) {
		logger.InfoContext(ctx, "order received", "id", ev.ID)
		// Deliver before returning, within the invocation's deadline,
		// which ctx carries. Missing it is no reason to fail the order:
		// what is left stays buffered for the next invocation.
		if err := shipper.Flush(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "logs not flushed:", err)
		}
		return fmt.Sprintf("order %d accepted", ev.ID), nil
	}

	for _, id := range []int{7, 8} {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		res, err := handler(ctx, order{ID: id})
		cancel()
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s; events stored: %d\n", res, srv.EventCount("my-function", "instance-1"))
	}

	// Lambda gives no moment to Close; the example does, as it ends.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}
	// Output:
	// order 7 accepted; events stored: 1
	// order 8 accepted; events stored: 2
}
