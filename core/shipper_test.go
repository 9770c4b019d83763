package core_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
)

func TestDeliversInTimeOrderWithRecordTimes(t *testing.T) {
	srv, s, _ := start(t, nil, nil)

	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	type rec struct {
		ts  time.Time
		msg string
	}
	var in []rec
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		// Few distinct times, so equal times are common and their arrival
		// order must survive the sort.
		ts := base.Add(time.Duration(rng.IntN(20)) * time.Second).Add(123456 * time.Nanosecond)
		in = append(in, rec{ts, "m" + strings.Repeat("x", i%7) + "-" + string(rune('a'+i%26)) + "-" + time.Duration(i).String()})
	}
	for _, r := range in {
		mustAdd(t, s, core.Event{Time: r.ts, Message: r.msg})
	}
	shiptest.Close(t, s)

	want := slices.Clone(in)
	slices.SortStableFunc(want, func(a, b rec) int { return a.ts.Compare(b.ts) })
	got := srv.Events(group, stream)
	if len(got) != len(want) {
		t.Fatalf("stored %d events, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Message != want[i].msg || got[i].Timestamp != want[i].ts.UnixMilli() {
			t.Fatalf("event %d = (%d, %q), want (%d, %q)", i, got[i].Timestamp, got[i].Message, want[i].ts.UnixMilli(), want[i].msg)
		}
	}
	checkBalanced(t, s.Stats())
}

func TestZeroTimeMeansTimeOfAdd(t *testing.T) {
	now := time.Now().Add(-time.Minute).Truncate(time.Second).Add(987654321)
	srv, s, _ := start(t, nil, func(c *core.Config) { c.Now = func() time.Time { return now } })
	mustAdd(t, s, core.Event{Message: "no time"})
	shiptest.Close(t, s)
	got := srv.Events(group, stream)
	if len(got) != 1 || got[0].Timestamp != now.UnixMilli() {
		t.Fatalf("stored %+v, want one event at %d", got, now.UnixMilli())
	}
}

func TestOversizedMessageIsSplitInOrder(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	// 2.5 MB of 3-byte runes, so no cut may fall inside one.
	big := strings.Repeat("€", 2_500_000/3)
	mustAdd(t, s, core.Event{Message: big})
	mustAdd(t, s, core.Event{Message: "after"})
	shiptest.Close(t, s)
	got := srv.Messages(group, stream)
	if len(got) != 4 || got[3] != "after" {
		t.Fatalf("stored %d events, want 3 pieces and \"after\"", len(got))
	}
	if joined := strings.Join(got[:3], ""); joined != big {
		t.Fatalf("pieces do not join back to the message")
	}
	for i, m := range got[:3] {
		if len(m) > 1_048_550 {
			t.Fatalf("piece %d is %d bytes", i, len(m))
		}
	}
	if st := s.Stats(); st.Split != 1 || st.Delivered != 4 {
		t.Fatalf("stats %+v, want Split 1 Delivered 4", st)
	}
}

func TestTruncatePolicy(t *testing.T) {
	srv, s, _ := start(t, nil, func(c *core.Config) {
		c.OversizePolicy = core.Truncate
		c.MaxMessageBytes = 10
	})
	mustAdd(t, s, core.Event{Message: "abcdefgh€€"}) // the second € would end at byte 14
	shiptest.Close(t, s)
	if got := srv.Messages(group, stream); len(got) != 1 || got[0] != "abcdefgh" {
		t.Fatalf("stored %q, want [abcdefgh]", got)
	}
	if st := s.Stats(); st.Truncated != 1 {
		t.Fatalf("Truncated = %d, want 1", st.Truncated)
	}
}

func TestInvalidUTF8AtTheSizeLimit(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	// 400,000 invalid bytes become 1.2 MB of U+FFFD on the wire: counted
	// as raw bytes the message would fit in one event and the call would fail.
	mustAdd(t, s, core.Event{Message: strings.Repeat("\xff", 400_000)})
	// Many small events whose invalid bytes push the batch over 1 MiB if
	// counted before replacement.
	for range 3000 {
		mustAdd(t, s, core.Event{Message: strings.Repeat("a\xfe", 60)})
	}
	shiptest.Close(t, s)
	for _, c := range srv.CallsOf("PutLogEvents") {
		if c.Outcome != cwlogtest.OutcomeOK {
			t.Fatalf("a call was refused: %+v", c)
		}
	}
	if st := s.Stats(); st.Delivered != st.Added || st.Added != 3002 {
		t.Fatalf("stats %+v, want all 3002 events delivered", st)
	}
}

