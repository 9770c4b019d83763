// Command quickstart logs through all three cwlog adapters into one
// CloudWatch Logs stream, then reads the stream back and prints what was
// stored, with the Shipper's statistics.
//
// By default it runs against a CloudWatch Logs-compatible endpoint started
// inside the process, so it needs no AWS account:
//
//	go run ./examples/quickstart
//
// With -aws it uses the default AWS configuration (environment, shared
// config and credentials files, AWS_PROFILE, AWS_REGION, and
// AWS_ENDPOINT_URL_CLOUDWATCH_LOGS for another endpoint), and the group and
// stream the flags name:
//
//	go run ./examples/quickstart -aws -group my-app -stream quickstart
//
// It starts with the Shipper's startup check, which needs 10 seconds at
// most; when logs cannot flow, it prints why and what to fix, and exits
// with status 1. It prints the Shipper's statistics even when delivery
// fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/cwlog/cwlog/slogcw"
	"github.com/cwlog/cwlog/zapcw"
)

func main() {
	useAWS := flag.Bool("aws", false, "use AWS (default configuration chain) instead of the embedded local endpoint")
	group := flag.String("group", "cwlog-quickstart", "log group (created if missing)")
	stream := flag.String("stream", "", "log stream (created if missing; default quickstart-<unix time>)")
	flag.Parse()
	if *stream == "" {
		*stream = fmt.Sprintf("quickstart-%d", time.Now().Unix())
	}
	if err := run(os.Stdout, *useAWS, *group, *stream); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		if h := hint(err); h != "" {
			fmt.Fprintln(os.Stderr, "hint:", h)
		}
		os.Exit(1)
	}
}

// deadlines bound the startup check and the final Close.
type deadlines struct {
	check, close time.Duration
}

var defaultDeadlines = deadlines{check: 10 * time.Second, close: 20 * time.Second}

func run(out io.Writer, useAWS bool, group, stream string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	client, where, stop, err := newClient(ctx, useAWS)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(out, "shipping to %s, group %q, stream %q\n", where, group, stream)
	return ship(ctx, out, client, group, stream, defaultDeadlines)
}

// errCheck marks a failed startup check.
var errCheck = errors.New("startup check failed")

// ship checks that logs can flow, logs through the three adapters, and
// prints what the stream stored and the Shipper's statistics, which it
// prints even when delivery fails.
func ship(ctx context.Context, out io.Writer, client *cloudwatchlogs.Client, group, stream string, d deadlines) error {
	shipper, err := core.New(core.Config{Client: client, LogGroup: group, LogStream: stream})
	if err != nil {
		return err
	}
	// Check proves region, credentials, permission, group and stream with
	// one call, and says what to fix when it cannot.
	checkCtx, cancelCheck := context.WithTimeout(ctx, d.check)
	err = shipper.Check(checkCtx)
	cancelCheck()
	if err != nil {
		closeWithin(ctx, shipper, d.close)
		return fmt.Errorf("%w: %w", errCheck, err)
	}
	fmt.Fprintln(out, "startup check passed: logs can flow")

	logErr := logThroughAdapters(shipper)
	// Close delivers everything still buffered, or gives up at its deadline.
	if err := closeWithin(ctx, shipper, d.close); err != nil {
		printStats(out, shipper.Stats())
		return errors.Join(logErr, fmt.Errorf("close: %w", err))
	}
	if logErr != nil {
		printStats(out, shipper.Stats())
		return logErr
	}
	if err := printStored(ctx, out, client, group, stream); err != nil {
		return err
	}
	printStats(out, shipper.Stats())
	return nil
}

func closeWithin(ctx context.Context, s *core.Shipper, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return s.Close(ctx)
}

// hint is a line of advice for an error of run, or "".
func hint(err error) string {
	var setup *core.SetupError
	switch {
	case errors.As(err, &setup):
		return "the error names the cause and the fix; the README's Troubleshooting section lists each error and its fix"
	case errors.Is(err, errCheck):
		return "CloudWatch Logs did not accept the check in time; run again, or see the README's Troubleshooting section"
	}
	return ""
}

func logThroughAdapters(shipper *core.Shipper) error {
	// slog: a Handler is all slog needs.
	slogger := slog.New(slogcw.NewHandler(shipper, nil)).With("adapter", "slog")
	slogger.Info("order placed", "order_id", 1042, "amount", 19.99, slog.Group("customer", "id", "c-7", "tier", "gold"))
	slogger.Warn("payment retried", "order_id", 1042, "attempt", 2)

	// logrus: a Hook beside the logger's own output (discarded here).
	lr := logrus.New()
	lr.SetOutput(io.Discard)
	lr.AddHook(logruscw.NewHook(shipper, nil))
	lr.WithFields(logrus.Fields{"adapter": "logrus", "user": "c-7"}).Info("user signed in")
	lr.WithError(errors.New("card declined")).WithField("adapter", "logrus").Error("payment failed")

	// zap: a Core, here the only one. Sync waits for delivery at most 2 s.
	zc := zapcw.NewCoreWithOptions(shipper, nil, zap.InfoLevel, &zapcw.Options{SyncTimeout: 2 * time.Second})
	zl := zap.New(zc).With(zap.String("adapter", "zap"))
	zl.Info("cache warmed", zap.Int("entries", 5120), zap.Duration("took", 84*time.Millisecond))
	zl.Error("upstream timeout", zap.String("upstream", "inventory"), zap.Int("status", 504))
	if err := zl.Sync(); err != nil {
		return fmt.Errorf("zap sync: %w", err)
	}
	return nil
}

func printStored(ctx context.Context, out io.Writer, client *cloudwatchlogs.Client, group, stream string) error {
	resp, err := client.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{
		LogGroupName:  &group,
		LogStreamName: &stream,
		StartFromHead: new(bool),
	})
	if err != nil {
		return fmt.Errorf("read back: %w", err)
	}
	fmt.Fprintf(out, "\nCloudWatch Logs stored %d events:\n", len(resp.Events))
	for _, e := range resp.Events {
		fmt.Fprintf(out, "%s  %s\n", time.UnixMilli(*e.Timestamp).UTC().Format("15:04:05.000"), *e.Message)
	}
	return nil
}

func printStats(out io.Writer, st core.Stats) {
	fmt.Fprintf(out, "\nstats: added %d, delivered %d, rejected %d, dropped %d, batches %d, retries %d\n",
		st.Added, st.Delivered, st.Rejected, st.Dropped, st.Batches, st.Retries)
}

// newClient returns a CloudWatch Logs client, a description of where it
// points, and a function to release what it started.
func newClient(ctx context.Context, useAWS bool) (*cloudwatchlogs.Client, string, func(), error) {
	if useAWS {
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, "", nil, fmt.Errorf("load AWS configuration: %w", err)
		}
		where := "AWS region " + cfg.Region
		if cfg.Region == "" {
			where = "AWS (no region configured)"
		}
		return cloudwatchlogs.NewFromConfig(cfg), where, func() {}, nil
	}
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		return nil, "", nil, fmt.Errorf("start the local endpoint: %w", err)
	}
	return srv.Client(), "the embedded local endpoint at " + srv.URL(), func() { srv.Close() }, nil
}
