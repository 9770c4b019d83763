package reliability

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

// inputWorld starts a token-checking endpoint and a Shipper on it; edit
// may change the Config.
func inputWorld(t *testing.T, opts *cwlogtest.Options, edit func(*core.Config)) (*cwlogtest.Server, *core.Shipper, *errorLog) {
	t.Helper()
	if opts == nil {
		opts = &cwlogtest.Options{}
	}
	opts.Tokens = cwlogtest.TokensLegacy
	srv := cwlogtest.Start(t, opts)
	errs := &errorLog{}
	cfg := config(srv.Client(), errs)
	if edit != nil {
		edit(&cfg)
	}
	return srv, shiptest.New(t, cfg), errs
}

// addInOrder adds each message, one after the other, with the zero time,
// and fails t on any error.
func addInOrder(t *testing.T, s *core.Shipper, msgs []string) {
	t.Helper()
	for _, m := range msgs {
		if err := s.Add(core.Event{Message: m}); err != nil {
			t.Fatalf("Add(%q): %v", m, err)
		}
	}
}

func checkStored(t *testing.T, srv *cwlogtest.Server, want []string) {
	t.Helper()
	got := srv.Messages(group, stream)
	if len(got) != len(want) {
		t.Fatalf("stored %d messages, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("message %d stored as %q, want %q", i, got[i], want[i])
		}
	}
}

func TestInvalidUTF8IsStoredAsReplacementCharacters(t *testing.T) {
	srv, s, _ := inputWorld(t, nil, nil)
	in := []string{
		"\xff",
		"before \xfe\xff after",
		"cut short \xe2\x82",        // a 3-byte rune missing its last byte
		"surrogate \xed\xa0\x80",    // UTF-16 surrogates are not UTF-8
		"overlong \xc0\xaf",         // '/' in two bytes
		"too high \xf4\x90\x80\x80", // above U+10FFFF
		"valid é and \x80 stray",
		strings.Repeat("\x80", 1000),
	}
	addInOrder(t, s, in)
	shiptest.Close(t, s)
	checkCalls(t, srv)
	// Converting to runes turns each byte that is not part of valid UTF-8
	// into one U+FFFD, which is what the service stores.
	want := make([]string, len(in))
	for i, m := range in {
		want[i] = string([]rune(m))
		if !utf8.ValidString(want[i]) {
			t.Fatalf("bad expectation for %q", m)
		}
	}
	checkStored(t, srv, want)
	st := s.Stats()
	checkBalanced(t, st)
	if st.Delivered != uint64(len(in)) {
		t.Fatalf("Delivered %d, want %d", st.Delivered, len(in))
	}
}

func TestControlAndSeparatorCharactersAreKept(t *testing.T) {
	srv, s, _ := inputWorld(t, nil, nil)
	var c0 strings.Builder
	for r := rune(0); r < 0x20; r++ {
		c0.WriteRune(r)
	}
	in := []string{
		"\x00",
		"nul\x00inside",
		c0.String(),
		"del \x7f",
		"c1 \u0080\u0085\u009f",
		"line\u2028separator",
		"paragraph\u2029separator",
		"\u2028\u2029",
		"bom \ufeff and noncharacter \uffff",
		"escape \x1b[31mred\x1b[0m",
		"tab\tnewline\ncarriage\rreturn",
		`quote " backslash \ slash /`,
		"<script>&amp;</script>",
	}
	addInOrder(t, s, in)
	shiptest.Close(t, s)
	checkCalls(t, srv)
	checkStored(t, srv, in)
	checkBalanced(t, s.Stats())
}

func TestFiveMegabyteMessageIsSplitAndReassembles(t *testing.T) {
	srv, s, _ := inputWorld(t, nil, nil)
	// Multi-byte runes throughout, so that a cut at a byte count would
	// fall inside a rune.
	unit := "héllo wörld ✓ 🙂 日本語 "
	big := strings.Repeat(unit, 5<<20/len(unit)+1)[:5<<20]
	big = strings.ToValidUTF8(big, "")
	when := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	if err := s.Add(core.Event{Time: when, Message: big}); err != nil {
		t.Fatal(err)
	}
	shiptest.Close(t, s)
	checkCalls(t, srv)
	st := s.Stats()
	checkBalanced(t, st)
	evs := srv.Events(group, stream)
	if st.Split != 1 || st.Added != uint64(len(evs)) || st.Delivered != st.Added {
		t.Fatalf("stats %+v for %d pieces stored", st, len(evs))
	}
	var joined strings.Builder
	for i, e := range evs {
		if len(e.Message) > 1_048_550 || !utf8.ValidString(e.Message) {
			t.Fatalf("piece %d: %d bytes, valid UTF-8 %v", i, len(e.Message), utf8.ValidString(e.Message))
		}
		if e.Timestamp != when.UnixMilli() {
			t.Fatalf("piece %d timed %d, want %d", i, e.Timestamp, when.UnixMilli())
		}
		joined.WriteString(e.Message)
	}
	if joined.String() != big {
		t.Fatalf("%d pieces of %d bytes in all do not reassemble the %d-byte message", len(evs), joined.Len(), len(big))
	}
	t.Logf("5 MiB message stored as %d events", len(evs))
}

