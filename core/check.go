package core

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cwlog/cwlog/internal/numtext"
)

// Check answers, once, whether events can flow to the Shipper's log group
// and stream, and if not, why not and what to do. Call it when the
// program starts, with a deadline; see the example.
//
// A nil error proves the region, the credentials, the permission to call
// logs:PutLogEvents on the stream, and that the group and stream exist.
// Check proves it with one call, the one the Shipper makes: a
// PutLogEvents of one event dated 1970-01-01, which CloudWatch rejects as
// older than 14 days and does not store. That event is not an added
// event: Stats do not count it, nor anything else Check does. (An endpoint
// that does not apply the 14-day rule stores it.)
//
// When the group or stream is missing and the Config lets the Shipper
// create it, Check creates it as the Shipper would, and probes again: 3
// calls in all for a stream, 4 for a group and its stream (5 with
// RetentionDays). Only then does it need logs:CreateLogStream,
// logs:CreateLogGroup (and logs:PutRetentionPolicy); with the group and
// stream in place, logs:PutLogEvents is all Check needs, as it is all the
// Shipper needs.
//
// For a *cloudwatchlogs.Client, Check first looks at the client's own
// configuration, without a call: a region, and credentials that can be
// retrieved. With no BaseEndpoint, a client without credentials (nil, or
// aws.AnonymousCredentials) fails there; with a BaseEndpoint, the
// endpoint decides whether it takes unsigned requests.
//
// A failure that will not end by itself returns at once as a *SetupError
// naming the cause and the fix: no region, no credentials, credentials
// refused or expired, access denied, a group or stream missing that
// SkipCreateGroup or SkipCreateStream forbids creating. Failures that may
// pass (throttling, service faults, the network) are retried, waiting as
// the Shipper does (MinBackoff doubling to MaxBackoff), until ctx ends;
// Check then returns an error naming the last of them, a *SetupError
// ("endpoint unreachable") when the endpoint never answered. Without a
// deadline or cancellation, ctx lets Check wait as long as they last.
//
// Each call is bounded by CallTimeout and ctx, and logs through the SDK
// logger of SetSDKLogger. Check is safe for concurrent use, also while
// events flow. On endpoints that chain sequence tokens (not AWS since
// 2023), its call moves the chain on, and the Shipper's next upload is
// resent once with the new token.
func (s *Shipper) Check(ctx context.Context) error {
	// The SDK hands ctx to the logger of SetSDKLogger; marked as the
	// Shipper's own, the adapters never make a call wait for room.
	ctx = context.WithValue(ctx, internalKey{}, true)
	if err := s.checkClient(ctx); err != nil {
		return err
	}
	c := &checkRun{s: s, start: time.Now()}
	return c.run(ctx)
}

// The calls Check makes.
const (
	opPut    = "PutLogEvents"
	opGroup  = "CreateLogGroup"
	opStream = "CreateLogStream"
)

// probeMessage is the message of Check's event, for whoever sees it on the
// wire or on an endpoint that stores it.
const probeMessage = "cwlog startup check (older than 14 days: CloudWatch rejects it and stores nothing)"

// checkClient checks a *cloudwatchlogs.Client's region and credentials,
// which the SDK would otherwise report only as it calls, or not at all:
// a client without credentials sends its requests unsigned.
func (s *Shipper) checkClient(ctx context.Context) error {
	o, ok := s.clientOptions()
	switch {
	case !ok:
		return nil
	case o.Region == "" && o.BaseEndpoint == nil:
		return &SetupError{Op: opPut, Cause: causeNoRegion, Fix: fixNoRegion}
	case o.Credentials == nil && o.BaseEndpoint == nil:
		return &SetupError{Op: opPut, Cause: causeUnsigned, Fix: fixUnsigned}
	case o.Credentials == nil:
		return nil
	}
	if _, err := o.Credentials.Retrieve(ctx); err != nil {
		return &SetupError{Op: opPut, Cause: causeNoCredentials, Fix: fixNoCredentials, Err: err}
	}
	return nil
}

// checkRun is the state of one Check.
type checkRun struct {
	s      *Shipper
	start  time.Time
	calls  int    // calls made
	fails  int    // in a row, of failures that may pass
	last   error  // the last failure that may pass, or the call ctx cut short
	lastOp string // its call
	group  bool   // this Check created the group
	stream bool   // this Check created the stream
}

// run probes, creating what is missing when allowed, until the probe
// passes, a failure will not pass, or ctx ends.
func (c *checkRun) run(ctx context.Context) error {
	op := opPut
	for {
		if ctx.Err() != nil {
			return c.gaveUp(ctx)
		}
		err := c.call(ctx, op)
		if err != nil && ctx.Err() != nil && canceled(err) {
			if c.last == nil {
				c.last, c.lastOp = err, op
			}
			return c.gaveUp(ctx)
		}
		next, done, err := c.after(op, err)
		if done {
			return err
		}
		if err != nil {
			c.fails++
			c.last, c.lastOp = err, op
			sleep(ctx, c.s.backoff(c.fails))
		} else {
			c.fails = 0
		}
		op = next
	}
}

// call makes one call, bounded by CallTimeout and ctx. Groups and streams
// that exist already count as created.
func (c *checkRun) call(ctx context.Context, op string) error {
	s := c.s
	c.calls++
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	switch op {
	case opGroup:
		_, err := s.createGroup(ctx)
		return err
	case opStream:
		_, err := s.createStream(ctx)
		return err
	}
	_, err := s.cfg.Client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{
		LogGroupName:  &s.cfg.LogGroup,
		LogStreamName: &s.cfg.LogStream,
		LogEvents:     []types.InputLogEvent{{Message: aws.String(probeMessage), Timestamp: aws.Int64(0)}},
	}, s.callOptions)
	return err
}

