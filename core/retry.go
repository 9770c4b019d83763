package core

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// errorClass is what to do after a failed call.
type errorClass int

const (
	retryLater   errorClass = iota // throttling, faults, network: back off and resend
	badToken                       // InvalidSequenceToken: resend with the expected token
	alreadyTaken                   // DataAlreadyAccepted: the batch is stored
	notFound                       // group or stream missing: create, resend
	invalidBatch                   // the service refuses the batch itself
	tooLarge                       // HTTP 413: a proxy's body limit; cut smaller batches
)

// classify sorts an API error. Anything unknown is retried: giving up on a
// batch that might still succeed loses logs; retrying costs only time.
func classify(err error) errorClass {
	// A proxy answers 413 with a page of its own, not an AWS error.
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusRequestEntityTooLarge {
		return tooLarge
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return retryLater
	}
	switch ae.ErrorCode() {
	case "InvalidSequenceTokenException":
		return badToken
	case "DataAlreadyAcceptedException":
		return alreadyTaken
	case "ResourceNotFoundException":
		return notFound
	case "InvalidParameterException":
		return invalidBatch
	}
	return retryLater
}

// backoff is the wait before retry number attempt (1-based): exponential
// from MinBackoff, capped at MaxBackoff, with half of it jittered so that
// Shippers throttled together do not retry together.
func (s *Shipper) backoff(attempt int) time.Duration {
	return jittered(s.cfg.MinBackoff, s.cfg.MaxBackoff, attempt)
}

// setupBackoff is the wait before retry number attempt in a row of a
// failure that will not end by itself: from MaxBackoff, doubling up to six
// times it (a minute by default), so that a fix is picked up soon after it
// is made while a Shipper failing for hours costs a call a minute.
func (s *Shipper) setupBackoff(attempt int) time.Duration {
	return jittered(s.cfg.MaxBackoff, 6*s.cfg.MaxBackoff, attempt)
}

// jittered doubles from, attempt-1 times, up to limit, and jitters the
// upper half.
func jittered(from, limit time.Duration, attempt int) time.Duration {
	d := from
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
