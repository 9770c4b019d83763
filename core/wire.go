package core

import (
	"bytes"
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/cwlog/cwlog/internal/jsonenc"
)

// The Shipper writes its PutLogEvents bodies itself, into memory reused
// from call to call, where the SDK's serializer grows a new buffer for each
// and copies it (BenchmarkPutBody). The body is byte for byte the SDK's,
// as wire_test.go checks; the rest of the request is left to the SDK.

// sendBuf is the memory sends reuse: the request's event list and body.
// The body may be reused once the call returned: the SDK sends it through
// a wrapper it closes before returning, which ends every read, even by a
// transport still writing the request in the background.
type sendBuf struct {
	body   []byte
	events []types.InputLogEvent
}

// A Shipper keeps at most maxKeptSendBufs bodies of maxKeptBody bytes
// between sends, however many upload slots it has.
const (
	maxKeptBody     = 2 << 20
	maxKeptSendBufs = 4
)

func (s *Shipper) getSendBuf() *sendBuf {
	select {
	case b := <-s.sendBufs:
		return b
	default:
		return new(sendBuf)
	}
}

// putSendBuf keeps b, its events cleared to let the messages go.
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

// writeBody is the call option that writes the PutLogEvents body into b.
func (b *sendBuf) writeBody(o *cloudwatchlogs.Options) { o.Protocol = &bodyWriter{o.Protocol, b} }

// bodyWriter is a client's protocol but for PutLogEvents bodies.
type bodyWriter struct {
	smithyhttp.ClientProtocol
	buf *sendBuf
}

// awsJSON11 is the protocol whose body encodePut writes.
var awsJSON11 = smithy.ShapeID{Namespace: "aws.protocols", Name: "awsJson1_1"}

// SerializeRequest has the protocol set up the request as for an empty
// PutLogEvents, then gives it the body of in. Other inputs, one with an
// Entity, and other protocols go to the protocol as they are.
func (w *bodyWriter) SerializeRequest(ctx context.Context, op *smithy.OperationSchema, in smithy.Serializable, req *smithyhttp.Request) error {
	put, ok := in.(*cloudwatchlogs.PutLogEventsInput)
	if !ok || put.Entity != nil || w.ClientProtocol.ID() != awsJSON11 {
		return w.ClientProtocol.SerializeRequest(ctx, op, in, req)
	}
	if err := w.ClientProtocol.SerializeRequest(ctx, op, &cloudwatchlogs.PutLogEventsInput{}, req); err != nil {
		return err
	}
	w.buf.body = encodePut(w.buf.body, put)
	sreq, err := req.SetStream(bytes.NewReader(w.buf.body))
	if err != nil {
		return err
	}
	*req = *sreq
	return nil
}

// encodePut returns the JSON body of in as the SDK writes it, over buf
// when it has the room. in is as send builds it: Entity unset, every other
// member but SequenceToken set.
func encodePut(buf []byte, in *cloudwatchlogs.PutLogEventsInput) []byte {
	// Room for the messages unescaped and a quarter more, so that append
	// seldom has to copy.
	size := 0
	for _, e := range in.LogEvents {
		size += len(*e.Message) + len(`{"message":"","timestamp":1700000000000},`)
	}
	if cap(buf) < size {
		buf = make([]byte, 0, size+size/4)
	}
	b := append(buf[:0], `{"logEvents":[`...)
	for i, e := range in.LogEvents {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(append(b, `{"message":`...), *e.Message)
		b = strconv.AppendInt(append(b, `,"timestamp":`...), *e.Timestamp, 10)
		b = append(b, '}')
	}
	b = appendString(append(b, `],"logGroupName":`...), *in.LogGroupName)
	b = appendString(append(b, `,"logStreamName":`...), *in.LogStreamName)
	if in.SequenceToken != nil {
		b = appendString(append(b, `,"sequenceToken":`...), *in.SequenceToken)
	}
	return append(b, '}')
}

func appendString(b []byte, s string) []byte { return jsonenc.SDK.Append(b, s) }
