package testutil

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
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

// Event is one stored log event.
type Event struct {
	// Timestamp is the event time in milliseconds since the Unix epoch.
	Timestamp int64
	// Message is the message as received (after JSON decoding).
	Message string
	// IngestionTime is the server clock, in milliseconds, when it was stored.
	IngestionTime int64
}

type group struct {
	created   int64
	retention int // days; 0 = never expire
	streams   map[string]*stream
}

type stream struct {
	created     int64
	events      []Event
	count       int
	storedBytes int64
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

// CreateGroup creates log group name directly, bypassing validation and
// faults. It does nothing if the group exists.
func (s *Server) CreateGroup(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.createGroupLocked(name)
}

func (s *Server) createGroupLocked(name string) *group {
	g := s.groups[name]
	if g == nil {
		g = &group{created: s.nowMs(), streams: map[string]*stream{}}
		s.groups[name] = g
	}
	return g
}

// CreateStream creates log stream name in group directly, creating the
// group too if needed. It does nothing if the stream exists.
func (s *Server) CreateStream(group, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.createGroupLocked(group)
	if g.streams[name] == nil {
		g.streams[name] = &stream{created: s.nowMs()}
	}
}

// DeleteGroup deletes a log group and its streams directly, as if it had
// been deleted out from under a running client. It reports whether the
// group existed.
func (s *Server) DeleteGroup(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.groups[name]
	delete(s.groups, name)
	return ok
}

// DeleteStream deletes one log stream directly and reports whether it existed.
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

// SetRetention sets a group's retention in days directly (0 = never
// expire), without checking it against RetentionDays. It reports whether
// the group exists.
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

// Groups returns the names of existing log groups, sorted.
func (s *Server) Groups() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.groups))
	for n := range s.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Streams returns the names of the streams of group, sorted; nil if the
// group does not exist.
func (s *Server) Streams(group string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[group]
	if g == nil {
		return nil
	}
	return g.sortedNames()
}

// Events returns a copy of the events stored in a stream, in the order they
// were accepted (not sorted by timestamp); nil if the stream does not exist.
// With Options.DiscardEvents it is always empty.
func (s *Server) Events(group, stream string) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streamLocked(group, stream)
	if st == nil {
		return nil
	}
	return slices.Clone(st.events)
}

// Messages returns the messages of Events(group, stream).
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

// EventCount returns how many events a stream holds (also counted with
// Options.DiscardEvents), or -1 if it does not exist.
func (s *Server) EventCount(group, stream string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streamLocked(group, stream)
	if st == nil {
		return -1
	}
	return st.count
}

// Reset deletes every group, stream and event, forgets recorded calls and
// totals, clears injected faults and removes the SetMaxBodyBytes limit: a
// clean slate for the next test.
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

func (s *Server) streamLocked(group, name string) *stream {
	g := s.groups[group]
	if g == nil {
		return nil
	}
	return g.streams[name]
}

func (s *Server) opCreateLogGroup(req *request, _ *Call) (any, *apiError) {
	if err := validateGroupName(req.LogGroupName); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.groups[*req.LogGroupName] != nil {
		return nil, &apiError{status: http.StatusBadRequest, code: CodeResourceAlreadyExists, message: "The specified log group already exists", rule: RuleExists}
	}
	s.createGroupLocked(*req.LogGroupName)
	return struct{}{}, nil
}

func (s *Server) opCreateLogStream(req *request, _ *Call) (any, *apiError) {
	if err := validateGroupName(req.LogGroupName); err != nil {
		return nil, err
	}
	if err := validateStreamName(req.LogStreamName); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[*req.LogGroupName]
	if g == nil {
		return nil, errGroupNotFound()
	}
	if g.streams[*req.LogStreamName] != nil {
		return nil, &apiError{status: http.StatusBadRequest, code: CodeResourceAlreadyExists, message: "The specified log stream already exists", rule: RuleExists}
	}
	g.streams[*req.LogStreamName] = &stream{created: s.nowMs()}
	return struct{}{}, nil
}

