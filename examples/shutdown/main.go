// Command shutdown shows how a service delivers its last logs when it is
// told to stop. SIGTERM, which Kubernetes, ECS and systemd send, or SIGINT
// (Ctrl-C) ends a context; the service stops its work, logs that it is
// shutting down, and closes the Shipper with a deadline, which delivers
// what is still buffered:
//
//	go run ./examples/shutdown
//
// It logs a record every 100 ms to a CloudWatch Logs-compatible endpoint
// started inside the process until it gets a signal, then prints what the
// endpoint stored and the Shipper's statistics. It exits with status 1 if
// Close could not deliver everything in time.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/slogcw"
)

// closeTimeout bounds Close. Keep it below the time the platform waits
// after SIGTERM before it kills the process (30 s by default on
// Kubernetes and ECS), less what the rest of shutting down takes.
const closeTimeout = 10 * time.Second

func main() {
	// The context ends at the first SIGTERM or SIGINT.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, stop, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "shutdown:", err)
		os.Exit(1)
	}
}

// run works until ctx ends, then calls stop, closes the Shipper and
// prints what was stored.
func run(ctx context.Context, stop func(), out io.Writer) error {
	// In production the client is cloudwatchlogs.NewFromConfig(cfg).
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		return fmt.Errorf("start the local endpoint: %w", err)
	}
	defer srv.Close()
	const group, stream = "cwlog-shutdown", "instance-1"
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: group, LogStream: stream})
	if err != nil {
		return err
	}
	logger := slog.New(slogcw.NewHandler(shipper, nil))

	served := work(ctx, logger, func() {
		fmt.Fprintln(out, "working: a record every 100ms; stop with Ctrl-C or SIGTERM")
	})
	// From here a second signal ends the program at once, the default way.
	stop()
	logger.Info("shutting down", "served", served)

	// Close delivers what is buffered: records of the last FlushInterval
	// (1 s by default) have not been sent yet. Without a deadline Close
	// would retry for as long as CloudWatch Logs cannot be reached, until
	// the platform kills the process; with one it returns in time and
	// says how many events it gave up (*core.UndeliveredError).
	pending := shipper.Stats().Pending
	closeCtx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	if err := shipper.Close(closeCtx); err != nil {
		return fmt.Errorf("close: %w", err)
	}

	fmt.Fprintf(out, "closed: %d events were still buffered\n", pending)
	msgs := srv.Messages(group, stream)
	fmt.Fprintf(out, "stored %d events:\n", len(msgs))
	for _, m := range msgs {
		fmt.Fprintln(out, m)
	}
	st := shipper.Stats()
	fmt.Fprintf(out, "stats: added %d, delivered %d, rejected %d, dropped %d\n",
		st.Added, st.Delivered, st.Rejected, st.Dropped)
	return nil
}

// work logs a served request every 100 ms until ctx ends, calling started
// after the first, and returns how many it logged.
func work(ctx context.Context, logger *slog.Logger, started func()) int {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for n := 1; ; n++ {
		logger.Info("request served", "seq", n)
		if n == 1 {
			started()
		}
		select {
		case <-ctx.Done():
			return n
		case <-tick.C:
		}
	}
}
