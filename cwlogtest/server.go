package cwlogtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server. A nil *Options, like the zero Options, means
// all defaults: the real clock, modern (ignored) sequence tokens, the
// service's 1 MiB event limit, events kept.
type Options struct {
	// Clock is the server's time. It decides which events are too old, too
	// new or expired, and stamps Event.IngestionTime, Call.Time and the
	// creation times DescribeLogStreams reports. A fixed clock makes those
	// boundaries exact to the millisecond. Default time.Now.
	Clock func() time.Time
	// Tokens selects how PutLogEvents treats sequence tokens: TokensModern
	// (the default) as AWS does today, TokensLegacy as AWS did before 2023
	// and some compatible services still do.
	Tokens TokenMode
	// Seed seeds the random choices of SetFaultRate, so a run repeats.
	// Default 0, which is a seed like any other.
	Seed int64
	// MaxEventBytes lowers the largest event accepted (message bytes +
	// EventOverhead), to stand in for compatible endpoints that still have
	// the 256 KiB limit AWS had before April 2025. Default, and maximum,
	// the constant MaxEventBytes.
	MaxEventBytes int
	// DiscardEvents validates and counts events without keeping them, for
	// tests and benchmarks that send millions. Events, EventsByTime,
	// Messages and GetLogEvents then see no events; EventCount, Calls,
	// Stats and DescribeLogStreams stay exact. Default false.
	DiscardEvents bool
}

// Server is a CloudWatch Logs endpoint listening on 127.0.0.1, started by
// [Start] or [NewServer]. It keeps its log groups, streams and events in
// memory, records every call it receives, and answers each as the service
// would, or with the fault a test injected. Its methods are safe for
// concurrent use, also while requests are in flight.
type Server struct {
	url    string
	clock  func() time.Time
	legacy bool
	// maxEvent is Options.MaxEventBytes with its default applied.
	maxEvent int
	discard  bool

	listener net.Listener
	http     *http.Server
	serveErr chan error

	mu     sync.Mutex // guards groups and everything reachable from it
	groups map[string]*group

	faults   *faults
	rec      *recorder
	tokenSeq atomic.Uint64
	reqSeq   atomic.Uint64
	// maxBody is the SetMaxBodyBytes limit; 0 means none.
	maxBody atomic.Int64

	// closing aborts injected delays so Close never waits on them.
	closing   chan struct{}
	closeOnce sync.Once
	handlers  sync.WaitGroup
	lifeMu    sync.Mutex // orders handlers.Add against Close's Wait
	closed    bool

	transMu    sync.Mutex
	transports []*http.Transport
}

// NewServer starts a Server on a random port of 127.0.0.1; a nil opts
// means all defaults. The caller must Close it; in a test, [Start] does.
// It fails if opts is invalid or the server cannot listen.
func NewServer(opts *Options) (*Server, error) {
	if opts == nil {
		opts = &Options{}
	}
	if opts.MaxEventBytes < 0 || opts.MaxEventBytes > MaxEventBytes {
		return nil, fmt.Errorf("cwlogtest: Options.MaxEventBytes %d is outside 0..%d", opts.MaxEventBytes, MaxEventBytes)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{
		url:      "http://" + ln.Addr().String(),
		clock:    opts.Clock,
		legacy:   opts.Tokens == TokensLegacy,
		maxEvent: MaxEventBytes,
		discard:  opts.DiscardEvents,
		listener: ln,
		serveErr: make(chan error, 1),
		groups:   map[string]*group{},
		faults:   newFaults(opts.Seed),
		rec:      newRecorder(),
		closing:  make(chan struct{}),
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if opts.MaxEventBytes != 0 {
		s.maxEvent = opts.MaxEventBytes
	}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.serveErr <- s.http.Serve(ln) }()
	return s, nil
}

// URL returns the server's base URL, such as "http://127.0.0.1:41234": the
// BaseEndpoint of an SDK client, the --endpoint-url of the AWS CLI, or the
// value of AWS_ENDPOINT_URL_CLOUDWATCH_LOGS (see [Server.Env]).
func (s *Server) URL() string { return s.url }

// Close stops the server: it ends injected delays, closes the listener and
// every connection, waits for the calls being handled, and closes the idle
// connections of the clients made by Client and HTTPClient, so that no
// goroutine of the server is left running. Requests sent after Close fail.
// What the server stored stays readable. Close may be called more than
// once and always returns nil.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.lifeMu.Lock()
		s.closed = true
		s.lifeMu.Unlock()
		s.http.Close()
		<-s.serveErr // always ErrServerClosed once Close has run
		s.handlers.Wait()
		s.transMu.Lock()
		for _, t := range s.transports {
			t.CloseIdleConnections()
		}
		s.transMu.Unlock()
	})
	return nil
}

func (s *Server) now() time.Time { return s.clock() }

func (s *Server) nowMs() int64 { return s.clock().UnixMilli() }

