package core_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

func ExampleShipper_Check() {
	// A CloudWatch Logs-compatible endpoint in the process stands in for
	// AWS; with AWS, use cloudwatchlogs.NewFromConfig(cfg).
	srv, _ := cwlogtest.NewServer(nil)
	defer srv.Close()
	s, err := core.New(core.Config{Client: srv.Client(), LogGroup: "my-app", LogStream: "web-1"})
	if err != nil {
		panic(err)
	}
	defer s.Close(context.Background())

	// At startup: can logs flow? The Shipper creates the missing group
	// and stream, as it would for the first batch.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Check(ctx); err != nil {
		fmt.Println(err) // names the cause and the fix
		return
	}
	fmt.Println("logs can flow; events stored:", len(srv.Events("my-app", "web-1")))
	// Output: logs can flow; events stored: 0
}

func ExampleShipper_Check_setupError() {
	srv, _ := cwlogtest.NewServer(nil)
	defer srv.Close()
	s, err := core.New(core.Config{Client: srv.Client(), LogGroup: "my-app", LogStream: "web-1", SkipCreateGroup: true})
	if err != nil {
		panic(err)
	}
	defer s.Close(context.Background())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = s.Check(ctx)
	var setup *core.SetupError
	if errors.As(err, &setup) {
		fmt.Println("cause:", setup.Cause)
		fmt.Println("fix:", setup.Fix)
	}
	// Output:
	// cause: log group my-app does not exist and SkipCreateGroup is set
	// fix: create it (aws logs create-log-group --log-group-name my-app) or unset SkipCreateGroup
}
