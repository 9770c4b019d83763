package cwlogtest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// targetPrefix is the X-Amz-Target service prefix of CloudWatch Logs.
const targetPrefix = "Logs_20140328."

// maxRequestBytes bounds a request body. The service's own limit is about
// 1 MiB of events plus JSON overhead; the slack keeps escaped messages legal
// while still refusing a runaway client.
const maxRequestBytes = 16 << 20

// Error codes a Server answers with, as sent in __type and
// X-Amzn-ErrorType. They are the ErrorCode() of the smithy.APIError the SDK
// returns, and what [Call].Outcome records for a refused call.
const (
	CodeInvalidParameter      = "InvalidParameterException"           // a call that breaks a rule; see Rule
	CodeResourceNotFound      = "ResourceNotFoundException"           // no such log group or stream
	CodeResourceAlreadyExists = "ResourceAlreadyExistsException"      // CreateLogGroup or CreateLogStream of one that exists
	CodeInvalidSequenceToken  = "InvalidSequenceTokenException"       // TokensLegacy: the wrong sequenceToken
	CodeDataAlreadyAccepted   = "DataAlreadyAcceptedException"        // TokensLegacy: the last batch sent again
	CodeThrottling            = "ThrottlingException"                 // FaultThrottle
	CodeInternal              = "InternalServerException"             // FaultInternal
	CodeServiceUnavailable    = "ServiceUnavailableException"         // FaultUnavailable
	CodeAccessDenied          = "AccessDeniedException"               // FaultAccessDenied
	CodeUnrecognizedClient    = "UnrecognizedClientException"         // FaultUnrecognizedClient
	CodeExpiredToken          = "ExpiredTokenException"               // FaultExpiredToken
	CodeInvalidSignature      = "InvalidSignatureException"           // FaultInvalidSignature
	CodeMissingToken          = "MissingAuthenticationTokenException" // FaultMissingToken
	CodeUnknownOperation      = "UnknownOperationException"           // an operation the server does not implement
	CodeSerialization         = "SerializationException"              // a body that is not valid JSON (or gzip)
)

// apiError is an error answer: status, code and message as the service
// sends them, plus the Rule recorded for the call.
type apiError struct {
	status  int
	code    string
	message string
	rule    Rule
	// expected is the expectedSequenceToken member of token errors; empty
	// means the stream has no token yet, which the service sends as null.
	expected string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func invalidParam(rule Rule, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: CodeInvalidParameter, message: fmt.Sprintf(format, args...), rule: rule}
}

func errGroupNotFound() *apiError {
	return &apiError{status: http.StatusBadRequest, code: CodeResourceNotFound, message: "The specified log group does not exist.", rule: RuleNotFound}
}

func errStreamNotFound() *apiError {
	return &apiError{status: http.StatusBadRequest, code: CodeResourceNotFound, message: "The specified log stream does not exist.", rule: RuleNotFound}
}

func errSerialization(err error) *apiError {
	return &apiError{status: http.StatusBadRequest, code: CodeSerialization, message: err.Error(), rule: RuleValidation}
}

// request is the union of the members of every supported operation. One
// shape keeps decoding to a single pass and lets faults record the group and
// stream of a call they pre-empt.
type request struct {
	LogGroupName        *string      `json:"logGroupName"`
	LogGroupIdentifier  *string      `json:"logGroupIdentifier"`
	LogStreamName       *string      `json:"logStreamName"`
	LogStreamNamePrefix *string      `json:"logStreamNamePrefix"`
	LogEvents           []inputEvent `json:"logEvents"`
	SequenceToken       *string      `json:"sequenceToken"`
	RetentionInDays     *int         `json:"retentionInDays"`
	Limit               *int         `json:"limit"`
	NextToken           *string      `json:"nextToken"`
	StartTime           *int64       `json:"startTime"`
	EndTime             *int64       `json:"endTime"`
	StartFromHead       *bool        `json:"startFromHead"`
	OrderBy             *string      `json:"orderBy"`
	Descending          *bool        `json:"descending"`

	KmsKeyID           *string           `json:"kmsKeyId"`
	LogGroupClass      *string           `json:"logGroupClass"`
	Tags               map[string]string `json:"tags"`
	LogGroupNamePrefix *string           `json:"logGroupNamePrefix"`
	ResourceArn        *string           `json:"resourceArn"`
}

