package logruscw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/internal/testutil"
	"github.com/cwlog/cwlog/logruscw"
	"github.com/sirupsen/logrus"
)

// FuzzEncode logs an entry built from the fuzz input, with fields of many
// types, through a logger that writes with logrus.JSONFormatter and has a
// Hook sending to a Shipper on the local endpoint. The stored event must
// be exactly the line the logger itself wrote, without its newline, and
// valid JSON. The seed corpus is in testdata/fuzz/FuzzEncode.
func FuzzEncode(f *testing.F) {
	srv := testutil.Start(f, nil)
	client := srv.Client()
	const group = "fuzz"
	srv.CreateGroup(group)
	var streams atomic.Int64
	when := time.Now().Add(-time.Minute).Truncate(time.Millisecond)

	f.Fuzz(func(t *testing.T, data []byte) {
		g := &fuzzGen{shiptest.Choices{Data: data}}
		name := "s" + strconv.FormatInt(streams.Add(1), 10)
		srv.CreateStream(group, name)
		s, err := core.New(core.Config{
			Client:        client,
			LogGroup:      group,
			LogStream:     name,
			FlushInterval: time.Hour,
			MinBackoff:    time.Millisecond,
			MaxBackoff:    10 * time.Millisecond,
			OnError:       func(err error) { t.Errorf("shipper: %v", err) },
		})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		log := logrus.New()
		log.SetOutput(&want)
		log.SetFormatter(&logrus.JSONFormatter{})
		log.SetLevel(logrus.TraceLevel)
		log.AddHook(logruscw.NewHook(s, nil))

		entry := log.WithTime(when.Add(time.Duration(g.Intn(1000)) * time.Millisecond))
		for n := g.Intn(7); n > 0; n-- {
			entry = entry.WithField(g.str(), g.value())
		}
		// Trace..Error: Fatal and Panic end the program or the goroutine.
		entry.Log(logrus.Level(2+g.Intn(5)), g.str())

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Fatalf("Close: %v", err)
		}
		line := bytes.TrimSuffix(want.Bytes(), []byte("\n"))
		got := srv.Messages(group, name)
		if len(got) != 1 || got[0] != string(line) {
			t.Fatalf("stored %q\nlogrus wrote %q", got, line)
		}
		if !json.Valid([]byte(got[0])) {
			t.Fatalf("stored %q is not valid JSON", got[0])
		}
		srv.DeleteStream(group, name)
	})
}

// fuzzGen builds records from fuzz bytes (see shiptest.Choices).
type fuzzGen struct{ shiptest.Choices }

// awkward are strings encoders get wrong: escapes, invalid UTF-8,
// separators, keys that collide with the entry's own.
var awkward = []string{
	"", "msg", "level", "time", "func", "file", "logrus_error", "fields.msg",
	"quote\"back\\slash", "\x00nul", "\x1b[31m", "\u2028\u2029", "\xff\xfe", "é日本🙂",
	"<>&", "line\nbreak", "\ufeff", "\xed\xa0\x80",
}

func (g *fuzzGen) str() string { return g.Text(awkward) }

func (g *fuzzGen) value() any {
	switch g.Intn(9) {
	case 0:
		return g.str()
	case 1:
		return int64(g.Uint64())
	case 2:
		return g.Uint64()
	case 3:
		// JSON has no NaN or infinity; logrus reports those as a
		// formatting error, a path of its own, not of the Hook.
		v := math.Float64frombits(g.Uint64())
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		return v
	case 4:
		return g.Intn(2) == 0
	case 5:
		return errors.New(g.str())
	case 6:
		return []string{g.str(), g.str()}
	case 7:
		return map[string]any{g.str(): g.str(), "n": int(g.Uint64() % 1000)}
	}
	return nil
}
