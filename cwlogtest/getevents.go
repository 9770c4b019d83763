package cwlogtest

import (
	"slices"
	"strconv"
	"strings"
)

// maxGetBytes bounds a GetLogEvents page the way the service does ("as many
// log events as can fit in a response size of 1 MB").
const maxGetBytes = 1_048_576

// parsePageToken reads the "f/<n>" and "b/<n>" tokens this server hands
// out; n is a position in the timestamp-ordered stream.
func parsePageToken(tok string, n int) (forward bool, pos int, ok bool) {
	dir, num, found := strings.Cut(tok, "/")
	if !found || (dir != "f" && dir != "b") {
		return false, 0, false
	}
	p, err := strconv.Atoi(num)
	if err != nil || p < 0 || p > n {
		return false, 0, false
	}
	return dir == "f", p, true
}

func (s *Server) opGetLogEvents(req *request, _ *Call) (any, *apiError) {
	groupName, aerr := req.logGroup()
	if aerr != nil {
		return nil, aerr
	}
	if err := validateStreamName(req.LogStreamName); err != nil {
		return nil, err
	}
	limit := MaxBatchEvents
	if req.Limit != nil {
		if *req.Limit < 1 || *req.Limit > MaxBatchEvents {
			return nil, invalidParam(RuleLimit, "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *req.Limit, MaxBatchEvents)
		}
		limit = *req.Limit
	}
	s.mu.Lock()
	st := s.streamLocked(groupName, *req.LogStreamName)
	var view []Event
	if st != nil {
		view = st.sortedView()
	}
	groupExists := s.groups[groupName] != nil
	s.mu.Unlock()
	if !groupExists {
		return nil, errGroupNotFound()
	}
	if st == nil {
		return nil, errStreamNotFound()
	}

	forward := req.StartFromHead != nil && *req.StartFromHead
	pos := 0
	if !forward {
		pos = len(view)
	}
	if req.NextToken != nil {
		var ok bool
		if forward, pos, ok = parsePageToken(*req.NextToken, len(view)); !ok {
			return nil, invalidParam(RuleLimit, "The specified nextToken is invalid.")
		}
	}
	inRange := func(e *Event) bool {
		return (req.StartTime == nil || e.Timestamp >= *req.StartTime) &&
			(req.EndTime == nil || e.Timestamp < *req.EndTime)
	}

	resp := getLogEventsResponse{Events: []outputEvent{}}
	size := 0
	fits := func(e *Event) bool {
		n := len(e.Message) + EventOverhead
		if len(resp.Events) >= limit || (len(resp.Events) > 0 && size+n > maxGetBytes) {
			return false
		}
		size += n
		return true
	}
	if forward {
		first, i := -1, pos
		for ; i < len(view); i++ {
			e := &view[i]
			if !inRange(e) {
				continue
			}
			if !fits(e) {
				break
			}
			if first < 0 {
				first = i
			}
			resp.Events = append(resp.Events, outputEvent{Timestamp: e.Timestamp, Message: e.Message, IngestionTime: e.IngestionTime})
		}
		if first < 0 {
			first = pos
		}
		resp.NextForwardToken = "f/" + strconv.Itoa(i)
		resp.NextBackwardToken = "b/" + strconv.Itoa(first)
		return resp, nil
	}
	last, i := -1, pos-1
	for ; i >= 0; i-- {
		e := &view[i]
		if !inRange(e) {
			continue
		}
		if !fits(e) {
			break
		}
		if last < 0 {
			last = i
		}
		resp.Events = append(resp.Events, outputEvent{Timestamp: e.Timestamp, Message: e.Message, IngestionTime: e.IngestionTime})
	}
	slices.Reverse(resp.Events)
	if last < 0 {
		last = pos - 1
	}
	resp.NextForwardToken = "f/" + strconv.Itoa(last+1)
	resp.NextBackwardToken = "b/" + strconv.Itoa(i+1)
	return resp, nil
}
