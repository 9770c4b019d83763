package cwlogtest

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// opDescribeLogStreams pages through streams ordered by name; nextToken is
// the offset into that order, which is stable enough for a test endpoint.
func (s *Server) opDescribeLogStreams(req *request, _ *Call) (any, *apiError) {
	groupName, aerr := req.logGroup()
	if aerr != nil {
		return nil, aerr
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
		// storedBytes stays 0: the service has reported it as zero for
		// log streams since June 2019.
		out := logStreamOut{
			LogStreamName: names[i],
			CreationTime:  st.created,
			Arn:           streamARN(groupName, names[i]),
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
