package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cwlog/cwlog/core"

	"github.com/cwlog/cwlog/internal/numtext"
)

// connect builds the client and the Shipper the flags describe.
func connect(f *shipFlags) (*core.Shipper, error) {
	client, err := f.aws.client(context.Background())
	if err != nil {
		return nil, err
	}
	return f.newShipper(client)
}

// check runs the Shipper's startup check, if -check is set, within
// -timeout. Its error names the cause and the fix.
func check(s *core.Shipper, f *shipFlags) error {
	if !f.check {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	err := s.Check(ctx)
	if err != nil && f.noCreate {
		// The fixes the error suggests name the Shipper's settings.
		err = fmt.Errorf("%w\n(-no-create sets SkipCreateGroup and SkipCreateStream)", err)
	}
	return err
}

// finish closes the writers, then s, within -timeout in all, and prints
// the summary on w. It reports whether every event added was delivered.
//
// Under -when-full block, closing a writer that ends a line waits for room
// while uploads fail: then the Shipper's Close, which refuses what waits,
// ends it, and the line is counted as refused after Close.
func finish(s *core.Shipper, f *shipFlags, w io.Writer, writers ...io.Closer) bool {
	ctx, cancel := context.WithTimeout(context.Background(), f.timeout)
	defer cancel()
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		for _, c := range writers {
			c.Close()
		}
	}()
	select {
	case <-closed:
	case <-ctx.Done():
	}
	err := s.Close(ctx)
	<-closed
	var undelivered *core.UndeliveredError
	switch {
	case errors.As(err, &undelivered):
		fmt.Fprintf(w, "cwlog: gave up delivering %s after -timeout %v\n", numtext.Count(uint64(undelivered.Count), "event", "events"), f.timeout)
	case err != nil:
		fmt.Fprintln(w, err)
	}
	st := s.Stats()
	lost := st.Dropped + st.Rejected + st.AfterClose
	if lost > 0 || !f.quiet {
		fmt.Fprintf(w, "cwlog: %s delivered, %s dropped, %s rejected\n",
			numtext.Count(st.Delivered, "event", "events"), numtext.Thousands(st.Dropped+st.AfterClose), numtext.Thousands(st.Rejected))
	}
	return err == nil && lost == 0
}
