// Package shiptest starts Shippers for tests, uploading through the real
// SDK client to the local endpoint of cwlogtest, reads back what
// they stored, and holds the checks that several packages' tests share.
// It is imported only by tests.
package shiptest

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

// Config is the Config tests start from: uploading with client to group
// and stream, reporting to onError, with timings short enough for tests:
// a 10 ms FlushInterval, backoffs from 1 to 20 ms, and a CallTimeout of
// 10 s, long enough for a full batch under the race detector.
func Config(client core.API, group, stream string, onError func(error)) core.Config {
	return core.Config{
		Client:        client,
		LogGroup:      group,
		LogStream:     stream,
		FlushInterval: 10 * time.Millisecond,
		MinBackoff:    time.Millisecond,
		MaxBackoff:    20 * time.Millisecond,
		CallTimeout:   10 * time.Second,
		OnError:       onError,
	}
}

// New starts a Shipper with cfg, failing t if core.New refuses it, and
// closes it when the test ends, giving Close 10 s. What that Close returns
// is not checked: tests of faults leave events undeliverable on purpose.
// A test that needs everything delivered closes the Shipper itself, or
// starts it with On.
func New(t testing.TB, cfg core.Config) *core.Shipper {
	t.Helper()
	s, err := core.New(cfg)
	if err != nil {
		t.Fatalf("core.New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Close(ctx)
	})
	return s
}

// On starts a Shipper uploading to group and stream on srv, with Config
// and its errors logged to t; edit, when not nil, may change the Config.
// The Shipper is closed when the test ends, and the test fails unless
// that Close delivered everything.
func On(t testing.TB, srv *cwlogtest.Server, group, stream string, edit func(*core.Config)) *core.Shipper {
	t.Helper()
	cfg := Config(srv.Client(), group, stream, func(err error) { t.Logf("shipper: %v", err) })
	if edit != nil {
		edit(&cfg)
	}
	s := New(t, cfg)
	// Cleanups run last first: this Close is the one that counts.
	t.Cleanup(func() {
		if err := closeWithin(s, 20*time.Second); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// Start starts a local endpoint and a Shipper on it, as On does; edit,
// when not nil, may change the Config, given the endpoint.
func Start(t testing.TB, group, stream string, edit func(*cwlogtest.Server, *core.Config)) (*cwlogtest.Server, *core.Shipper) {
	t.Helper()
	srv := cwlogtest.Start(t, nil)
	return srv, On(t, srv, group, stream, func(c *core.Config) {
		if edit != nil {
			edit(srv, c)
		}
	})
}

// Flush fails t unless s delivers everything added so far within 20 s.
func Flush(t testing.TB, s *core.Shipper) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

// Close fails t unless s, closed, delivers everything it holds within
// 60 s, time enough for the largest suites under the race detector.
func Close(t testing.TB, s *core.Shipper) {
	t.Helper()
	if err := closeWithin(s, time.Minute); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func closeWithin(s *core.Shipper, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return s.Close(ctx)
}

// Decode parses every message stored in group and stream as a JSON object,
// failing t on one that is not.
func Decode(t testing.TB, srv *cwlogtest.Server, group, stream string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range srv.Messages(group, stream) {
		out = append(out, DecodeMessage(t, m))
	}
	return out
}

// DecodeMessage parses msg, a stored message, which must be one JSON
// object.
func DecodeMessage(t testing.TB, msg string) map[string]any {
	t.Helper()
	var obj map[string]any
	if err := json.Unmarshal([]byte(msg), &obj); err != nil {
		t.Fatalf("stored message %q is not a JSON object: %v", msg, err)
	}
	return obj
}

// Within returns what ch delivers, failing t with the message failure if
// nothing comes within d.
func Within[T any](t testing.TB, d time.Duration, ch <-chan T, failure string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		t.Fatal(failure)
		var zero T
		return zero
	}
}

// Concurrently calls fn(0) to fn(n-1), each on a goroutine of its own,
// and returns when all have returned.
func Concurrently(n int, fn func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(i)
		}()
	}
	wg.Wait()
}

// AtPanic calls f, failing t unless f panics, and returns what read
// returns once the panic is recovered.
func AtPanic[T any](t testing.TB, f func(), read func() T) (v T) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
		v = read()
	}()
	f()
	return v
}

// HeapAfterGC returns the live heap after collecting garbage twice, so
// that sync.Pool's victims are gone too.
func HeapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// Errors collects what a Shipper reports through OnError: give it Add.
// Its methods are safe for concurrent use.
type Errors struct {
	mu   sync.Mutex
	errs []error
}

// Add records err.
func (e *Errors) Add(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.errs = append(e.errs, err)
}

// All returns the reports so far, in the order they came.
func (e *Errors) All() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]error(nil), e.errs...)
}

// Await returns the first report that is target (errors.Is), failing t if
// none has come within 10 s.
func (e *Errors) Await(t testing.TB, target error) error {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for _, err := range e.All() {
			if errors.Is(err, target) {
				return err
			}
		}
	}
	t.Fatalf("no report of %v reached OnError within 10s; got %v", target, e.All())
	return nil
}
