package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/cwlogtest"

	"github.com/cwlog/cwlog/internal/numtext"
)

// fakeClock is a stderrReporter's clock and timers: time moves only when
// the test moves it, and timers that come due run then, on its goroutine.
type fakeClock struct {
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at   time.Time
	f    func()
	done bool // stopped or fired
}

func (c *fakeClock) afterFunc(d time.Duration, f func()) func() bool {
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		was := !t.done
		t.done = true
		return was
	}
}

// advance moves the clock on by d, running the timers due by then in order.
func (c *fakeClock) advance(d time.Duration) {
	end := c.now.Add(d)
	for {
		var next *fakeTimer
		for _, t := range c.timers {
			if !t.done && !t.at.After(end) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			break
		}
		if next.at.After(c.now) {
			c.now = next.at
		}
		next.done = true
		next.f()
	}
	c.now = end
}

// pending counts the timers neither stopped nor fired.
func (c *fakeClock) pending() int {
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}

// stampedWriter keeps each line written with the fake time it was written at.
type stampedWriter struct {
	c     *fakeClock
	buf   bytes.Buffer
	times []time.Time
}

func (w *stampedWriter) Write(p []byte) (int, error) {
	w.times = append(w.times, w.c.now)
	return w.buf.Write(p)
}

func newTestReporter() (*stderrReporter, *stampedWriter, *fakeClock) {
	c := &fakeClock{now: time.Unix(1000, 0)}
	w := &stampedWriter{c: c}
	r := &stderrReporter{w: w, interval: time.Second, now: func() time.Time { return c.now }, afterFunc: c.afterFunc}
	return r, w, c
}

var droppedWords = regexp.MustCompile(`([0-9,]+) events? dropped`)

// droppedIn sums the events the lines of out say were dropped.
func droppedIn(t *testing.T, out string) uint64 {
	t.Helper()
	var sum uint64
	for _, m := range droppedWords.FindAllStringSubmatch(out, -1) {
		n, err := strconv.ParseUint(strings.ReplaceAll(m[1], ",", ""), 10, 64)
		if err != nil {
			t.Fatalf("%q: %v", m[0], err)
		}
		sum += n
	}
	return sum
}

func TestStderrReporterWritesOneLinePerInterval(t *testing.T) {
	r, w, c := newTestReporter()
	r.report(errors.New("cwlog: first"))
	c.advance(100 * time.Millisecond)
	r.report(&DroppedError{Count: 5})
	c.advance(100 * time.Millisecond)
	r.report(&DroppedError{Count: 7})
	c.advance(100 * time.Millisecond)
	r.report(errors.New("cwlog: held back"))
	// The next report comes as the interval ends, before its timer fires.
	c.now = c.now.Add(900 * time.Millisecond)
	r.report(errors.New("cwlog: second"))
	if c.pending() != 0 {
		t.Error("the timer for the held reports was not stopped when a line took them")
	}
	c.advance(5 * time.Second)
	r.report(errors.New("cwlog: third"))
	want := "cwlog: first\n" +
		"cwlog: second (suppressed in the last 1.2s: 12 events dropped, 1 other report)\n" +
		"cwlog: third\n"
	if got := w.buf.String(); got != want {
		t.Fatalf("wrote\n%s\nwant\n%s", got, want)
	}
}

func TestStderrReporterEndsABurst(t *testing.T) {
	r, w, c := newTestReporter()
	r.report(errors.New("cwlog: first"))
	c.advance(200 * time.Millisecond)
	r.report(&DroppedError{Count: 3})
	c.advance(200 * time.Millisecond)
	r.report(&DroppedError{Count: 4})
	c.advance(599 * time.Millisecond)
	if got := w.buf.String(); got != "cwlog: first\n" {
		t.Fatalf("before the interval ended, wrote\n%s", got)
	}
	c.advance(time.Millisecond)
	// The line that ends a burst starts an interval too.
	c.advance(300 * time.Millisecond)
	r.report(&RetryError{Op: "PutLogEvents", Events: 20, Attempt: 1, Err: errors.New("throttled")})
	c.advance(5 * time.Second)
	r.report(errors.New("cwlog: later"))
	want := "cwlog: first\n" +
		"cwlog: suppressed in the last 1s: 7 events dropped\n" +
		"cwlog: suppressed in the last 1s: 1 retry of a call carrying 20 events\n" +
		"cwlog: later\n"
	if got := w.buf.String(); got != want {
		t.Fatalf("wrote\n%s\nwant\n%s", got, want)
	}
	want1 := time.Unix(1001, 0)
	if w.times[1] != want1 || w.times[2] != want1.Add(time.Second) {
		t.Fatalf("burst lines written at %v, want %v and a second later", w.times[1:3], want1)
	}
}

