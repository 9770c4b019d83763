package cwlogtest

import (
	"maps"
	"net/http"
	"strings"
)

// The operations that create and delete log groups and streams and set a
// group's retention.

func (s *Server) opCreateLogGroup(req *request, _ *Call) (any, *apiError) {
	if err := validateGroupName(req.LogGroupName); err != nil {
		return nil, err
	}
	class, err := groupOptions(req)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.groups[*req.LogGroupName] != nil {
		return nil, &apiError{status: http.StatusBadRequest, code: CodeResourceAlreadyExists, message: "The specified log group already exists", rule: RuleExists}
	}
	g := s.createGroupLocked(*req.LogGroupName)
	g.class, g.tags = class, maps.Clone(req.Tags)
	if req.KmsKeyID != nil {
		g.kmsKeyID = *req.KmsKeyID
	}
	return struct{}{}, nil
}

// groupOptions checks CreateLogGroup's kmsKeyId, logGroupClass and tags as
// the service model bounds them, and returns the class (STANDARD when
// none is named).
func groupOptions(req *request) (string, *apiError) {
	if k := req.KmsKeyID; k != nil && (len(*k) > 256 || !strings.HasPrefix(*k, "arn:") || !strings.Contains(*k, ":kms:")) {
		return "", invalidParam(RuleValidation, "Specified KMS key %q is not a valid KMS key ARN.", *k)
	}
	class := "STANDARD"
	if req.LogGroupClass != nil {
		class = *req.LogGroupClass
	}
	if class != "STANDARD" && class != "INFREQUENT_ACCESS" && class != "DELIVERY" {
		return "", invalidParam(RuleValidation, "1 validation error detected: Value '%s' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]", class)
	}
	if len(req.Tags) > 50 {
		return "", invalidParam(RuleValidation, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	for k, v := range req.Tags {
		if k == "" || len(k) > 128 || len(v) > 256 || strings.HasPrefix(k, "aws:") {
			return "", invalidParam(RuleValidation, "Invalid tag %q=%q: keys are 1-128 characters not starting with aws:, values at most 256", k, v)
		}
	}
	return class, nil
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
