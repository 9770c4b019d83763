package benchutil

import (
	"bytes"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// sink stands in for CloudWatch Logs in benchmarks at as little cost as an
// endpoint can have, so that no figure depends on how fast a fake service
// parses. It reads each request body, counts the events of PutLogEvents
// and discards the rest, and answers every call with success. It checks
// nothing: the tests against cwlogtest do.
type sink struct {
	// delay holds each PutLogEvents answer back, ending early when the
	// client gives up on the call.
	delay  time.Duration
	events atomic.Int64 // in the PutLogEvents calls answered
}

// objectStart begins every object with members in a body as the SDK
// writes it, and occurs nowhere else: inside a string every quote follows
// a backslash. A PutLogEvents body is one object holding one per event
// (the Shipper sends no entity). Unlike the key "timestamp", it begins with
// a byte that messages seldom hold, so counting it costs little.
var objectStart = []byte(`{"`)

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	objects, err := count(r.Body, objectStart)
	if err != nil {
		return // the client went away
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if r.Header.Get("X-Amz-Target") != "Logs_20140328.PutLogEvents" {
		io.WriteString(w, "{}") // CreateLogGroup, CreateLogStream, ...
		return
	}
	if s.delay > 0 {
		t := time.NewTimer(s.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	s.events.Add(objects - 1)
	// AWS no longer checks tokens; the Shipper only passes them on.
	io.WriteString(w, `{"nextSequenceToken":"1"}`)
}

// count reads r to its end, a block at a time, and counts sep in what it
// reads.
func count(r io.Reader, sep []byte) (n int64, err error) {
	buf := make([]byte, 32<<10)
	kept := 0 // the end of the last block, which may begin a sep
	for err == nil {
		var m int
		m, err = r.Read(buf[kept:])
		block := buf[:kept+m]
		n += int64(bytes.Count(block, sep))
		kept = copy(buf, block[max(len(block)-len(sep)+1, 0):])
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}
