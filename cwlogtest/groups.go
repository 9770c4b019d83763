package cwlogtest

import (
	"maps"
	"strings"
)

// DescribeLogGroups and ListTagsForResource, for the log groups' options:
// retention, KMS key, class and tags.

type logGroupOut struct {
	LogGroupName    string `json:"logGroupName"`
	CreationTime    int64  `json:"creationTime"`
	RetentionInDays *int   `json:"retentionInDays,omitempty"`
	StoredBytes     int64  `json:"storedBytes"`
	Arn             string `json:"arn"`
	LogGroupArn     string `json:"logGroupArn"`
	KmsKeyID        string `json:"kmsKeyId,omitempty"`
	LogGroupClass   string `json:"logGroupClass"`
}

type describeLogGroupsResponse struct {
	LogGroups []logGroupOut `json:"logGroups"`
}

// groupArn is a group's ARN as the service reports it in logGroupArn.
func groupArn(name string) string {
	return "arn:aws:logs:" + region + ":" + accountID + ":log-group:" + name
}

func (s *Server) opDescribeLogGroups(req *request, _ *Call) (any, *apiError) {
	limit := 50
	if req.Limit != nil {
		if *req.Limit < 1 || *req.Limit > 50 {
			return nil, invalidParam(RuleLimit, "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and 50", *req.Limit)
		}
		limit = *req.Limit
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	resp := describeLogGroupsResponse{LogGroups: []logGroupOut{}}
	for _, name := range s.groupNamesLocked() {
		if req.LogGroupNamePrefix != nil && !strings.HasPrefix(name, *req.LogGroupNamePrefix) {
			continue
		}
		if len(resp.LogGroups) == limit {
			break
		}
		g := s.groups[name]
		out := logGroupOut{LogGroupName: name, CreationTime: g.created, Arn: groupArn(name) + ":*",
			LogGroupArn: groupArn(name), KmsKeyID: g.kmsKeyID, LogGroupClass: g.class}
		if out.LogGroupClass == "" {
			out.LogGroupClass = "STANDARD"
		}
		if g.retention != 0 {
			days := g.retention
			out.RetentionInDays = &days
		}
		resp.LogGroups = append(resp.LogGroups, out)
	}
	return resp, nil
}

// opListTagsForResource answers for a log group's ARN, with or without
// the ":*" DescribeLogGroups's arn ends in.
func (s *Server) opListTagsForResource(req *request, _ *Call) (any, *apiError) {
	arn := ""
	if req.ResourceArn != nil {
		arn = strings.TrimSuffix(*req.ResourceArn, ":*")
	}
	prefix := groupArn("")
	if !strings.HasPrefix(arn, prefix) {
		return nil, invalidParam(RuleValidation, "Invalid resource ARN %q: only log group ARNs are served here", arn)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[strings.TrimPrefix(arn, prefix)]
	if g == nil {
		return nil, errGroupNotFound()
	}
	tags := maps.Clone(g.tags)
	if tags == nil {
		tags = map[string]string{}
	}
	return struct {
		Tags map[string]string `json:"tags"`
	}{tags}, nil
}
