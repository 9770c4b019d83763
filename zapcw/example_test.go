package zapcw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/zapcw"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func Example() {
	// A local endpoint stands in for CloudWatch Logs; in production the
	// client comes from cloudwatchlogs.NewFromConfig.
	srv, err := cwlogtest.NewServer(nil)
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}
	for _, m := range srv.Messages("shop", "billing") {
		fmt.Println(m)
	}
	// Output:
	// {"level":"info","msg":"invoice sent","invoice":1001,"to":"ann@example.com"}
	// {"level":"warn","msg":"retrying payment","invoice":"1002","attempt":2}
}

// Sync, and the flush after an entry above ErrorLevel, wait at most
// Options.SyncTimeout for delivery: here 2 s instead of SyncTimeout.
func ExampleNewCoreWithOptions() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "shop", LogStream: "sync"})
	if err != nil {
		panic(err)
	}

	cfg := zap.NewProductionEncoderConfig()
	cfg.TimeKey = ""
	c := zapcw.NewCoreWithOptions(shipper, zapcore.NewJSONEncoder(cfg), zap.InfoLevel,
		&zapcw.Options{SyncTimeout: 2 * time.Second})
	logger := zap.New(c)
	logger.Info("stock counted", zap.Int("items", 310))
	if err := logger.Sync(); err != nil {
		// Past the timeout the entry stays buffered; Close delivers it
		// or counts it.
		fmt.Println("not yet delivered:", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}
	for _, m := range srv.Messages("shop", "sync") {
		fmt.Println(m)
	}
	// Output:
	// {"level":"info","msg":"stock counted","items":310}
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

	cfg := zap.NewProductionEncoderConfig()
	cfg.TimeKey = ""
	// The SDK logs requests at DebugLevel.
	logger := zap.New(zapcw.NewCore(shipper, zapcore.NewJSONEncoder(cfg), zap.DebugLevel))
	shipper.SetSDKLogger(zapcw.NewSDKLogger(logger), aws.LogRetries|aws.LogRequest)

	logger.Info("invoice sent", zap.Int("invoice", 1001))
	// Sync uploads the entry; the SDK logs the requests that takes, and
	// Close delivers those logs. The logs of Close's own requests come
	// after Close and are refused.
	if err := logger.Sync(); err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}

	msgs := srv.Messages("shop", "sdk")
	fmt.Println(msgs[0])
	fmt.Println("SDK requests stored:", requestsLogged(msgs))
	// Output:
	// {"level":"info","msg":"invoice sent","invoice":1001}
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