func TestStderrReporterIgnoresALateTimer(t *testing.T) {
	r, w, c := newTestReporter()
	r.report(errors.New("cwlog: first"))
	c.advance(500 * time.Millisecond)
	r.report(&DroppedError{Count: 1})
	late := c.timers[0]
	// The timer fires as a new line takes the held reports: its function
	// waits for the lock while the line is written.
	c.now = c.now.Add(500 * time.Millisecond)
	r.report(errors.New("cwlog: second"))
	c.advance(100 * time.Millisecond)
	r.report(&DroppedError{Count: 2})
	late.f()
	if got, want := w.buf.String(), "cwlog: first\ncwlog: second (suppressed in the last 1s: 1 event dropped)\n"; got != want {
		t.Fatalf("after a late timer, wrote\n%s\nwant\n%s", got, want)
	}
	c.advance(900 * time.Millisecond)
	if got := w.buf.String(); !strings.HasSuffix(got, "\ncwlog: suppressed in the last 1s: 2 events dropped\n") {
		t.Fatalf("wrote\n%s\nwant the burst ended a second after the second line", got)
	}
}

func TestStderrReporterSumsABurst(t *testing.T) {
	r, w, c := newTestReporter()
	var total uint64
	for i := range 1000 {
		n := (i*7919)%97 + 1
		total += uint64(n)
		r.report(&DroppedError{Count: n, Policy: DropNewest})
		// Mostly close together, now and then a pause longer than the interval.
		if i%150 == 149 {
			c.advance(1500 * time.Millisecond)
		} else {
			c.advance(time.Duration(i%11) * time.Millisecond)
		}
	}
	r.closed(Stats{Added: total, Dropped: total, DroppedFull: total})
	out := w.buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	closing := lines[len(lines)-1]
	if !strings.HasPrefix(closing, "cwlog: closed: ") {
		t.Fatalf("last line %q is not the summary at close", closing)
	}
	if got := droppedIn(t, strings.Join(lines[:len(lines)-1], "\n")); got != total {
		t.Fatalf("lines say %d events dropped, want %d:\n%s", got, total, out)
	}
	if len(lines) > 20 {
		t.Errorf("%d lines for a burst of about 11s:\n%s", len(lines), out)
	}
	// The summary at close may follow the last line at once; no other may.
	for i := 1; i < len(w.times)-2; i++ {
		if d := w.times[i].Sub(w.times[i-1]); d < time.Second {
			t.Fatalf("lines %d and %d written %v apart:\n%s", i-1, i, d, out)
		}
	}
}

