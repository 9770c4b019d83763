package cwlogtest

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// accountID and region appear in the ARNs the server reports.
const (
	accountID = "123456789012"
	region    = "us-east-1"
)

// streamARN is the ARN of a log stream; with stream empty, it is the form
// the service names a log group by in AccessDeniedException messages.
func streamARN(group, stream string) string {
	return "arn:aws:logs:" + region + ":" + accountID + ":log-group:" + group + ":log-stream:" + stream
}

// Event is one log event as the server stored it.
type Event struct {
	// Timestamp is the event's time as the client sent it, in milliseconds
	// since the Unix epoch.
	Timestamp int64
	// Message is the message as the server received it: the Go SDK sends
	// each byte of invalid UTF-8 as U+FFFD.
	Message string
	// IngestionTime is the server's clock ([Options].Clock), in
	// milliseconds since the Unix epoch, when the event was stored.
	IngestionTime int64
}

// Time returns Timestamp as a time.Time in the local time zone.
func (e Event) Time() time.Time { return time.UnixMilli(e.Timestamp) }

type group struct {
	created   int64
	retention int // days; 0 = never expire
	kmsKeyID  string
	class     string
	tags      map[string]string
	streams   map[string]*stream
}

type stream struct {
	created     int64
	events      []Event
	count       int
	first, last int64 // event timestamps, valid when count > 0
	lastIngest  int64

	// token is the expected sequenceToken in legacy mode ("" = none yet).
	token string
	// lastBatch and lastToken are the most recent accepted batch and the
	// token it was sent with, to tell a retried duplicate from a bad token.
	lastBatch []inputEvent
	lastToken string
	hasLast   bool
}

func (g *group) sortedNames() []string {
	names := make([]string, 0, len(g.streams))
	for n := range g.streams {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// sortedView returns a copy of the stream's events in timestamp order,
// equal timestamps in the order they were stored, which the caller may
// read without the lock.
func (st *stream) sortedView() []Event {
	view := slices.Clone(st.events)
	slices.SortStableFunc(view, func(a, b Event) int { return cmp.Compare(a.Timestamp, b.Timestamp) })
	return view
}

func (s *Server) createGroupLocked(name string) *group {
	g := s.groups[name]
	if g == nil {
		g = &group{created: s.nowMs(), streams: map[string]*stream{}}
		s.groups[name] = g
	}
	return g
}

func (s *Server) streamLocked(group, name string) *stream {
	g := s.groups[group]
	if g == nil {
		return nil
	}
	return g.streams[name]
}