// after decides what follows call op that returned err: the next call,
// or done with Check's result. A failure that may pass is returned with
// done false, to wait before the next call.
func (c *checkRun) after(op string, err error) (next string, done bool, _ error) {
	if err == nil {
		switch op {
		case opGroup:
			c.group = true
			if c.s.cfg.SkipCreateStream {
				return opPut, false, nil // which finds the stream missing
			}
			return opStream, false, nil
		case opStream:
			c.stream = true
			return opPut, false, nil
		}
		return "", true, nil // rejected or not, the probe got through
	}
	switch classify(err) {
	case badToken, alreadyTaken:
		return "", true, nil // a legacy endpoint checked the token: it got through
	case notFound:
		return c.missing(op, err)
	case invalidBatch:
		why := ""
		if op == opPut {
			why = "; it may refuse an event older than 14 days instead of rejecting it alone"
		}
		return "", true, fmt.Errorf("cwlog: the endpoint refused Check's %s as invalid%s: %w", op, why, err)
	}
	if setup := c.s.diagnose(op, err); setup != nil {
		return "", true, setup
	}
	return op, false, err
}

// missing decides what follows a ResourceNotFoundException: create what is
// missing when allowed and not done yet, else a *SetupError. What this
// Check created and the endpoint does not show yet is waited for.
func (c *checkRun) missing(op string, err error) (next string, done bool, _ error) {
	s := c.s
	group := op == opStream || groupMissing(err)
	switch {
	case op == opGroup, group && c.group, !group && c.stream:
		return op, false, err
	case group && s.cfg.SkipCreateGroup:
		return "", true, s.missing(true, err)
	case group:
		return opGroup, false, nil
	case s.cfg.SkipCreateStream:
		return "", true, s.missing(false, err)
	}
	return opStream, false, nil
}

// gaveUp is Check's result when ctx ended first: the last failure, as an
// unreachable endpoint when it never answered.
func (c *checkRun) gaveUp(ctx context.Context) error {
	took := time.Since(c.start).Round(time.Millisecond)
	switch {
	case c.last == nil:
		return fmt.Errorf("cwlog: Check made no call before its context ended: %w", ctx.Err())
	case noAnswer(c.last):
		return c.s.unreachable(c.lastOp, c.last, c.calls, took)
	}
	return fmt.Errorf("cwlog: Check gave up after %s in %v, as its context ended (%w); the last, %s, failed with an error that may pass by itself: %w",
		numtext.Count(uint64(c.calls), "call", "calls"), took, ctx.Err(), c.lastOp, callError(c.last))
}

// canceled reports whether err is a call's end by its context.
func canceled(err error) bool {
	var ce *smithy.CanceledError
	return errors.As(err, &ce) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// noAnswer reports whether err is a call that got no answer at all: it
// could not connect, or its time ran out.
func noAnswer(err error) bool {
	var se *smithyhttp.RequestSendError
	return errors.As(err, &se) || canceled(err)
}

// unreachable is the *SetupError for an endpoint that never answered.
func (s *Shipper) unreachable(op string, err error, calls int, took time.Duration) *SetupError {
	where := s.endpointURL(err)
	region, _ := s.clientRegion()
	if region == "" {
		region = "<region>"
	}
	cause := fmt.Sprintf("endpoint unreachable: no answer from %s (%s in %v)", where, numtext.Count(uint64(calls), "call", "calls"), took)
	fix := "check the network path from this host to it: DNS, firewall rules and security groups, " +
		"in a private subnet a NAT gateway or a VPC interface endpoint for CloudWatch Logs (com.amazonaws." + region + ".logs), " +
		"HTTPS_PROXY and NO_PROXY for a proxy; or point the client at a reachable endpoint with AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		cause = fmt.Sprintf("endpoint unreachable: the host name of %s does not resolve", where)
		if o, ok := s.clientOptions(); ok && o.BaseEndpoint == nil {
			fix = fmt.Sprintf("check that region %q exists (a misspelt region gives a host that does not resolve); if it does, ", o.Region) + fix
		}
	}
	return &SetupError{Op: op, Cause: cause, Fix: fix, Err: err}
}

// endpointURL is the URL a call went to: the one err names, else the one
// the Client resolves to.
func (s *Shipper) endpointURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.URL
	}
	o, ok := s.clientOptions()
	switch {
	case !ok:
		return "the endpoint"
	case o.BaseEndpoint != nil:
		return *o.BaseEndpoint
	case o.EndpointResolverV2 != nil:
		p := cloudwatchlogs.EndpointParameters{
			Region:       aws.String(o.Region),
			UseFIPS:      aws.Bool(o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
			UseDualStack: aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
		}
		if ep, err := o.EndpointResolverV2.ResolveEndpoint(context.Background(), p); err == nil {
			return ep.URI.String()
		}
	}
	return "the CloudWatch Logs endpoint of region " + o.Region
}

// callError is err without the wrappers the SDK adds to every failed call
// (the operation's name, and "exceeded maximum number of attempts, 1" for
// the SDK retries the Shipper turns off), for an error that says itself
// what was called.
func callError(err error) error {
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	var me *retry.MaxAttemptsError
	if errors.As(err, &me) {
		err = me.Err
	}
	return err
}