type opFunc func(s *Server, req *request, call *Call) (any, *apiError)

var operations = map[string]opFunc{
	OpCreateLogGroup:      (*Server).opCreateLogGroup,
	OpCreateLogStream:     (*Server).opCreateLogStream,
	OpDeleteLogGroup:      (*Server).opDeleteLogGroup,
	OpDeleteLogStream:     (*Server).opDeleteLogStream,
	OpPutRetentionPolicy:  (*Server).opPutRetentionPolicy,
	OpDescribeLogStreams:  (*Server).opDescribeLogStreams,
	OpPutLogEvents:        (*Server).opPutLogEvents,
	OpGetLogEvents:        (*Server).opGetLogEvents,
	OpDescribeLogGroups:   (*Server).opDescribeLogGroups,
	OpListTagsForResource: (*Server).opListTagsForResource,
}

// ServeHTTP answers one CloudWatch Logs call (POST, awsJson1.1,
// X-Amz-Target Logs_20140328.<Operation>). Signatures are not checked: any
// credentials, or none, are accepted unless a fault says otherwise.
//
// A Server serves itself on its own listener; ServeHTTP also lets a server
// of the caller's own serve it, such as one made by httptest.NewTLSServer to
// test a client over HTTPS. Client, HTTPClient, URL and Env keep naming the
// Server's own listener.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.lifeMu.Lock()
	if s.closed {
		s.lifeMu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	s.handlers.Add(1)
	s.lifeMu.Unlock()
	defer s.handlers.Done()

	id := s.reqSeq.Add(1)
	// Every path records the call before answering: a client that has its
	// answer must find the call in Calls.
	call := Call{Time: s.now()}

	target := r.Header.Get("X-Amz-Target")
	op, okPrefix := strings.CutPrefix(target, targetPrefix)
	call.Op = op
	// A proxy's body limit applies before the service sees anything.
	if limit := s.maxBody.Load(); limit > 0 {
		over, err := checkBodyLimit(r, limit)
		if err != nil {
			s.answer(w, id, &call, nil, errSerialization(err))
			return
		}
		if over {
			s.tooLarge(w, r, &call)
			return
		}
	}
	handler := operations[op]
	if r.Method != http.MethodPost || !okPrefix || handler == nil {
		s.answer(w, id, &call, nil, &apiError{status: http.StatusBadRequest, code: CodeUnknownOperation, message: "Operation " + target + " is not supported.", rule: RuleOperation})
		return
	}

	req, aerr := readRequest(r)
	if aerr != nil {
		s.answer(w, id, &call, nil, aerr)
		return
	}
	call.Group, call.Stream = req.group(), req.stream()
	call.Events = len(req.LogEvents)
	for i := range req.LogEvents {
		call.Bytes += len(req.LogEvents[i].Message) + EventOverhead
	}
	if req.SequenceToken != nil {
		call.Token, call.HasToken = *req.SequenceToken, true
	}

	fault := s.faults.pick(op)
	call.Fault = fault
	if fault.Delay > 0 && !s.wait(r.Context(), fault.Delay) {
		// Returning normally would send an empty 200, which the SDK
		// takes for success.
		call.Outcome = OutcomeCanceled
		s.rec.add(&call)
		drop(w)
		return
	}
	if fault.Kind != FaultNone && !fault.AfterStore {
		s.fail(w, id, &call, fault.Kind)
		return
	}
	resp, aerr := handler(s, req, &call)
	if fault.Kind != FaultNone {
		s.fail(w, id, &call, fault.Kind)
		return
	}
	s.answer(w, id, &call, resp, aerr)
}

func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.closing:
	}
	return false
}

func (s *Server) answer(w http.ResponseWriter, id uint64, call *Call, resp any, aerr *apiError) {
	if aerr != nil {
		call.Outcome, call.Rule = aerr.code, aerr.rule
		s.rec.add(call)
		writeError(w, id, aerr)
		return
	}
	call.Outcome = OutcomeOK
	s.rec.add(call)
	writeJSON(w, id, resp)
}

// fail answers with an injected fault. Calls stored before an AfterStore
// fault keep their Stored counts, so the record shows what the client missed.
func (s *Server) fail(w http.ResponseWriter, id uint64, call *Call, kind FaultKind) {
	switch kind {
	case FaultDrop:
		call.Outcome, call.Rule = OutcomeDropped, RuleFault
		s.rec.add(call)
		drop(w)
		return
	case FaultTooLarge:
		call.Outcome, call.Rule = OutcomeTooLarge, RuleFault
		s.rec.add(call)
		writeTooLarge(w)
		return
	}
	aerr := faultError(kind, call)
	call.Outcome, call.Rule = aerr.code, aerr.rule
	s.rec.add(call)
	writeError(w, id, aerr)
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	// Without hijacking (HTTP/2), aborting the handler is the closest
	// thing to a dropped connection net/http offers.
	panic(http.ErrAbortHandler)
}