// group returns logGroupName, falling back to logGroupIdentifier (a name or
// an ARN) which the read operations accept instead.
func (r *request) group() string {
	if r.LogGroupName != nil {
		return *r.LogGroupName
	}
	if r.LogGroupIdentifier != nil {
		id := *r.LogGroupIdentifier
		if i := strings.Index(id, ":log-group:"); i >= 0 {
			id = strings.TrimSuffix(id[i+len(":log-group:"):], ":*")
		}
		return id
	}
	return ""
}

// logGroup returns the log group of an operation that accepts either
// logGroupName or logGroupIdentifier, validated. As the service does, it
// refuses a request that carries both.
func (r *request) logGroup() (string, *apiError) {
	if r.LogGroupName != nil && r.LogGroupIdentifier != nil {
		return "", invalidParam(RuleValidation, "LogGroup name and LogGroup identifier are mutually exclusive parameters.")
	}
	name := r.group()
	if err := validateGroupName(&name); err != nil {
		return "", err
	}
	return name, nil
}

func (r *request) stream() string {
	if r.LogStreamName == nil {
		return ""
	}
	return *r.LogStreamName
}

// inputEvent is one element of logEvents. A missing message decodes as ""
// and fails the min-length rule, which is how the service treats it too.
type inputEvent struct {
	Timestamp int64  `json:"timestamp"`
	Message   string `json:"message"`
}

type rejectedInfo struct {
	TooNewLogEventStartIndex *int `json:"tooNewLogEventStartIndex,omitempty"`
	TooOldLogEventEndIndex   *int `json:"tooOldLogEventEndIndex,omitempty"`
	ExpiredLogEventEndIndex  *int `json:"expiredLogEventEndIndex,omitempty"`
}

type putLogEventsResponse struct {
	NextSequenceToken     string        `json:"nextSequenceToken,omitempty"`
	RejectedLogEventsInfo *rejectedInfo `json:"rejectedLogEventsInfo,omitempty"`
}

type outputEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

type getLogEventsResponse struct {
	Events            []outputEvent `json:"events"`
	NextForwardToken  string        `json:"nextForwardToken"`
	NextBackwardToken string        `json:"nextBackwardToken"`
}

type logStreamOut struct {
	LogStreamName       string `json:"logStreamName"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp *int64 `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  *int64 `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   *int64 `json:"lastIngestionTime,omitempty"`
	UploadSequenceToken string `json:"uploadSequenceToken,omitempty"`
	Arn                 string `json:"arn"`
	// StoredBytes is always 0, as the service reports it for streams.
	StoredBytes int64 `json:"storedBytes"`
}

type describeLogStreamsResponse struct {
	LogStreams []logStreamOut `json:"logStreams"`
	NextToken  string         `json:"nextToken,omitempty"`
}

type errorBody struct {
	Type                  string `json:"__type"`
	Message               string `json:"message"`
	ExpectedSequenceToken string `json:"expectedSequenceToken,omitempty"`
}

// readRequest reads r's body, gunzipped if the client compressed it, and
// decodes it. An empty body is a request with no members.
func readRequest(r *http.Request) (*request, *apiError) {
	body := r.Body
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, errSerialization(err)
		}
		defer zr.Close()
		body = zr
	}
	b, err := io.ReadAll(io.LimitReader(body, maxRequestBytes+1))
	if err == nil && len(b) > maxRequestBytes {
		err = fmt.Errorf("request body larger than %d bytes", maxRequestBytes)
	}
	if err != nil {
		return nil, errSerialization(err)
	}
	req := new(request)
	if len(bytes.TrimSpace(b)) == 0 {
		return req, nil
	}
	if err := json.Unmarshal(b, req); err != nil {
		return nil, errSerialization(err)
	}
	return req, nil
}

func setCommonHeaders(w http.ResponseWriter, requestID uint64) {
	h := w.Header()
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("X-Amzn-Requestid", "00000000-0000-4000-8000-"+fmt.Sprintf("%012x", requestID))
}

func writeJSON(w http.ResponseWriter, requestID uint64, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, requestID, &apiError{status: http.StatusInternalServerError, code: CodeInternal, message: err.Error()})
		return
	}
	setCommonHeaders(w, requestID)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func writeError(w http.ResponseWriter, requestID uint64, e *apiError) {
	b, _ := json.Marshal(errorBody{Type: e.code, Message: e.message, ExpectedSequenceToken: e.expected})
	setCommonHeaders(w, requestID)
	w.Header().Set("X-Amzn-Errortype", e.code)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(e.status)
	w.Write(b)
}
