package cwlogtest

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// FaultKind selects how an injected fault answers a call.
type FaultKind int

// Fault kinds. Each answers like the service does for the matching condition.
const (
	// FaultNone answers normally (a Fault with only a Delay adds latency).
	FaultNone FaultKind = iota
	// FaultThrottle answers 400 ThrottlingException "Rate exceeded".
	FaultThrottle
	// FaultInternal answers 500 InternalServerException.
	FaultInternal
	// FaultUnavailable answers 503 ServiceUnavailableException.
	FaultUnavailable
	// FaultDrop closes the connection without writing any response.
	FaultDrop
	// FaultAccessDenied answers 400 AccessDeniedException (missing IAM
	// permission) with the service's message, naming the principal, the
	// action and, when the request names a log group, the resource:
	// "User: arn:aws:iam::123456789012:user/test is not authorized to
	// perform: logs:PutLogEvents on resource:
	// arn:aws:logs:us-east-1:123456789012:log-group:G:log-stream:S because
	// no identity-based policy allows the logs:PutLogEvents action". As the
	// service does, the ARN ends in ":log-stream:" for calls that name no
	// stream.
	FaultAccessDenied
	// FaultUnrecognizedClient answers 400 UnrecognizedClientException "The
	// security token included in the request is invalid.": an access key
	// the service does not know.
	FaultUnrecognizedClient
	// FaultTooLarge answers 413 Request Entity Too Large with nginx's HTML
	// body and no AWS error code, as a proxy with a body size limit in front
	// of the service does; see SetMaxBodyBytes for a limit by size.
	FaultTooLarge
	// FaultNotFound answers 400 ResourceNotFoundException, as for a stream
	// that is missing, whatever the store holds: an endpoint slow to show
	// a stream just created, or one deleting it again.
	FaultNotFound
	// FaultInvalidParameter answers 400 InvalidParameterException, as for
	// a batch the service refuses whole.
	FaultInvalidParameter
	// FaultBadToken answers 400 InvalidSequenceTokenException with an
	// expected token that is never the one sent next: another writer
	// keeps moving the chain on.
	FaultBadToken
	// FaultExpiredToken answers 400 ExpiredTokenException "The security
	// token included in the request is expired": temporary credentials
	// (a session token) past their expiry.
	FaultExpiredToken
	// FaultInvalidSignature answers 400 InvalidSignatureException, as for
	// a known access key signed with the wrong secret.
	FaultInvalidSignature
	// FaultMissingToken answers 400 MissingAuthenticationTokenException
	// "Request is missing Authentication Token", as for a request sent
	// unsigned (a client without credentials).
	FaultMissingToken
)

var faultNames = [...]string{"none", "throttle", "internal", "unavailable", "drop", "access-denied", "unrecognized-client", "too-large", "not-found", "invalid-parameter", "bad-token", "expired-token", "invalid-signature", "missing-token"}

// String returns a short lowercase name such as "throttle".
func (k FaultKind) String() string {
	if k >= 0 && int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "FaultKind(?)"
}

// Fault describes what happens to one call. The zero Fault does nothing.
// A call with both a Delay and a Kind waits, then fails.
type Fault struct {
	// Kind is the failure to answer with; FaultNone answers normally.
	Kind FaultKind
	// Delay is latency added before the call is handled. The wait ends early
	// if the client gives up on the request or the server closes; the call
	// is then recorded with OutcomeCanceled, nothing is stored and no
	// answer is written.
	Delay time.Duration
	// AfterStore handles the call normally (storing a PutLogEvents batch,
	// creating a group or stream) and then answers with Kind instead of
	// the real response: the "stored, but the answer was lost" case that
	// makes clients send duplicates, or, with TokensLegacy, meet
	// DataAlreadyAcceptedException when they retry. It has no effect with
	// FaultNone.
	AfterStore bool
}

// IsZero reports whether f does nothing.
func (f Fault) IsZero() bool { return f == Fault{} }