func TestEmptyMessageIsRefusedAlone(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	mustAdd(t, s, core.Event{Message: "before"})
	if err := s.Add(core.Event{Message: ""}); !errors.Is(err, core.ErrEmptyMessage) {
		t.Fatalf("Add(empty) = %v, want ErrEmptyMessage", err)
	}
	if err := s.Add(core.Event{Message: "x", Time: time.Unix(-5, 0)}); !errors.Is(err, core.ErrBeforeEpoch) {
		t.Fatalf("Add(before 1970) = %v, want ErrBeforeEpoch", err)
	}
	mustAdd(t, s, core.Event{Message: "after"})
	shiptest.Close(t, s)
	if got := srv.Messages(group, stream); !slices.Equal(got, []string{"before", "after"}) {
		t.Fatalf("stored %q", got)
	}
	st := s.Stats()
	if st.RejectedInvalid != 2 || st.Delivered != 2 {
		t.Fatalf("stats %+v, want 2 invalid and 2 delivered", st)
	}
	checkBalanced(t, st)
}

func TestTooOldAndTooNewAreRejectedAndCounted(t *testing.T) {
	now := time.Now()
	srv, s, errs := start(t, &cwlogtest.Options{Clock: func() time.Time { return now }}, nil)
	srv.SetRetention(group, 7)
	mustAdd(t, s, core.Event{Time: now.Add(-15 * 24 * time.Hour), Message: "too old"})
	mustAdd(t, s, core.Event{Time: now.Add(-10 * 24 * time.Hour), Message: "expired"})
	mustAdd(t, s, core.Event{Time: now.Add(-time.Minute), Message: "fine"})
	mustAdd(t, s, core.Event{Time: now.Add(3 * time.Hour), Message: "too new"})
	shiptest.Close(t, s)
	if got := srv.Messages(group, stream); !slices.Equal(got, []string{"fine"}) {
		t.Fatalf("stored %q, want [fine]", got)
	}
	st := s.Stats()
	if st.Rejected != 3 || st.RejectedTooNew != 1 || st.RejectedTooOld+st.RejectedExpired != 2 || st.Delivered != 1 {
		t.Fatalf("stats %+v", st)
	}
	checkBalanced(t, st)
	var rej *core.RejectedError
	found := false
	for _, err := range errs.All() {
		if errors.As(err, &rej) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no RejectedError reported; got %v", errs.All())
	}
}

func TestManyGoroutinesFullBatches(t *testing.T) {
	srv, s, _ := start(t, nil, nil)
	var want []string
	for w := range 8 {
		for _, m := range msgs("w"+string(rune('a'+w)), 5000) {
			want = append(want, m+strings.Repeat(".", 200))
		}
	}
	addAll(t, s, want, 8)
	checkDelivers(t, srv, s, want)
	for _, c := range srv.CallsOf("PutLogEvents") {
		if c.Bytes > 1_048_576 || c.Events > 10_000 {
			t.Fatalf("call over the limits: %+v", c)
		}
	}
	checkBalanced(t, s.Stats())
}

func TestFlushDeliversWithoutWaitingForTheInterval(t *testing.T) {
	srv, s, _ := start(t, nil, func(c *core.Config) { c.FlushInterval = time.Hour })
	mustAddAll(t, s, msgs("f", 10))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if n := srv.EventCount(group, stream); n != 10 {
		t.Fatalf("after Flush the stream holds %d events, want 10", n)
	}
	if st := s.Stats(); st.Pending != 0 || st.Delivered != 10 {
		t.Fatalf("stats after Flush %+v", st)
	}
}

func TestLeastPrivilegeWhenResourcesExist(t *testing.T) {
	srv, s, _ := start(t, nil, func(c *core.Config) {
		c.SkipCreateGroup = true
		c.SkipCreateStream = true
	})
	mustAddAll(t, s, msgs("lp", 100))
	shiptest.Close(t, s)
	for _, c := range srv.Calls() {
		if c.Op != "PutLogEvents" {
			t.Fatalf("called %s; only PutLogEvents is needed when the stream exists", c.Op)
		}
	}
	checkExactlyOnce(t, srv, msgs("lp", 100))
}
