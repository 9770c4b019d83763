package core

import (
	"encoding/binary"
	"slices"
	"testing"
	"unicode/utf8"
)

// decodeEvents turns fuzz bytes into events: each record is a length byte,
// a signed 16-bit time step in minutes (so spans cross 24 h), and that many
// message bytes, which may be invalid UTF-8 or empty.
func decodeEvents(data []byte) []Event {
	var out []Event
	var ts int64 = 40 * 24 * 60 * 60 * 1000 // far enough from 0 for negative steps
	for len(data) >= 3 {
		n := int(data[0])
		step := int64(int16(binary.LittleEndian.Uint16(data[1:3])))
		data = data[3:]
		n = min(n, len(data))
		ts += step * 60_000 / 8
		out = append(out, Event{Message: string(data[:n]), Time: timeMillis(ts)})
		data = data[n:]
	}
	return out
}

// prepare does to one event what Add does before queueing it: sanitize and
// split at rune boundaries. Empty messages are refused by Add and never queued.
func prepare(e Event, maxMsg int) []entry {
	msg := sanitize(e.Message)
	var out []entry
	for msg != "" {
		part := cutRunes(msg, maxMsg)
		out = append(out, entry{ts: e.Time.UnixMilli(), msg: part})
		msg = msg[len(part):]
	}
	return out
}

func FuzzBatches(f *testing.F) {
	f.Add([]byte("\x05\x00\x00hello\x03\x10\x00abc"), uint8(20), uint16(100), uint8(3))
	f.Add([]byte("\x04\xff\x7f\xff\xfe\xe2\x82\x02\x01\x80ab\x00\x00\x00"), uint8(4), uint16(40), uint8(1))
	f.Add([]byte("\x10\x00\x00€€€€€x\x10\x00\x00😀😀😀😀"), uint8(5), uint16(60), uint8(2))
	f.Add([]byte("\x02\x00\x80ab\x02\xff\x7fcd\x02\xff\x7fef\x02\x00\x00gh"), uint8(200), uint16(2000), uint8(50))
	f.Fuzz(func(t *testing.T, data []byte, msgLimit uint8, batchSlack uint16, eventLimit uint8) {
		maxMsg := 4 + int(msgLimit)
		lim := limits{
			bytes:  maxMsg + eventOverhead + int(batchSlack),
			events: 1 + int(eventLimit),
			span:   maxSpanMillis,
		}
		var in []entry
		for _, e := range decodeEvents(data) {
			for _, p := range prepare(e, maxMsg) {
				if len(p.msg) > maxMsg || !utf8.ValidString(p.msg) {
					t.Fatalf("piece %q breaks the message limit %d or is invalid UTF-8", p.msg, maxMsg)
				}
				in = append(in, p)
			}
		}
		want := slices.Clone(in)
		slices.SortStableFunc(want, compareTime)

		chunk := slices.Clone(in)
		sortEntries(chunk)
		var got []entry
		for rest := chunk; len(rest) > 0; {
			n := cutBatch(rest, lim)
			checkBatch(t, rest[:n], lim)
			got = append(got, rest[:n]...)
			rest = rest[n:]
		}
		if !slices.Equal(got, want) {
			t.Fatalf("delivered sequence differs from the stable-sorted input")
		}
	})
}