func (s *Server) opDeleteLogGroup(req *request, _ *Call) (any, *apiError) {
	if err := validateGroupName(req.LogGroupName); err != nil {
		return nil, err
	}
	if !s.DeleteGroup(*req.LogGroupName) {
		return nil, errGroupNotFound()
	}
	return struct{}{}, nil
}

func (s *Server) opDeleteLogStream(req *request, _ *Call) (any, *apiError) {
	if err := validateGroupName(req.LogGroupName); err != nil {
		return nil, err
	}
	if err := validateStreamName(req.LogStreamName); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[*req.LogGroupName]
	if g == nil {
		return nil, errGroupNotFound()
	}
	if g.streams[*req.LogStreamName] == nil {
		return nil, errStreamNotFound()
	}
	delete(g.streams, *req.LogStreamName)
	return struct{}{}, nil
}

func (s *Server) opPutRetentionPolicy(req *request, _ *Call) (any, *apiError) {
	if err := validateGroupName(req.LogGroupName); err != nil {
		return nil, err
	}
	if req.RetentionInDays == nil {
		return nil, invalidParam(RuleRetention, "1 validation error detected: Value null at 'retentionInDays' failed to satisfy constraint: Member must not be null")
	}
	if !validRetention(*req.RetentionInDays) {
		return nil, invalidParam(RuleRetention, "1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: %v", *req.RetentionInDays, RetentionDays)
	}
	if !s.SetRetention(*req.LogGroupName, *req.RetentionInDays) {
		return nil, errGroupNotFound()
	}
	return struct{}{}, nil
}

// opDescribeLogStreams pages through streams ordered by name; nextToken is
// the offset into that order, which is stable enough for a test endpoint.
func (s *Server) opDescribeLogStreams(req *request, _ *Call) (any, *apiError) {
	groupName := req.group()
	if err := validateGroupName(&groupName); err != nil {
		return nil, err
	}
	limit := 50
	if req.Limit != nil {
		if *req.Limit < 1 || *req.Limit > 50 {
			return nil, invalidParam(RuleLimit, "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and 50", *req.Limit)
		}
		limit = *req.Limit
	}
	if req.OrderBy != nil && *req.OrderBy == "LastEventTime" && req.LogStreamNamePrefix != nil {
		return nil, invalidParam(RuleValidation, "Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	offset := 0
	if req.NextToken != nil {
		n, err := strconv.Atoi(strings.TrimPrefix(*req.NextToken, "d/"))
		if err != nil || n < 0 || !strings.HasPrefix(*req.NextToken, "d/") {
			return nil, invalidParam(RuleLimit, "The specified nextToken is invalid.")
		}
		offset = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[groupName]
	if g == nil {
		return nil, errGroupNotFound()
	}
	names := g.sortedNames()
	if req.LogStreamNamePrefix != nil {
		names = slices.DeleteFunc(names, func(n string) bool { return !strings.HasPrefix(n, *req.LogStreamNamePrefix) })
	}
	if req.OrderBy != nil && *req.OrderBy == "LastEventTime" {
		sort.SliceStable(names, func(i, j int) bool { return g.streams[names[i]].last < g.streams[names[j]].last })
	}
	if req.Descending != nil && *req.Descending {
		slices.Reverse(names)
	}
	resp := describeLogStreamsResponse{LogStreams: []logStreamOut{}}
	for i := offset; i < len(names) && len(resp.LogStreams) < limit; i++ {
		st := g.streams[names[i]]
		out := logStreamOut{
			LogStreamName: names[i],
			CreationTime:  st.created,
			Arn:           streamARN(groupName, names[i]),
			StoredBytes:   st.storedBytes,
		}
		if st.count > 0 {
			first, last, ingest := st.first, st.last, st.lastIngest
			out.FirstEventTimestamp, out.LastEventTimestamp, out.LastIngestionTime = &first, &last, &ingest
		}
		if s.legacy {
			out.UploadSequenceToken = st.token
		}
		resp.LogStreams = append(resp.LogStreams, out)
		if len(resp.LogStreams) == limit && i+1 < len(names) {
			resp.NextToken = "d/" + strconv.Itoa(i+1)
		}
	}
	return resp, nil
}
