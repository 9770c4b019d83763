package writercw_test

import (
	"fmt"
	"log"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rs/zerolog"

	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/writercw"
)

// TestConcurrentWholeLines shares one Writer between a zerolog logger, a
// log.Logger and plain Writes of several lines at once, each used from
// many goroutines, while others flush the Writer and read its Stats, and
// checks that every line is stored exactly once, intact. Run it with
// -race.
func TestConcurrentWholeLines(t *testing.T) {
	srv, s, stream := start(t, nil)
	w := writercw.New(s, &writercw.Options{TimeKey: "time"})
	zl := zerolog.New(w).With().Timestamp().Logger()
	std := log.New(w, "", 0)

	const workers, perWorker = 12, 200
	var stop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		for !stop.Load() {
			if err := w.Flush(); err != nil {
				t.Errorf("Flush: %v", err)
			}
			_ = w.Stats()
		}
	}()
	shiptest.Concurrently(workers, func(g int) {
		for i := range perWorker {
			switch g % 3 {
			case 0:
				zl.Info().Int("g", g).Int("i", i).Msg("zerolog")
			case 1:
				std.Printf("std g=%d i=%d", g, i)
			default:
				// Two lines in one Write, the second with "\r\n".
				fmt.Fprintf(w, "raw g=%d i=%d a\nraw g=%d i=%d b\r\n", g, i, g, i)
			}
		}
	})
	stop.Store(true)
	<-done
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	evs := stored(t, srv, s, stream)
	seen := map[string]int{}
	for _, e := range evs {
		key := e.Message
		if strings.HasPrefix(key, "{") {
			m := shiptest.DecodeMessage(t, key)
			if m["message"] != "zerolog" || m["level"] != "info" || m["time"] == nil {
				t.Fatalf("zerolog line mangled: %s", key)
			}
			key = fmt.Sprintf("zerolog g=%v i=%v", m["g"], m["i"])
		}
		seen[key]++
	}
	want := 0
	for g := range workers {
		for i := range perWorker {
			var keys []string
			switch g % 3 {
			case 0:
				keys = []string{fmt.Sprintf("zerolog g=%d i=%d", g, i)}
			case 1:
				keys = []string{fmt.Sprintf("std g=%d i=%d", g, i)}
			default:
				keys = []string{fmt.Sprintf("raw g=%d i=%d a", g, i), fmt.Sprintf("raw g=%d i=%d b", g, i)}
			}
			for _, k := range keys {
				want++
				if seen[k] != 1 {
					t.Fatalf("%q stored %d times, want once", k, seen[k])
				}
			}
		}
	}
	if len(evs) != want {
		t.Fatalf("stored %d events, want %d", len(evs), want)
	}
}

// TestConcurrentWritersInParts gives each goroutine a Writer of its own on
// one Shipper, writing each line in several parts: every line is stored
// whole, once.
func TestConcurrentWritersInParts(t *testing.T) {
	srv, s, stream := start(t, nil)
	const workers, perWorker = 8, 150
	shiptest.Concurrently(workers, func(g int) {
		w := writercw.New(s, nil)
		for i := range perWorker {
			fmt.Fprintf(w, "g=%d ", g)
			fmt.Fprintf(w, "i=%d", i)
			fmt.Fprint(w, " end\nnext")
			fmt.Fprint(w, " one\n")
		}
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	evs := stored(t, srv, s, stream)
	seen := map[string]int{}
	for _, e := range evs {
		seen[e.Message]++
	}
	for g := range workers {
		for i := range perWorker {
			if k := fmt.Sprintf("g=%d i=%d end", g, i); seen[k] != 1 {
				t.Fatalf("%q stored %d times, want once", k, seen[k])
			}
		}
	}
	if n := seen["next one"]; n != workers*perWorker || len(evs) != 2*workers*perWorker {
		t.Fatalf("stored %d events, %d of them \"next one\"; want %d and %d", len(evs), n, 2*workers*perWorker, workers*perWorker)
	}
}