// AnyOp, as the op of FailNext, SetFault or SetFaultRate, scopes a fault
// to every operation.
const AnyOp = ""

// The operations a Server implements, named as in X-Amz-Target after
// "Logs_20140328." and as recorded in [Call].Op. A call of any other
// operation is answered UnknownOperationException.
const (
	OpCreateLogGroup      = "CreateLogGroup"
	OpCreateLogStream     = "CreateLogStream"
	OpDeleteLogGroup      = "DeleteLogGroup"
	OpDeleteLogStream     = "DeleteLogStream"
	OpPutRetentionPolicy  = "PutRetentionPolicy"
	OpDescribeLogStreams  = "DescribeLogStreams"
	OpPutLogEvents        = "PutLogEvents"
	OpGetLogEvents        = "GetLogEvents"
	OpDescribeLogGroups   = "DescribeLogGroups"
	OpListTagsForResource = "ListTagsForResource"
)

type scripted struct {
	left  int
	fault Fault
}

type rated struct {
	rate  float64
	fault Fault
}

// faults holds every injection source. pick consults them in a fixed order
// so a test can layer a one-off script over a standing rate.
type faults struct {
	mu     sync.Mutex
	seed   uint64
	rng    *rand.Rand
	next   map[string][]scripted
	always map[string]Fault
	rates  map[string]rated
	fn     func(op string, n int) Fault
	counts map[string]int
}

func newFaults(seed int64) *faults {
	f := &faults{seed: uint64(seed)}
	f.clear()
	return f
}

func (f *faults) clear() {
	f.rng = rand.New(rand.NewPCG(f.seed, 0x636c6f7564))
	f.next = map[string][]scripted{}
	f.always = map[string]Fault{}
	f.rates = map[string]rated{}
	f.fn = nil
	f.counts = map[string]int{}
}

// pick returns the fault for the next call of op: FailNext scripts first,
// then the SetFaultFunc function, then SetFault, then SetFaultRate; within
// each, a fault scoped to op wins over one scoped to AnyOp.
func (f *faults) pick(op string) Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[op]++
	n := f.counts[op]
	for _, key := range [2]string{op, AnyOp} {
		if q := f.next[key]; len(q) > 0 {
			out := q[0].fault
			if q[0].left--; q[0].left <= 0 {
				q = q[1:]
			}
			if len(q) == 0 {
				delete(f.next, key)
			} else {
				f.next[key] = q
			}
			return out
		}
	}
	if f.fn != nil {
		if out := f.fn(op, n); !out.IsZero() {
			return out
		}
	}
	for _, key := range [2]string{op, AnyOp} {
		if out, ok := f.always[key]; ok {
			return out
		}
	}
	for _, key := range [2]string{op, AnyOp} {
		if r, ok := f.rates[key]; ok && f.rng.Float64() < r.rate {
			return r.fault
		}
	}
	return Fault{}
}

// FailNext makes the next n calls of op (or of any operation, with AnyOp)
// suffer fault. Scripts queue: FailNext(op, 2, a) then FailNext(op, 1, b)
// gives a, a, b. A script for op comes before one for AnyOp, and any
// script before SetFaultFunc, SetFault and SetFaultRate. Calls refused by
// the SetMaxBodyBytes limit do not use a script up, as they never reach
// the service. It is safe to call while requests are in flight.
func (s *Server) FailNext(op string, n int, fault Fault) {
	if n <= 0 {
		return
	}
	s.faults.mu.Lock()
	s.faults.next[op] = append(s.faults.next[op], scripted{left: n, fault: fault})
	s.faults.mu.Unlock()
}

// SetFault makes every call of op (or of any operation, with AnyOp) suffer
// fault until ClearFaults, or until SetFault is called again for op with the
// zero Fault. It is safe to call while requests are in flight.
func (s *Server) SetFault(op string, fault Fault) {
	s.faults.mu.Lock()
	if fault.IsZero() {
		delete(s.faults.always, op)
	} else {
		s.faults.always[op] = fault
	}
	s.faults.mu.Unlock()
}

