package slogcw_test

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/testutil"
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
	srv, err := testutil.NewServer(nil)
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
	srv, err := testutil.NewServer(nil)
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

	if err := shipper.Close(context.Background()); err != nil {
		panic(err)
	}
	for _, msg := range srv.Messages("my-app", "levels") {
		fmt.Println(msg)
	}
	// Output:
	// {"level":"DEBUG","msg":"kept","cache":"miss"}
}
