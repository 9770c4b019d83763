package core

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// sendBuf is the memory one send reuses for every call it makes, and that
// later sends reuse in turn: the request's event list and the buffer its
// body is written into. Allocating a fresh megabyte body for every batch
// made the upload worker the heaviest allocator in a logging program,
// multiplying its garbage collections and spreading its writes over memory
// the application's own allocations then had to reclaim.
//
// Reusing the body is safe once the call has returned. The SDK's HTTP
// handler sends the body through a wrapper it closes before returning, and
// closing waits for any read in progress and makes every later read end at
// once, even by a transport still writing the request in the background.
type sendBuf struct {
	body   []byte
	events []types.InputLogEvent
}

// maxKeptBody bounds each body a Shipper keeps between sends, so that one
// batch of heavily escaped messages does not pin several megabytes, and
// maxKeptSendBufs how many it keeps: a Shipper with many upload slots
// allocates for the sends beyond them, rather than holding a body per slot
// for good.
const (
	maxKeptBody     = 2 << 20
	maxKeptSendBufs = 4
)

// sendBufKey is the context key under which a call carries its sendBuf to
// the serializer.
type sendBufKey struct{}

// getSendBuf returns a kept sendBuf, or a new one.
func (s *Shipper) getSendBuf() *sendBuf {
	select {
	case b := <-s.sendBufs:
		return b
	default:
		return new(sendBuf)
	}
}

// putSendBuf keeps b for the next send. Its events point into a batch the
// caller is done with, so they are cleared first, letting the batch's
// messages go.
func (s *Shipper) putSendBuf(b *sendBuf) {
	clear(b.events)
	b.events = b.events[:0]
	if cap(b.body) > maxKeptBody {
		b.body = nil
	}
	select {
	case s.sendBufs <- b:
	default:
	}
}

// bodyBuffer returns the buffer a PutLogEvents call made with ctx may write
// its body into, and where to leave it for reuse; nil when the call is not
// a Shipper's.
func bodyBuffer(ctx context.Context) *sendBuf {
	b, _ := ctx.Value(sendBufKey{}).(*sendBuf)
	return b
}
