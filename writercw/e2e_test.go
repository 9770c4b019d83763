package writercw_test

import (
	"bytes"
	"errors"
	"io"
	"log"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/writercw"
)

// TestZerologEndToEnd logs through zerolog, to the Writer and to a
// buffer at once, and checks that the endpoint stored, through the real
// SDK client, exactly the lines zerolog wrote, each timed by its "time"
// field.
func TestZerologEndToEnd(t *testing.T) {
	srv, s, stream := start(t, nil)
	var ref bytes.Buffer
	w := writercw.New(s, &writercw.Options{TimeKey: zerolog.TimestampFieldName})
	logger := zerolog.New(io.MultiWriter(w, &ref)).Level(zerolog.DebugLevel)

	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	at := func(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }
	logger.Info().Time("time", at(3)).Str("path", "/api/v1/items").Int("status", 200).Float64("ratio", 0.25).
		Bool("cached", true).Dur("took", 1234*time.Microsecond).Msg("request served")
	logger.Debug().Time("time", at(1)).Str("text", "line\nbreak \"quoted\" <&> é").Msg("escapes")
	logger.Error().Time("time", at(2)).Err(errors.New("disk full")).
		Dict("req", zerolog.Dict().Time("time", at(-30)).Str("id", "r-1")).Msg("failed")
	withSvc := logger.With().Str("svc", "api").Logger()
	withSvc.Warn().Time("time", at(4)).Msg("with context")
	logger.Trace().Msg("below the logger's level")

	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	stored(t, srv, s, stream)
	evs := srv.EventsByTime(testGroup, stream) // as readers see them
	want := strings.Split(strings.TrimSuffix(ref.String(), "\n"), "\n")
	got := messages(evs)
	if !slices.Equal(got, []string{want[1], want[2], want[0], want[3]}) { // by time
		t.Fatalf("stored:\n%s\nzerolog wrote:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i, e := range evs {
		if want := at(i + 1).UnixMilli(); e.Timestamp != want {
			t.Errorf("%s: timestamp %d, want %d", e.Message, e.Timestamp, want)
		}
	}
	m := shiptest.DecodeMessage(t, evs[0].Message)
	if m["text"] != "line\nbreak \"quoted\" <&> é" || m["level"] != "debug" {
		t.Errorf("escapes stored as %v", m)
	}
}

// TestStdlibLogEndToEnd logs through the standard library's log.Logger,
// whose lines carry no JSON time: each event is timed when its line is
// written, and a message with a newline in it makes one event per line.
func TestStdlibLogEndToEnd(t *testing.T) {
	srv, s, stream := start(t, func(c *core.Config) { c.Concurrency = 1 })
	w := writercw.New(s, &writercw.Options{TimeKey: "time"})
	std := log.New(w, "app: ", log.LstdFlags|log.Lmsgprefix)

	before := time.Now().UnixMilli()
	std.Print("started")
	std.Printf("order %d placed", 1042)
	std.Print("first line\nsecond line")
	std.Println(`{"time":1}`) // not JSON after the date and prefix
	after := time.Now().UnixMilli()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	evs := stored(t, srv, s, stream)
	var got []string
	for _, e := range evs {
		// "2006/01/02 15:04:05 app: message"
		date, msg, ok := strings.Cut(e.Message, " app: ")
		if _, err := time.ParseInLocation("2006/01/02 15:04:05", date, time.Local); !ok && e.Message != "second line" || ok && err != nil {
			t.Errorf("unexpected line %q", e.Message)
		}
		if ok {
			got = append(got, msg)
		} else {
			got = append(got, e.Message)
		}
		if e.Timestamp < before || e.Timestamp > after {
			t.Errorf("%q: timestamp %d, want within [%d, %d]", e.Message, e.Timestamp, before, after)
		}
	}
	want := []string{"started", "order 1042 placed", "first line", "second line", `{"time":1}`}
	if !slices.Equal(got, want) {
		t.Errorf("stored %q, want %q", got, want)
	}
}
