package core

import (
	"bytes"
	"context"
	"strconv"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The Shipper writes the JSON body of its PutLogEvents calls itself, into
// memory it reuses from call to call; the SDK's serializer builds each body
// in a new buffer grown by doubling, then copies it (BenchmarkPutBody shows
// the cost). The body is byte for byte the SDK's, which wire_test.go checks
// through the client, and the rest of the request is left to the SDK.

// sendBuf is the memory one send reuses for every call it makes, and that
// later sends reuse in turn: the request's event list and its body.
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

// writeBody is the option for a PutLogEvents call that has its body
// written into b.body.
func (b *sendBuf) writeBody(o *cloudwatchlogs.Options) { o.Protocol = &bodyWriter{o.Protocol, b} }

// bodyWriter is a client's protocol with PutLogEvents bodies written into
// buf; embedding delegates everything else.
type bodyWriter struct {
	smithyhttp.ClientProtocol
	buf *sendBuf
}

// awsJSON11 is the protocol whose body encodePut writes.
var awsJSON11 = smithy.ShapeID{Namespace: "aws.protocols", Name: "awsJson1_1"}

// SerializeRequest has the protocol set up the request as for a
// PutLogEvents without members, then gives it the body of in. Other inputs,
// one with an Entity, and other protocols go to the protocol as they are.
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

// encodePut returns the JSON body of in as the SDK writes it, written over
// buf when it has the room. in is as send builds it: every member set but
// SequenceToken, which may be, and Entity, which is not.
func encodePut(buf []byte, in *cloudwatchlogs.PutLogEventsInput) []byte {
	// Room for the body with each message as it is, and a quarter more
	// for escaping, so that append seldom has to copy it.
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

// plain marks the bytes appendString copies as they are: ASCII from the
// space to '~', but for '"' and '\'.
var plain = func() (t [256]bool) {
	for c := ' '; c <= '~'; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString appends s to b as a JSON string, escaped as the SDK does:
// '"' and '\' get a backslash; \n, \r and \t their short escapes; every
// other byte below 0x20, and DEL, \u00xx in lower-case hex; U+2028 and
// U+2029 \u2028 and \u2029; each byte that is not part of valid UTF-8 the
// three bytes of U+FFFD; everything else, '/', '<', '>' and '&' included,
// as is.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0 // s[start:i] is copied as is
	for i := 0; i < len(s); {
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(append(b, s[start:i]...), string(utf8.RuneError)...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	return append(append(b, s[start:]...), '"')
}
