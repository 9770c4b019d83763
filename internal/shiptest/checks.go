package shiptest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

// The checks below are the ones every adapter must pass. Each starts its
// own endpoint and Shipper, and gives the Shipper to a function of the
// adapter's test, which logs through the adapter, or, where the check
// logs, returns the adapter's log call.

// shipped starts a Shipper (see Start), gives it to log and flushes it,
// and returns the events stored.
func shipped(t testing.TB, log func(*core.Shipper)) []cwlogtest.Event {
	t.Helper()
	srv, s := Start(t, "checks", "shipped", nil)
	log(s)
	Flush(t, s)
	return srv.Events("checks", "shipped")
}

// CheckFields fails t unless log stores one message, a JSON object holding
// the fields of want and a time under timeKey, without the line ending
// the adapter's encoder wrote it with.
func CheckFields(t testing.TB, timeKey string, want map[string]any, log func(*core.Shipper)) {
	t.Helper()
	evs := shipped(t, log)
	if len(evs) != 1 {
		t.Fatalf("stored %d events, want 1", len(evs))
	}
	if strings.HasSuffix(evs[0].Message, "\n") {
		t.Errorf("message keeps the encoder's line ending: %q", evs[0].Message)
	}
	got := DecodeMessage(t, evs[0].Message)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %q = %v, want %v (event %v)", k, got[k], v, got)
		}
	}
	if _, ok := got[timeKey]; !ok {
		t.Errorf("no %s field in %v", timeKey, got)
	}
}

// CheckLevels fails t unless the "level" fields of the messages log
// stores, JSON objects, are want.
func CheckLevels(t testing.TB, want []string, log func(*core.Shipper)) {
	t.Helper()
	var got []string
	for _, e := range shipped(t, log) {
		level, ok := DecodeMessage(t, e.Message)["level"].(string)
		if !ok {
			t.Fatalf("no level in %s", e.Message)
		}
		got = append(got, level)
	}
	if !slices.Equal(got, want) {
		t.Errorf("levels stored = %v, want %v", got, want)
	}
}

// CheckTimesKept logs entries "event 0" to "event 3" at times an hour
// ago, out of order and with sub-millisecond parts. Each stored event, a
// JSON object with its entry's message under "msg", must carry its
// entry's time cut, not rounded, to the millisecond, not the time of
// logging or of upload.
func CheckTimesKept(t testing.TB, bind func(*core.Shipper) func(at time.Time, msg string)) {
	t.Helper()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	offsets := []time.Duration{
		1500*time.Millisecond + 999*time.Microsecond,
		7 * time.Millisecond,
		7*time.Millisecond + 400*time.Microsecond,
		2*time.Minute + time.Millisecond,
	}
	want := map[string]int64{}
	evs := shipped(t, func(s *core.Shipper) {
		log := bind(s)
		for i, off := range offsets {
			at, msg := base.Add(off), fmt.Sprintf("event %d", i)
			log(at, msg)
			want[msg] = at.UnixMilli()
		}
	})
	if len(evs) != len(offsets) {
		t.Fatalf("stored %d events, want %d", len(evs), len(offsets))
	}
	for _, e := range evs {
		msg, _ := DecodeMessage(t, e.Message)["msg"].(string)
		if e.Timestamp != want[msg] {
			t.Errorf("%q: timestamp %d, want %d", msg, e.Timestamp, want[msg])
		}
	}
}

// TinyBuffer makes a Shipper whose buffer holds one 200-byte message and
// which uploads only when flushed, and quietens OnError: the tests that
// use it make drops.
func TinyBuffer(c *core.Config) {
	c.FlushInterval = time.Hour
	c.MaxMessageBytes = 200
	c.MaxBatchBytes = 226
	c.BufferLimit = 226
	c.OnError = func(error) {}
}

// CheckDropsNotReturned logs three 100-byte messages into a Shipper with
// a TinyBuffer: the second and third find no room, and must be counted as
// dropped, not returned by the log call.
func CheckDropsNotReturned(t testing.TB, bind func(*core.Shipper) func(msg string) error) {
	t.Helper()
	_, s := Start(t, "drops", "tiny", func(_ *cwlogtest.Server, c *core.Config) { TinyBuffer(c) })
	log := bind(s)
	for i := range 3 {
		if err := log(strings.Repeat("x", 100)); err != nil {
			t.Errorf("log call %d = %v, want nil (drops are counted, not returned)", i, err)
		}
	}
	if st := s.Stats(); st.DroppedFull != 2 {
		t.Errorf("DroppedFull = %d, want 2", st.DroppedFull)
	}
}