func TestMillionTinyMessages(t *testing.T) {
	const n, writers = 1_000_000, 8
	// The endpoint counts and validates every event without keeping it.
	srv, s, _ := inputWorld(t, &cwlogtest.Options{DiscardEvents: true}, nil)
	start := time.Now()
	msgs := [...]string{"a", "b", "c", "d", "e", "f", "g", "h"}
	shiptest.Concurrently(writers, func(w int) {
		for range n / writers {
			if err := s.Add(core.Event{Message: msgs[w]}); err != nil {
				t.Errorf("Add: %v", err)
				return
			}
		}
	})
	shiptest.Close(t, s)
	outcomes := checkCalls(t, srv)
	st := s.Stats()
	checkBalanced(t, st)
	if got := srv.EventCount(group, stream); got != n || st.Delivered != n {
		t.Fatalf("stored %d, Delivered %d, want %d", got, st.Delivered, n)
	}
	t.Logf("1,000,000 one-byte events in %d calls (%v) in %v", outcomes[cwlogtest.OutcomeOK], outcomes, time.Since(start))
}

func TestEmptyMessagesAreRefusedAndCounted(t *testing.T) {
	srv, s, errs := inputWorld(t, nil, nil)
	var want []string
	empties := 0
	for i := range 1000 {
		if i%3 == 0 {
			if err := s.Add(core.Event{Message: ""}); !errors.Is(err, core.ErrEmptyMessage) {
				t.Fatalf("Add(\"\") = %v, want ErrEmptyMessage", err)
			}
			empties++
			continue
		}
		m := "kept " + string(rune('a'+i%26))
		want = append(want, m)
		addInOrder(t, s, []string{m})
	}
	shiptest.Close(t, s)
	checkCalls(t, srv)
	checkStored(t, srv, want)
	st := s.Stats()
	checkBalanced(t, st)
	if st.RejectedInvalid != uint64(empties) || st.Delivered != uint64(len(want)) {
		t.Fatalf("stats %+v, want %d rejected as invalid and %d delivered", st, empties, len(want))
	}
	_ = errs
}

func TestZeroTimeIsTheTimeOfAdd(t *testing.T) {
	srv, s, _ := inputWorld(t, nil, nil)
	before := time.Now().UnixMilli()
	addInOrder(t, s, []string{"one", "two", "three"})
	after := time.Now().UnixMilli()
	shiptest.Close(t, s)
	checkCalls(t, srv)
	for _, e := range srv.Events(group, stream) {
		if e.Timestamp < before || e.Timestamp > after {
			t.Errorf("%q timed %d, outside the Add calls [%d, %d]", e.Message, e.Timestamp, before, after)
		}
	}
	checkBalanced(t, s.Stats())
}

func TestTimesTheServiceRefuses(t *testing.T) {
	srv, s, errs := inputWorld(t, nil, nil)
	now := time.Now()
	old := now.Add(-15 * 24 * time.Hour)
	ahead := now.Add(3 * time.Hour)
	var want []string
	const rounds = 300
	for i := range rounds {
		for _, e := range []core.Event{
			{Time: old.Add(time.Duration(i) * time.Millisecond), Message: "old"},
			{Time: now.Add(time.Duration(i) * time.Millisecond), Message: "now"},
			{Time: ahead.Add(time.Duration(i) * time.Millisecond), Message: "ahead"},
		} {
			if err := s.Add(e); err != nil {
				t.Fatalf("Add: %v", err)
			}
		}
		want = append(want, "now")
	}
	shiptest.Close(t, s)
	checkCalls(t, srv)
	checkStored(t, srv, want)
	st := s.Stats()
	checkBalanced(t, st)
	if st.RejectedTooOld != rounds || st.RejectedTooNew != rounds || st.Delivered != rounds {
		t.Fatalf("stats %+v, want %d too old, %d too new, %d delivered", st, rounds, rounds, rounds)
	}
	if r := errs.rejections(); r.TooOld != rounds || r.TooNew != rounds || r.Expired != 0 || r.Invalid != 0 {
		t.Fatalf("OnError was told of %+v, want %d too old and %d too new", r, rounds, rounds)
	}
}

func TestClockJumpingBackwards(t *testing.T) {
	// Each reading is 3ms before the last, and every 300th jumps back an
	// hour: 30 hours in all, so the buffer spans more than one batch may.
	const n = 9000
	base := time.Now()
	var mu sync.Mutex
	readings := 0
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		readings++
		return base.Add(-time.Duration(readings)*3*time.Millisecond - time.Duration(readings/300)*time.Hour)
	}
	srv, s, _ := inputWorld(t, nil, func(c *core.Config) {
		c.Now = clock
		c.FlushInterval = time.Hour // one chunk, sorted as a whole
	})
	want := make(map[string]int64, n)
	for i := range n {
		m := "tick " + string(appendID(nil, i))
		if err := s.Add(core.Event{Message: m}); err != nil {
			t.Fatal(err)
		}
		want[m] = base.Add(-time.Duration(i+1)*3*time.Millisecond - time.Duration((i+1)/300)*time.Hour).UnixMilli()
	}
	shiptest.Close(t, s)
	checkCalls(t, srv)
	evs := srv.Events(group, stream)
	if len(evs) != n {
		t.Fatalf("stored %d of %d", len(evs), n)
	}
	for _, e := range evs {
		if want[e.Message] != e.Timestamp {
			t.Fatalf("%q timed %d, want the clock's reading %d", e.Message, e.Timestamp, want[e.Message])
		}
		delete(want, e.Message)
	}
	if len(want) != 0 {
		t.Fatalf("%d events missing or duplicated", len(want))
	}
	st := s.Stats()
	checkBalanced(t, st)
	if st.Delivered != n || st.Batches < 2 {
		t.Fatalf("stats %+v: want all delivered, in batches cut at 24 hours", st)
	}
}
