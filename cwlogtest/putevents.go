package cwlogtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// TokenMode selects how PutLogEvents treats sequence tokens
// ([Options].Tokens).
type TokenMode int

const (
	// TokensModern ignores sequenceToken, as AWS has since January 2023:
	// any token or none is accepted, calls on one stream may run in
	// parallel, and a batch sent twice is stored twice. Each answer still
	// carries a nextSequenceToken.
	TokensModern TokenMode = iota
	// TokensLegacy chains tokens as AWS did before 2023 and some
	// CloudWatch-compatible services still do: each PutLogEvents must send
	// the nextSequenceToken of the stream's previous one (none for a new
	// stream), or is refused with InvalidSequenceTokenException carrying
	// the expected token. Sending the last accepted batch again with the
	// token it was sent with answers DataAlreadyAcceptedException, also
	// carrying the expected token, and stores nothing. DescribeLogStreams
	// reports the expected token as uploadSequenceToken.
	TokensLegacy
)

func (s *Server) nextToken() string {
	// Real tokens are 56 decimal digits; the shape matters to clients that
	// log or compare them, not the value.
	n := strconv.FormatUint(s.tokenSeq.Add(1), 10)
	return strings.Repeat("4", 56-len(n)) + n
}

func (s *Server) opPutLogEvents(req *request, call *Call) (any, *apiError) {
	if err := validateGroupName(req.LogGroupName); err != nil {
		return nil, err
	}
	if err := validateStreamName(req.LogStreamName); err != nil {
		return nil, err
	}
	if req.SequenceToken != nil && *req.SequenceToken == "" {
		return nil, invalidParam(RuleToken, "1 validation error detected: Value '' at 'sequenceToken' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	events := req.LogEvents
	if err := checkBatch(events, s.maxEvent); err != nil {
		return nil, err
	}
	sent := ""
	if req.SequenceToken != nil {
		sent = *req.SequenceToken
	}
	now := s.now()
	nowMs := now.UnixMilli()
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[*req.LogGroupName]
	if g == nil {
		return nil, errGroupNotFound()
	}
	st := g.streams[*req.LogStreamName]
	if st == nil {
		return nil, errStreamNotFound()
	}
	w := classify(events, now, g.retention)
	if err := checkSpan(events, w); err != nil {
		return nil, err
	}
	if s.legacy && sent != st.token {
		if st.hasLast && sent == st.lastToken && slices.Equal(events, st.lastBatch) {
			return nil, &apiError{status: http.StatusBadRequest, code: CodeDataAlreadyAccepted, rule: RuleToken,
				message:  "The given batch of log events has already been accepted. The next batch can be sent with sequenceToken: " + st.token,
				expected: st.token}
		}
		shown := st.token
		if shown == "" {
			shown = "null"
		}
		return nil, &apiError{status: http.StatusBadRequest, code: CodeInvalidSequenceToken, rule: RuleToken,
			message:  "The given sequenceToken is invalid. The next expected sequenceToken is: " + shown,
			expected: st.token}
	}

	accepted := events[w.start:w.tooNewStart]
	var bytes int64
	for _, e := range accepted {
		bytes += int64(len(e.Message))
		if !s.discard {
			st.events = append(st.events, Event{Timestamp: e.Timestamp, Message: e.Message, IngestionTime: nowMs})
		}
	}
	if len(accepted) > 0 {
		if st.count == 0 || accepted[0].Timestamp < st.first {
			st.first = accepted[0].Timestamp
		}
		if st.count == 0 || accepted[len(accepted)-1].Timestamp > st.last {
			st.last = accepted[len(accepted)-1].Timestamp
		}
		st.count += len(accepted)
		st.lastIngest = nowMs
	}
	call.Stored = len(accepted)
	call.TooOld, call.Expired, call.TooNew = w.counts(len(events))
	call.StoredBytes = bytes

	resp := putLogEventsResponse{NextSequenceToken: s.nextToken(), RejectedLogEventsInfo: w.info(len(events))}
	if s.legacy {
		// The decoded slice belongs to this request alone, so keeping it
		// costs nothing and makes duplicate detection exact.
		st.lastBatch, st.lastToken, st.hasLast = events, sent, true
		st.token = resp.NextSequenceToken
	}
	return resp, nil
}
