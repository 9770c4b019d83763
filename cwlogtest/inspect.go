package cwlogtest

import (
	"slices"
	"sort"
)

// Groups returns the names of the log groups that exist, sorted.
func (s *Server) Groups() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.groupNamesLocked()
}

func (s *Server) groupNamesLocked() []string {
	names := make([]string, 0, len(s.groups))
	for n := range s.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Streams returns the names of the log streams of group, sorted; nil if
// the group does not exist.
func (s *Server) Streams(group string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[group]
	if g == nil {
		return nil
	}
	return g.sortedNames()
}

// Retention returns the retention of group in days, 0 meaning that events
// never expire, as set by PutRetentionPolicy or SetRetention; ok is false
// if the group does not exist.
func (s *Server) Retention(group string) (days int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[group]
	if g == nil {
		return 0, false
	}
	return g.retention, true
}

// Events returns a copy of the events stored in a stream, in the order
// they were stored: call by call, and within a call in the order sent,
// which is timestamp order. Calls made in parallel, or a batch a client
// resent, may leave the stream out of time order; [Server.EventsByTime]
// returns the order readers see. Events returns nil if the stream does not
// exist, and no events with [Options].DiscardEvents.
func (s *Server) Events(group, stream string) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streamLocked(group, stream)
	if st == nil {
		return nil
	}
	return slices.Clone(st.events)
}

// EventsByTime returns a copy of the events stored in a stream sorted by
// timestamp, equal timestamps in the order they were stored: the order in
// which GetLogEvents returns them. It returns nil if the stream does not
// exist.
func (s *Server) EventsByTime(group, stream string) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streamLocked(group, stream)
	if st == nil {
		return nil
	}
	return st.sortedView()
}

// Messages returns the messages of [Server.Events], in the order they
// were stored; nil if the stream does not exist.
func (s *Server) Messages(group, stream string) []string {
	evs := s.Events(group, stream)
	if evs == nil {
		return nil
	}
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Message
	}
	return out
}

// EventCount returns how many events a stream holds, or -1 if it does not
// exist. Unlike Events, it counts with [Options].DiscardEvents too.
func (s *Server) EventCount(group, stream string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streamLocked(group, stream)
	if st == nil {
		return -1
	}
	return st.count
}
