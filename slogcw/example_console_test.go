package slogcw_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/slogcw"
)

// fanout is a slog.Handler that passes each record to every handler
// enabled for its level. From Go 1.26, slog.NewMultiHandler does the same.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, level slog.Level) bool {
	return slices.ContainsFunc(f, func(h slog.Handler) bool { return h.Enabled(ctx, level) })
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	var errs []error
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			// A clone each, as a handler may keep or extend its record.
			if err := h.Handle(ctx, r.Clone()); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func (f fanout) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(slices.Clone(attrs))
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	if name == "" {
		return f
	}
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// Logs to the console, at debug level, and to CloudWatch Logs, from info
// level, through one logger.
func Example_console() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "my-app", LogStream: "console"})
	if err != nil {
		panic(err)
	}

	// Without the time, the output below is the same on every run.
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if groups == nil && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	console := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: noTime})
	cloud := slogcw.NewHandler(shipper, &slogcw.Options{ReplaceAttr: noTime})
	logger := slog.New(fanout{console, cloud})

	logger.Debug("cache miss", "key", "user:7")
	logger.With("service", "billing").Warn("payment retried", "attempt", 2)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}
	fmt.Println("stored in CloudWatch Logs:")
	for _, m := range srv.Messages("my-app", "console") {
		fmt.Println(m)
	}
	// Output:
	// level=DEBUG msg="cache miss" key=user:7
	// level=WARN msg="payment retried" service=billing attempt=2
	// stored in CloudWatch Logs:
	// {"level":"WARN","msg":"payment retried","service":"billing","attempt":2}
}
