package writercw_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/writercw"
)

// TestWriteAfterShipperClosed checks that Writes into a closed Shipper
// return core.ErrClosed and the bytes consumed before the first line it
// refused, that zerolog hands that error to its ErrorHandler, and that the
// refused lines are counted in the Shipper's Stats.AfterClose.
func TestWriteAfterShipperClosed(t *testing.T) {
	_, s, _ := start(t, nil)
	w := writercw.New(s, nil)
	if _, err := fmt.Fprint(w, "pending"); err != nil {
		t.Fatal(err)
	}
	shiptest.Close(t, s)

	cases := []struct {
		name   string
		p      string
		wantN  int
		closed bool // want core.ErrClosed
	}{
		{"whole lines", "a\nb\n", 0, true},                  // the first line ends "pending"
		{"whole lines, nothing pending", "c\nd\n", 0, true}, // lock-free
		{"partial line", "e", 1, false},                     // kept until a line ends
		{"partial ended", "f\ng", 0, true},                  // "g" is not consumed either
		{"empty lines only", "\n\r\n", 3, false},            // nothing to refuse
		{"partial for Close", "h", 1, false},
	}
	for _, c := range cases {
		n, err := w.Write([]byte(c.p))
		if n != c.wantN || errors.Is(err, core.ErrClosed) != c.closed || err != nil && !c.closed {
			t.Errorf("%s: Write(%q) = %d, %v; want %d, closed %v", c.name, c.p, n, err, c.wantN, c.closed)
		}
	}
	if err := w.Close(); !errors.Is(err, core.ErrClosed) {
		t.Errorf("Close with a line pending = %v, want core.ErrClosed", err)
	}
	if st := s.Stats(); st.AfterClose != 4 || st.Added != 0 {
		t.Errorf("AfterClose = %d, Added = %d; want 4 and 0", st.AfterClose, st.Added)
	}

	saved := zerolog.ErrorHandler
	t.Cleanup(func() { zerolog.ErrorHandler = saved })
	var errs []error
	zerolog.ErrorHandler = func(err error) { errs = append(errs, err) }
	logger := zerolog.New(writercw.New(s, nil))
	logger.Info().Msg("after close")
	if len(errs) != 1 || !errors.Is(errs[0], core.ErrClosed) {
		t.Errorf("zerolog's ErrorHandler got %v, want core.ErrClosed once", errs)
	}
}

// TestWriteAfterClose checks that Close sends the line not yet ended,
// leaves the Shipper open, and makes later Writes fail with ErrClosed.
func TestWriteAfterClose(t *testing.T) {
	srv, s, stream := start(t, nil)
	w := writercw.New(s, nil)
	fmt.Fprint(w, "a\nunfinished")
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, p := range []string{"b\n", "c", ""} {
		if n, err := w.Write([]byte(p)); n != 0 || !errors.Is(err, writercw.ErrClosed) {
			t.Errorf("Write(%q) after Close = %d, %v; want 0, ErrClosed", p, n, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	// The Shipper is still open.
	if _, err := fmt.Fprintln(writercw.New(s, nil), "other"); err != nil {
		t.Fatal(err)
	}
	got := messages(stored(t, srv, s, stream))
	if want := []string{"a", "unfinished", "other"}; !slices.Equal(got, want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}

// TestFlush checks that Flush ends the line not yet ended, so that the
// Shipper's Flush delivers it, and that what follows begins a new line.
func TestFlush(t *testing.T) {
	srv, s, stream := start(t, nil)
	w := writercw.New(s, nil)
	fmt.Fprint(w, "first\r")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	shiptest.Flush(t, s)
	if got := srv.Messages(testGroup, stream); !slices.Equal(got, []string{"first"}) {
		t.Fatalf("after Flush, stored %q, want [first]", got)
	}
	fmt.Fprint(w, "\nsecond\n")
	if err := w.Flush(); err != nil { // nothing to send
		t.Fatal(err)
	}
	got := messages(stored(t, srv, s, stream))
	if want := []string{"first", "second"}; !slices.Equal(got, want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}

// TestDropsNotReturned checks that lines the Shipper drops for want of
// room are counted by it, not returned by Write, where zerolog would print
// each to standard error.
func TestDropsNotReturned(t *testing.T) {
	shiptest.CheckDropsNotReturned(t, func(s *core.Shipper) func(string) error {
		w := writercw.New(s, nil)
		return func(msg string) error {
			_, err := fmt.Fprintln(w, msg)
			return err
		}
	})
}

// TestBlockWaitsForRoom checks that under core.Block a Write waits for
// room and then stores its line, as Add does.
func TestBlockWaitsForRoom(t *testing.T) {
	srv, s, stream := start(t, func(c *core.Config) {
		shiptest.TinyBuffer(c)
		c.FullPolicy = core.Block
	})
	w := writercw.New(s, nil)
	line := fmt.Sprintf("%0100d\n", 0)
	if _, err := fmt.Fprint(w, line); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := fmt.Fprint(w, line) // waits: the buffer holds one
		done <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20e9)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := shiptest.Within(t, 20e9, done, "Write under Block never got room"); err != nil {
		t.Fatal(err)
	}
	if n := len(stored(t, srv, s, stream)); n != 2 {
		t.Errorf("stored %d events, want 2", n)
	}
}
