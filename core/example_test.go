package core_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

func Example() {
	// A CloudWatch Logs-compatible endpoint in the process stands in for
	// AWS; with AWS, use cloudwatchlogs.NewFromConfig(cfg).
	srv, _ := cwlogtest.NewServer(nil)
	defer srv.Close()

	s, err := core.New(core.Config{
		Client:    srv.Client(),
		LogGroup:  "my-app",
		LogStream: "web-1",
	})
	if err != nil {
		panic(err)
	}
	at := time.Now().Add(-time.Second)
	s.Add(core.Event{Time: at.Add(time.Millisecond), Message: "second"})
	s.Add(core.Event{Time: at, Message: "first"}) // sorted by time before upload

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		panic(err)
	}
	for _, m := range srv.Messages("my-app", "web-1") {
		fmt.Println(m)
	}
	st := s.Stats()
	fmt.Println("delivered", st.Delivered, "of", st.Added)
	// Output:
	// first
	// second
	// delivered 2 of 2
}