func TestStderrReporterClosed(t *testing.T) {
	tests := []struct {
		name string
		st   Stats
		want string
	}{
		{"all delivered", Stats{Added: 10, Delivered: 10, Batches: 1}, ""},
		{"dropped", Stats{Added: 10000, Delivered: 5472, Dropped: 4528, DroppedFull: 4528},
			"cwlog: closed: 10,000 events added, 5,472 delivered, 4,528 dropped (4,528 buffer full, 0 at close), 0 rejected\n"},
		{"dropped at close", Stats{Added: 3, Dropped: 3, DroppedFull: 1, DroppedClose: 2},
			"cwlog: closed: 3 events added, 0 delivered, 3 dropped (1 buffer full, 2 at close), 0 rejected\n"},
		{"rejected", Stats{Added: 5, Delivered: 3, Rejected: 2, RejectedTooOld: 1, RejectedInvalid: 1},
			"cwlog: closed: 5 events added, 3 delivered, 0 dropped (0 buffer full, 0 at close), 2 rejected (1 too old, 0 too new, 0 expired, 1 invalid)\n"},
		{"after close alone", Stats{Added: 1, Delivered: 1, AfterClose: 1234}, ""},
		{"after close", Stats{Added: 2, Delivered: 1, Dropped: 1, DroppedFull: 1, AfterClose: 1234},
			"cwlog: closed: 2 events added, 1 delivered, 1 dropped (1 buffer full, 0 at close), 0 rejected, 1,234 refused after Close\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w, _ := newTestReporter()
			r.closed(tt.st)
			if got := w.buf.String(); got != tt.want {
				t.Fatalf("wrote\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestStderrReporterClosedWritesWhatIsHeld(t *testing.T) {
	r, w, c := newTestReporter()
	r.report(errors.New("cwlog: first"))
	c.advance(300 * time.Millisecond)
	r.report(&DroppedError{Count: 5})
	c.advance(100 * time.Millisecond)
	r.closed(Stats{Added: 5, Dropped: 5, DroppedFull: 5})
	if c.pending() != 0 {
		t.Error("closed left the timer running")
	}
	// Later reports, were there any, are written as they come.
	c.advance(100 * time.Millisecond)
	r.report(errors.New("cwlog: late"))
	r.report(errors.New("cwlog: later"))
	c.advance(5 * time.Second)
	want := "cwlog: first\n" +
		"cwlog: suppressed in the last 400ms: 5 events dropped\n" +
		"cwlog: closed: 5 events added, 0 delivered, 5 dropped (5 buffer full, 0 at close), 0 rejected\n" +
		"cwlog: late\n" +
		"cwlog: later\n"
	if got := w.buf.String(); got != want {
		t.Fatalf("wrote\n%s\nwant\n%s", got, want)
	}
}

func TestTallyWords(t *testing.T) {
	tests := []struct {
		name string
		errs []error
		want string
	}{
		{"nothing", nil, ""},
		{"one drop", []error{&DroppedError{Count: 1}}, "1 event dropped"},
		{"drops", []error{&DroppedError{Count: 1234000}, &DroppedError{Count: 567}}, "1,234,567 events dropped"},
		{"rejected", []error{&RejectedError{TooOld: 2, Invalid: 1}, &RejectedError{TooNew: 1, Expired: 3}},
			"2 events rejected as too old, 1 event rejected as too new, 3 events rejected as expired, 1 event rejected as invalid"},
		{"retries", []error{
			&RetryError{Op: "PutLogEvents", Events: 500},
			&RetryError{Op: "PutLogEvents", Events: 500},
			&RetryError{Op: "CreateLogStream", Err: &SetupError{Op: "CreateLogStream", Cause: "access denied"}},
		}, "3 retries of calls carrying 1,000 events"},
		{"retries of other calls", []error{&RetryError{Op: "CreateLogGroup"}, &RetryError{Op: "CreateLogStream"}}, "2 retries"},
		// Counted by their own type, not by what they wrap.
		{"others", []error{errors.New("x"), &UndeliveredError{Count: 3}, fmt.Errorf("adapter: %w", &DroppedError{Count: 9})},
			"3 other reports"},
		{"all", []error{&RetryError{Events: 9}, errors.New("x"), &RejectedError{TooOld: 1}, &DroppedError{Count: 4527}},
			"4,527 events dropped, 1 event rejected as too old, 1 retry of a call carrying 9 events, 1 other report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tl tally
			for _, err := range tt.errs {
				tl.add(err)
			}
			if got := tl.String(); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestStderrReporterRealTimers runs the reporter on the real clock, with
// timers ending bursts on their own goroutines while reports arrive.
func TestStderrReporterRealTimers(t *testing.T) {
	var out bytes.Buffer
	r := &stderrReporter{w: &out, interval: 2 * time.Millisecond, now: time.Now}
	var total uint64
	for i := range 3000 {
		n := i%13 + 1
		total += uint64(n)
		r.report(&DroppedError{Count: n})
		if i%100 == 99 {
			time.Sleep(3 * time.Millisecond)
		}
	}
	r.closed(Stats{})
	r.mu.Lock()
	got := out.String()
	r.mu.Unlock()
	if sum := droppedIn(t, got); sum != total {
		t.Fatalf("lines say %d events dropped, want %d:\n%s", sum, total, got)
	}
}

// TestStderrReporterOfARealShipper drops thousands of events from a
// Shipper whose endpoint stalls, and checks that the default reporter's
// lines account for every one.
func TestStderrReporterOfARealShipper(t *testing.T) {
	const group, stream = "app/test", "instance-1"
	srv := cwlogtest.Start(t, nil)
	srv.CreateGroup(group)
	srv.CreateStream(group, stream)
	srv.FailNext(cwlogtest.OpPutLogEvents, 3, cwlogtest.Fault{Delay: 400 * time.Millisecond})
	s, err := New(Config{
		Client: srv.Client(), LogGroup: group, LogStream: stream,
		FlushInterval:   10 * time.Millisecond,
		MaxMessageBytes: 512, MaxBatchBytes: 2048, BufferLimit: 4096,
		MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s.stderr.mu.Lock()
	s.stderr.w = &out
	s.stderr.mu.Unlock()
	defer s.Close(context.Background())

	refused := 0
	for wave := range 3 {
		if wave > 0 {
			time.Sleep(500 * time.Millisecond)
		}
		for i := range 2000 {
			switch err := s.Add(Event{Message: fmt.Sprintf("wave %d event %04d", wave, i)}); {
			case errors.Is(err, ErrBufferFull):
				refused++
			case err != nil:
				t.Fatal(err)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	st := s.Stats()
	if st.DroppedFull != uint64(refused) || st.DroppedFull < 1000 || st.DroppedClose != 0 {
		t.Fatalf("%d Adds refused; stats %+v: want thousands dropped for a full buffer, none at close", refused, st)
	}
	got := out.String()
	t.Logf("wrote\n%s", got)
	if sum := droppedIn(t, got); sum != st.DroppedFull {
		t.Fatalf("lines say %d events dropped, Stats.DroppedFull is %d:\n%s", sum, st.DroppedFull, got)
	}
	want := fmt.Sprintf("cwlog: closed: %s events added, %s delivered, %s dropped (%s buffer full, 0 at close), 0 rejected\n",
		numtext.Thousands(st.Added), numtext.Thousands(st.Delivered), numtext.Thousands(st.Dropped), numtext.Thousands(st.DroppedFull))
	if !strings.HasSuffix(got, want) {
		t.Fatalf("wrote\n%s\nwant it to end with\n%s", got, want)
	}
}
