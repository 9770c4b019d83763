package writercw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/rs/zerolog"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/writercw"
)

// zerolog writing to CloudWatch Logs. Here the endpoint is a local
// stand-in; in production, pass cloudwatchlogs.NewFromConfig(cfg) as the
// Client.
func Example() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "my-app", LogStream: "instance-1"})
	if err != nil {
		panic(err)
	}

	// Each event carries the time of its line's Write; the lines below
	// carry none, so that the output does not change from run to run.
	w := writercw.New(shipper, nil)
	logger := zerolog.New(w)
	logger.Info().Str("user", "ada").Int("attempt", 2).Msg("user logged in")
	logger.Warn().Dict("invoice", zerolog.Dict().Int("id", 1234).Int("days", 31)).Msg("overdue")

	// Close the Writer, then the Shipper, which delivers what is buffered.
	if err := w.Close(); err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}

	for _, msg := range srv.Messages("my-app", "instance-1") {
		fmt.Println(msg)
	}
	// Output:
	// {"level":"info","user":"ada","attempt":2,"message":"user logged in"}
	// {"level":"warn","invoice":{"id":1234,"days":31},"message":"overdue"}
}

// The standard library's log.Logger writing to CloudWatch Logs: each line
// is an event, timed when written.
func Example_log() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "my-app", LogStream: "std"})
	if err != nil {
		panic(err)
	}

	w := writercw.New(shipper, nil)
	logger := log.New(w, "", 0) // log.LstdFlags would add the date
	logger.Printf("listening on %s", ":8080")
	logger.Print("a message with a newline\nmakes two events")

	if err := w.Close(); err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}
	for _, msg := range srv.Messages("my-app", "std") {
		fmt.Println(msg)
	}
	// Output:
	// listening on :8080
	// a message with a newline
	// makes two events
}

// With TimeKey, each event is timed by its line's time field, so that
// CloudWatch orders events by when they happened, not when they were
// written. zerolog's default time format keeps whole seconds; set
// zerolog.TimeFieldFormat to zerolog.TimeFormatUnixMs to keep
// milliseconds.
func ExampleOptions_timeKey() {
	srv, err := cwlogtest.NewServer(nil)
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	shipper, err := core.New(core.Config{Client: srv.Client(), LogGroup: "my-app", LogStream: "timed"})
	if err != nil {
		panic(err)
	}

	w := writercw.New(shipper, &writercw.Options{TimeKey: zerolog.TimestampFieldName})
	logger := zerolog.New(w)
	start := time.Now().Add(-time.Hour).Truncate(time.Second)
	logger.Info().Time("time", start.Add(2*time.Second)).Msg("written first, happened second")
	logger.Info().Time("time", start.Add(time.Second)).Msg("written second, happened first")

	if err := w.Close(); err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := shipper.Close(ctx); err != nil {
		panic(err)
	}
	for _, e := range srv.Events("my-app", "timed") {
		var line struct{ Message string }
		if err := json.Unmarshal([]byte(e.Message), &line); err != nil {
			panic(err)
		}
		fmt.Printf("start+%v: %s\n", time.UnixMilli(e.Timestamp).Sub(start), line.Message)
	}
	// Output:
	// start+1s: written second, happened first
	// start+2s: written first, happened second
}
