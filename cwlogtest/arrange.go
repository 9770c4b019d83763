package cwlogtest

// The methods in this file change the server's state directly, as an
// administrator or another program would: they are not calls, so they are
// neither recorded by Calls nor subject to faults or validation.

// CreateGroup creates the log group name, as if it had been created before
// the code under test started. It does nothing if the group exists.
func (s *Server) CreateGroup(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.createGroupLocked(name)
}

// CreateStream creates the log stream name in group, and group too if it
// does not exist. It does nothing if the stream exists.
func (s *Server) CreateStream(group, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.createGroupLocked(group)
	if g.streams[name] == nil {
		g.streams[name] = &stream{created: s.nowMs()}
	}
}

// DeleteGroup deletes a log group with its streams and events, as if
// someone deleted it while the code under test was writing to it. It
// reports whether the group existed.
func (s *Server) DeleteGroup(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.groups[name]
	delete(s.groups, name)
	return ok
}

// DeleteStream deletes one log stream with its events and reports whether
// it existed.
func (s *Server) DeleteStream(group, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[group]
	if g == nil || g.streams[name] == nil {
		return false
	}
	delete(g.streams, name)
	return true
}

// SetRetention sets a group's retention in days (0: events never expire,
// the default), without checking it against the values PutRetentionPolicy
// accepts. PutLogEvents then rejects events older than the retention as
// expired. It reports whether the group exists.
func (s *Server) SetRetention(group string, days int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[group]
	if g == nil {
		return false
	}
	g.retention = days
	return true
}

// Reset deletes every group, stream and event, forgets recorded calls and
// totals, clears injected faults and removes the SetMaxBodyBytes limit: a
// clean slate, for a Server shared by several tests.
func (s *Server) Reset() {
	s.maxBody.Store(0)
	s.mu.Lock()
	s.groups = map[string]*group{}
	s.mu.Unlock()
	s.rec.mu.Lock()
	s.rec.reset()
	s.rec.mu.Unlock()
	s.ClearFaults()
}
