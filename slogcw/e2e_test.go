package slogcw_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/slogcw"
)

// tee sends every record to the handler under test and to slog's JSON
// handler, so that what the endpoint stored can be compared with what slog
// wrote.
type tee struct{ ours, ref slog.Handler }

func (t tee) Enabled(ctx context.Context, l slog.Level) bool { return t.ours.Enabled(ctx, l) }

func (t tee) Handle(ctx context.Context, r slog.Record) error {
	if err := t.ref.Handle(ctx, r.Clone()); err != nil {
		return err
	}
	return t.ours.Handle(ctx, r)
}

func (t tee) WithAttrs(as []slog.Attr) slog.Handler {
	return tee{t.ours.WithAttrs(as), t.ref.WithAttrs(slices.Clone(as))}
}

func (t tee) WithGroup(name string) slog.Handler {
	return tee{t.ours.WithGroup(name), t.ref.WithGroup(name)}
}

// lines splits slog's output into messages without newlines.
func lines(b []byte) []string {
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func messages(evs []cwlogtest.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Message
	}
	return out
}

// TestEndToEndMatchesJSONHandler logs fields, groups, levels and errors
// through slog.Logger and checks that the endpoint stored, through the real
// SDK client, exactly the lines slog's JSON handler wrote, and the values
// a reader of those lines expects.
func TestEndToEndMatchesJSONHandler(t *testing.T) {
	srv, s, stream := start(t)
	var ref bytes.Buffer
	opts := &slogcw.Options{Level: slog.LevelDebug}
	l := slog.New(tee{slogcw.NewHandler(s, opts), slog.NewJSONHandler(&ref, &slog.HandlerOptions{Level: slog.LevelDebug})})

	l.Debug("debug", "n", 1)
	l.Info("fields", "s", "text <&> \"q\"", "i", -7, "u", uint64(1<<63), "f", 2.5, "b", true, "d", 1500*time.Millisecond)
	l.Warn("groups", slog.Group("req", "method", "GET", slog.Group("hdr", "ua", "x")), slog.Group("empty"))
	l.Error("failed", "err", errors.New("disk full"), "wrapped", fmt.Errorf("save: %w", io.ErrUnexpectedEOF))
	l.Log(context.Background(), slog.LevelError+2, "custom level")
	l.With("svc", "api").WithGroup("g").Info("with", "k", "v")
	slog.New(slogcw.NewHandler(s, nil)).Debug("filtered at the default level")

	evs := stored(t, srv, s, stream)
	got, want := messages(evs), lines(ref.Bytes())
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("stored messages differ from slog's:\n got: %q\nwant: %q", got, want)
	}

	byMsg := map[string]map[string]any{}
	for _, e := range evs {
		m := shiptest.DecodeMessage(t, e.Message)
		byMsg[m["msg"].(string)] = m
	}
	checks := []struct {
		msg, path string
		want      any
	}{
		{"debug", "level", "DEBUG"},
		{"fields", "level", "INFO"},
		{"fields", "s", "text <&> \"q\""},
		{"fields", "i", -7.0},
		{"fields", "u", float64(1 << 63)},
		{"fields", "f", 2.5},
		{"fields", "b", true},
		{"fields", "d", 1.5e9},
		{"groups", "level", "WARN"},
		{"groups", "req.method", "GET"},
		{"groups", "req.hdr.ua", "x"},
		{"failed", "level", "ERROR"},
		{"failed", "err", "disk full"},
		{"failed", "wrapped", "save: unexpected EOF"},
		{"custom level", "level", "ERROR+2"},
		{"with", "svc", "api"},
		{"with", "g.k", "v"},
	}
	for _, c := range checks {
		m, ok := byMsg[c.msg]
		if !ok {
			t.Errorf("no stored record %q", c.msg)
			continue
		}
		if got := lookup(m, c.path); got != c.want {
			t.Errorf("%s: %s = %#v, want %#v", c.msg, c.path, got, c.want)
		}
	}
	if _, ok := byMsg["groups"]["empty"]; ok {
		t.Error("empty group was written")
	}
	if _, ok := byMsg["filtered at the default level"]; ok {
		t.Error("debug record passed a handler at the default level")
	}
	if len(evs) != 6 {
		t.Errorf("stored %d events, want 6", len(evs))
	}
}

// lookup follows a dotted path through nested objects.
func lookup(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		o, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = o[k]
	}
	return v
}