// SetFaultRate makes each call of op (or of any operation, with AnyOp)
// suffer fault with probability rate (0..1), drawn from a generator seeded
// by Options.Seed so a run is repeatable. A rate <= 0 removes it.
func (s *Server) SetFaultRate(op string, rate float64, fault Fault) {
	s.faults.mu.Lock()
	if rate <= 0 || fault.IsZero() {
		delete(s.faults.rates, op)
	} else {
		s.faults.rates[op] = rated{rate: rate, fault: fault}
	}
	s.faults.mu.Unlock()
}

// SetFaultFunc installs fn, asked for every call that no FailNext script
// claims; op is the operation and n counts that operation's calls from 1
// (since the last ClearFaults or Reset). fn returning the zero Fault lets
// SetFault and SetFaultRate apply. fn runs under a lock: it must be quick and
// must not call back into the Server. A nil fn removes it.
func (s *Server) SetFaultFunc(fn func(op string, n int) Fault) {
	s.faults.mu.Lock()
	s.faults.fn = fn
	s.faults.mu.Unlock()
}

// ClearFaults removes every injected fault and restarts the per-operation
// call counts and the random generator.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.clear()
	s.faults.mu.Unlock()
}

// faultError is the answer a fault kind gives to call; FaultNone,
// FaultDrop and FaultTooLarge (which is not an AWS error) have none.
func faultError(kind FaultKind, call *Call) *apiError {
	switch kind {
	case FaultThrottle:
		return &apiError{status: http.StatusBadRequest, code: CodeThrottling, message: "Rate exceeded", rule: RuleFault}
	case FaultInternal:
		return &apiError{status: http.StatusInternalServerError, code: CodeInternal, message: "Internal failure. Please try your request again.", rule: RuleFault}
	case FaultUnavailable:
		return &apiError{status: http.StatusServiceUnavailable, code: CodeServiceUnavailable, message: "The server failed to process the request.", rule: RuleFault}
	case FaultAccessDenied:
		return &apiError{status: http.StatusBadRequest, code: CodeAccessDenied, message: accessDenied(call), rule: RuleFault}
	case FaultNotFound:
		return &apiError{status: http.StatusBadRequest, code: CodeResourceNotFound, message: "The specified log stream does not exist.", rule: RuleFault}
	case FaultInvalidParameter:
		return &apiError{status: http.StatusBadRequest, code: CodeInvalidParameter, message: "1 validation error detected", rule: RuleFault}
	case FaultBadToken:
		return &apiError{status: http.StatusBadRequest, code: CodeInvalidSequenceToken, message: "The given sequenceToken is invalid.", rule: RuleFault, expected: "0"}
	case FaultUnrecognizedClient:
		return &apiError{status: http.StatusBadRequest, code: CodeUnrecognizedClient, message: "The security token included in the request is invalid.", rule: RuleFault}
	case FaultExpiredToken:
		return &apiError{status: http.StatusBadRequest, code: CodeExpiredToken, message: "The security token included in the request is expired", rule: RuleFault}
	case FaultInvalidSignature:
		return &apiError{status: http.StatusBadRequest, code: CodeInvalidSignature, message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", rule: RuleFault}
	case FaultMissingToken:
		return &apiError{status: http.StatusBadRequest, code: CodeMissingToken, message: "Request is missing Authentication Token", rule: RuleFault}
	}
	return nil
}

// accessDenied is the service's AccessDeniedException message for call.
func accessDenied(call *Call) string {
	action := "logs:" + call.Op
	msg := "User: arn:aws:iam::" + accountID + ":user/test is not authorized to perform: " + action
	if call.Group != "" {
		msg += " on resource: " + streamARN(call.Group, call.Stream)
	}
	return msg + " because no identity-based policy allows the " + action + " action"
}
