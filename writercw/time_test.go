package writercw_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/cwlog/cwlog/writercw"
)

// TestTimeOfWrite checks that without TimeKey every event is timed when
// its line is written, whatever the line holds, and that a line ended by
// a later Write is timed by that Write.
func TestTimeOfWrite(t *testing.T) {
	srv, s, stream := start(t, nil)
	w := writercw.New(s, nil)
	hourAgo := time.Now().Add(-time.Hour)

	before := time.Now().UnixMilli()
	fmt.Fprintf(w, "{\"time\":%q,\"n\":1}\n", hourAgo.Format(time.RFC3339Nano))
	fmt.Fprintf(w, "{\"time\":%d,\"n\":2}\nplain\n", hourAgo.UnixMilli())
	fmt.Fprint(w, "begun")
	time.Sleep(20 * time.Millisecond)
	ended := time.Now().UnixMilli()
	fmt.Fprint(w, " and ended\n")
	after := time.Now().UnixMilli()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	evs := stored(t, srv, s, stream)
	if len(evs) != 4 {
		t.Fatalf("stored %d events, want 4: %q", len(evs), messages(evs))
	}
	for _, e := range evs {
		from := before
		if e.Message == "begun and ended" {
			from = ended
		}
		if e.Timestamp < from || e.Timestamp > after {
			t.Errorf("%s: timestamp %d, want within [%d, %d]", e.Message, e.Timestamp, from, after)
		}
	}
}

// TestTimeKeyZerolog logs with zerolog in each of its time formats and
// checks each event is timed by the line's "time" field: to the second
// for the formats that write whole seconds, and otherwise to the
// millisecond, cut, not rounded.
func TestTimeKeyZerolog(t *testing.T) {
	formats := []struct {
		name, format string
		precision    time.Duration
	}{
		{"default (RFC3339)", time.RFC3339, time.Second},
		{"RFC3339Nano", time.RFC3339Nano, time.Millisecond},
		{"TimeFormatUnix", zerolog.TimeFormatUnix, time.Second},
		{"TimeFormatUnixMs", zerolog.TimeFormatUnixMs, time.Millisecond},
		{"TimeFormatUnixMicro", zerolog.TimeFormatUnixMicro, time.Millisecond},
		{"TimeFormatUnixNano", zerolog.TimeFormatUnixNano, time.Millisecond},
	}
	saved := zerolog.TimeFieldFormat
	if saved != time.RFC3339 {
		t.Fatalf("zerolog.TimeFieldFormat is %q, not its default", saved)
	}
	t.Cleanup(func() { zerolog.TimeFieldFormat = saved })
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			zerolog.TimeFieldFormat = f.format // read by zerolog as it writes
			srv, s, stream := start(t, nil)
			w := writercw.New(s, &writercw.Options{TimeKey: zerolog.TimestampFieldName})
			logger := zerolog.New(w)

			base := time.Now().Add(-time.Hour).Truncate(time.Second)
			offsets := []time.Duration{
				1500*time.Millisecond + 999*time.Microsecond,
				7 * time.Millisecond,
				7*time.Millisecond + 400*time.Microsecond,
				2*time.Minute + time.Millisecond,
			}
			want := map[string]int64{}
			for i, off := range offsets {
				at, msg := base.Add(off), fmt.Sprintf("event %d", i)
				logger.Info().Time(zerolog.TimestampFieldName, at).Msg(msg)
				want[fmt.Sprintf(`"message":%q`, msg)] = at.Truncate(f.precision).UnixMilli()
			}
			evs := stored(t, srv, s, stream)
			if len(evs) != len(offsets) {
				t.Fatalf("stored %d events, want %d", len(evs), len(offsets))
			}
			for _, e := range evs {
				found := false
				for msg, ts := range want {
					if strings.Contains(e.Message, msg) {
						found = true
						if e.Timestamp != ts {
							t.Errorf("%s: timestamp %d, want %d", e.Message, e.Timestamp, ts)
						}
					}
				}
				if !found {
					t.Errorf("unexpected event %s", e.Message)
				}
			}
		})
	}
}

// TestTimeKeyFallback checks that a line whose time field is missing or
// unusable is stored, timed when written.
func TestTimeKeyFallback(t *testing.T) {
	srv, s, stream := start(t, nil)
	w := writercw.New(s, &writercw.Options{TimeKey: "time"})
	hourAgo := time.Now().Add(-time.Hour)
	good := fmt.Sprintf(`{"time":%d,"m":"good"}`, hourAgo.UnixMilli())
	bad := []string{
		`{"m":"missing"}`,
		`{"time":"yesterday","m":"unparsable"}`,
		`{"time":"2025-03-04 05:06:07","m":"other layout"}`,
		`{"time":null,"m":"null"}`,
		`{"time":-5,"m":"before 1970"}`,
		`{"time":1.7e12,"m":"exponent"}`,
		fmt.Sprintf(`{"req":{"time":%d},"m":"nested"}`, hourAgo.UnixMilli()),
		`not JSON at all`,
		`{"time":"2025-`,
	}

	before := time.Now().UnixMilli()
	for _, line := range append([]string{good}, bad...) {
		if _, err := fmt.Fprintln(w, line); err != nil {
			t.Fatal(err)
		}
	}
	after := time.Now().UnixMilli()

	evs := stored(t, srv, s, stream)
	if len(evs) != 1+len(bad) {
		t.Fatalf("stored %d events, want %d: %q", len(evs), 1+len(bad), messages(evs))
	}
	for _, e := range evs {
		if e.Message == good {
			if e.Timestamp != hourAgo.UnixMilli() {
				t.Errorf("%s: timestamp %d, want %d", e.Message, e.Timestamp, hourAgo.UnixMilli())
			}
			continue
		}
		if e.Timestamp < before || e.Timestamp > after {
			t.Errorf("%s: timestamp %d, want the time of writing, within [%d, %d]", e.Message, e.Timestamp, before, after)
		}
	}
}