// TestRecordTimePreserved checks that each stored event's timestamp is its
// record's time to the millisecond, whatever order the records come in,
// and that a record without a time is stamped when it is handled.
func TestRecordTimePreserved(t *testing.T) {
	srv, s, stream := start(t)
	h := slogcw.NewHandler(s, nil)

	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	want := map[string]int64{}
	for i := range 50 {
		// Out of order, with sub-millisecond parts that must be cut, not rounded.
		rt := base.Add(time.Duration((i*37)%50)*time.Millisecond + 999*time.Microsecond)
		msg := fmt.Sprintf("r%d", i)
		if err := h.Handle(context.Background(), slog.NewRecord(rt, slog.LevelInfo, msg, 0)); err != nil {
			t.Fatal(err)
		}
		want[msg] = rt.UnixMilli()
	}
	before := time.Now().UnixMilli()
	if err := h.Handle(context.Background(), slog.NewRecord(time.Time{}, slog.LevelInfo, "untimed", 0)); err != nil {
		t.Fatal(err)
	}
	after := time.Now().UnixMilli()

	evs := stored(t, srv, s, stream)
	if len(evs) != 51 {
		t.Fatalf("stored %d events, want 51", len(evs))
	}
	for _, e := range evs {
		m := shiptest.DecodeMessage(t, e.Message)
		msg := m["msg"].(string)
		if msg == "untimed" {
			if _, ok := m["time"]; ok {
				t.Errorf("zero record time was written: %s", e.Message)
			}
			if e.Timestamp < before || e.Timestamp > after {
				t.Errorf("untimed record stamped %d, want within [%d, %d]", e.Timestamp, before, after)
			}
			continue
		}
		if e.Timestamp != want[msg] {
			t.Errorf("%s: stored timestamp %d, want %d", msg, e.Timestamp, want[msg])
		}
		ts, err := time.Parse(time.RFC3339Nano, m["time"].(string))
		if err != nil || ts.UnixMilli() != e.Timestamp {
			t.Errorf("%s: time field %v (%v) disagrees with timestamp %d", msg, m["time"], err, e.Timestamp)
		}
	}
}

// TestConcurrentLoggersAndClones logs from many goroutines, each deriving
// its own handlers from one shared parent while the others do the same,
// and checks that every record arrives once, intact, with exactly its own
// goroutine's attributes. Run it with -race.
func TestConcurrentLoggersAndClones(t *testing.T) {
	srv, s, stream := start(t)
	parent := slog.New(slogcw.NewHandler(s, nil)).With("app", "cw").WithGroup("p")

	const workers, perWorker = 8, 150
	shiptest.Concurrently(workers, func(w int) {
		l := parent.With("worker", w).WithGroup(fmt.Sprintf("w%d", w))
		for i := range perWorker {
			ll := l
			if i%10 == 0 {
				ll = l.With("tenth", i) // a fresh clone now and then
			}
			ll.Info("tick", "seq", i, "worker", w)
		}
	})

	evs := stored(t, srv, s, stream)
	if len(evs) != workers*perWorker {
		t.Fatalf("stored %d events, want %d", len(evs), workers*perWorker)
	}
	seen := map[string]bool{}
	for _, e := range evs {
		m := shiptest.DecodeMessage(t, e.Message)
		p, _ := m["p"].(map[string]any)
		if m["app"] != "cw" || p == nil {
			t.Fatalf("parent attributes lost: %s", e.Message)
		}
		w, ok := p["worker"].(float64)
		if !ok || len(p) != 2 {
			t.Fatalf("group p should hold worker and one worker group: %s", e.Message)
		}
		g, _ := p[fmt.Sprintf("w%d", int(w))].(map[string]any)
		if g == nil || g["worker"] != w {
			t.Fatalf("record carries another goroutine's attributes: %s", e.Message)
		}
		seq := int(g["seq"].(float64))
		if _, tenth := g["tenth"]; tenth != (seq%10 == 0) || (tenth && g["tenth"] != float64(seq)) {
			t.Fatalf("clone attributes leaked between records: %s", e.Message)
		}
		key := fmt.Sprintf("%v/%d", w, seq)
		if seen[key] {
			t.Fatalf("record %s stored twice", key)
		}
		seen[key] = true
	}
}

// TestAddSource checks the source object names the log call.
func TestAddSource(t *testing.T) {
	srv, s, stream := start(t)
	l := slog.New(slogcw.NewHandler(s, &slogcw.Options{AddSource: true}))

	_, file, line, _ := runtime.Caller(0)
	l.Info("here")
	h := slogcw.NewHandler(s, &slogcw.Options{AddSource: true})
	h.Handle(context.Background(), slog.NewRecord(time.Now(), slog.LevelInfo, "no pc", 0))

	evs := stored(t, srv, s, stream)
	if len(evs) != 2 {
		t.Fatalf("stored %d events, want 2", len(evs))
	}
	m := shiptest.DecodeMessage(t, evs[0].Message)
	src, _ := m["source"].(map[string]any)
	if src == nil {
		t.Fatalf("no source: %s", evs[0].Message)
	}
	if src["file"] != file || src["line"] != float64(line+1) || !strings.HasSuffix(src["function"].(string), ".TestAddSource") {
		t.Errorf("source = %v, want %s:%d in TestAddSource", src, file, line+1)
	}
	if strings.Contains(evs[1].Message, "source") {
		t.Errorf("a record without a PC got a source: %s", evs[1].Message)
	}
}

