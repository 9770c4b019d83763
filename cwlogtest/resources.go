package cwlogtest

import "net/http"

// The operations that create and delete log groups and streams and set a
// group's retention.

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
		return nil, invalidParam(RuleRetention, "1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: %v", *req.RetentionInDays, retentionDays)
	}
	if !s.SetRetention(*req.LogGroupName, *req.RetentionInDays) {
		return nil, errGroupNotFound()
	}
	return struct{}{}, nil
}