// TestReplaceAttr checks ReplaceAttr through the whole pipeline: the
// groups it is given, built-ins renamed or dropped, values redacted, and
// WithAttrs attributes replaced once, when WithAttrs is called.
func TestReplaceAttr(t *testing.T) {
	srv, s, stream := start(t)
	var (
		mu    sync.Mutex
		calls []string
	)
	rep := func(groups []string, a slog.Attr) slog.Attr {
		mu.Lock()
		calls = append(calls, fmt.Sprintf("%v%v:%s", groups == nil, groups, a.Key))
		mu.Unlock()
		switch {
		case groups == nil && a.Key == slog.TimeKey:
			return slog.Attr{}
		case groups == nil && a.Key == slog.MessageKey:
			a.Key = "message"
		case a.Key == "password":
			return slog.String("password", "***")
		case a.Key == "drop":
			return slog.Attr{}
		}
		return a
	}
	l := slog.New(slogcw.NewHandler(s, &slogcw.Options{ReplaceAttr: rep}))
	wl := l.WithGroup("user").With("password", "hunter2", "drop", 1)
	calls = nil // WithAttrs called ReplaceAttr already; it must not again
	wl.Info("login", "id", 7, slog.Group("meta", "password", "x"))
	l.Info("plain", "drop", true)

	evs := stored(t, srv, s, stream)
	got := messages(evs)
	want := []string{
		`{"level":"INFO","message":"login","user":{"password":"***","id":7,"meta":{"password":"***"}}}`,
		`{"level":"INFO","message":"plain"}`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("stored:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantCalls := []string{
		"true[]:time", "true[]:level", "true[]:msg", "false[user]:id", "false[user meta]:password",
		"true[]:time", "true[]:level", "true[]:msg", "false[]:drop",
	}
	if !slices.Equal(calls, wantCalls) {
		t.Errorf("ReplaceAttr calls (nil groups?, groups, key):\n got %v\nwant %v", calls, wantCalls)
	}
}

// TestHandleReturnsShipperErrors checks that Handle's callers see why a
// record was not queued.
func TestHandleReturnsShipperErrors(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	ctx := context.Background()
	rec := slog.NewRecord(time.Now(), slog.LevelInfo, strings.Repeat("x", 100), 0)

	t.Run("closed", func(t *testing.T) {
		s := newShipper(t, srv, newStream(), nil)
		h := slogcw.NewHandler(s, nil)
		shiptest.Close(t, s)
		if err := h.Handle(ctx, rec); !errors.Is(err, core.ErrClosed) {
			t.Fatalf("Handle after Close = %v, want ErrClosed", err)
		}
	})
	t.Run("buffer-full", func(t *testing.T) {
		// Uploads stall, so the small buffer fills.
		srv.SetFault(cwlogtest.OpPutLogEvents, cwlogtest.Fault{Delay: 2 * time.Second})
		defer srv.ClearFaults()
		s := newShipper(t, srv, newStream(), func(c *core.Config) {
			c.MaxMessageBytes, c.MaxBatchBytes, c.BufferLimit = 500, 1000, 1000
		})
		h := slogcw.NewHandler(s, nil)
		var err error
		for range 20 {
			if err = h.Handle(ctx, rec); err != nil {
				break
			}
		}
		if !errors.Is(err, core.ErrBufferFull) {
			t.Fatalf("Handle into a full buffer = %v, want ErrBufferFull", err)
		}
		srv.ClearFaults()
	})
}

// hookedClient is the real SDK client with a hook run inside each
// PutLogEvents call, where the context is the Shipper's own, as it is for
// the SDK's logger.
type hookedClient struct {
	*cloudwatchlogs.Client
	onPut func(context.Context)
}

func (c hookedClient) PutLogEvents(ctx context.Context, in *cloudwatchlogs.PutLogEventsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutLogEventsOutput, error) {
	c.onPut(ctx)
	return c.Client.PutLogEvents(ctx, in, opts...)
}

// TestInternalContextNeverWaits logs from inside the Shipper's own upload
// under the Block policy with a full buffer: waiting for room there would
// wait forever on itself, so Handle must report ErrBufferFull instead.
func TestInternalContextNeverWaits(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	var (
		h    *slogcw.Handler
		once sync.Once
		res  = make(chan error, 1)
	)
	onPut := func(ctx context.Context) {
		once.Do(func() {
			if !core.IsInternal(ctx) {
				res <- errors.New("PutLogEvents context is not internal")
				return
			}
			var err error
			for i := range 50 {
				r := slog.NewRecord(time.Now(), slog.LevelInfo, "from inside the upload", 0)
				r.AddAttrs(slog.Int("i", i))
				if err = h.Handle(ctx, r); err != nil {
					break
				}
			}
			res <- err
		})
	}
	stream := newStream()
	s := newShipper(t, srv, stream, func(c *core.Config) {
		c.Client = hookedClient{srv.Client(), onPut}
		c.FullPolicy = core.Block
		c.MaxMessageBytes, c.MaxBatchBytes, c.BufferLimit = 200, 300, 300
	})
	h = slogcw.NewHandler(s, nil)
	if err := h.Handle(context.Background(), slog.NewRecord(time.Now(), slog.LevelInfo, "first", 0)); err != nil {
		t.Fatal(err)
	}
	if err := shiptest.Within(t, 10*time.Second, res, "Handle from inside the Shipper's upload blocked"); !errors.Is(err, core.ErrBufferFull) {
		t.Fatalf("Handle from inside the upload = %v, want ErrBufferFull", err)
	}
}
