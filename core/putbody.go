package core

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/schemas"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/traits"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// putBody makes a PutLogEvents call write its JSON body straight into one
// buffer: the one the Shipper's send keeps for reuse (see sendBuf), or a new
// one sized for the batch. The SDK's generic serializer grows its buffer
// by doubling up to the batch size, then copies the result, so a full batch
// costs about three times its size in garbage and most of the upload
// worker's CPU, on the cores the application logs from. The body and
// headers are byte for byte what the SDK's awsJson 1.1 protocol sends; any
// other call, protocol or input (one with an Entity) goes to the SDK as is.
func putBody(o *cloudwatchlogs.Options) {
	if o.Protocol == nil {
		return
	}
	if _, ok := o.Protocol.(*putBodyProtocol); ok {
		return
	}
	o.Protocol = &putBodyProtocol{ClientProtocol: o.Protocol}
}

// putBodyProtocol is the client's protocol with PutLogEvents bodies written
// by appendPutBody. Embedding delegates everything else.
type putBodyProtocol struct {
	smithyhttp.ClientProtocol
}

var _ smithyhttp.ClientProtocol = (*putBodyProtocol)(nil)

// awsJSON11 is the only protocol whose wire format appendPutBody writes.
var awsJSON11 = smithy.ShapeID{Namespace: "aws.protocols", Name: "awsJson1_1"}

// The headers the awsJson protocol sets, worked out from the service's
// schema the way the protocol does, once.
var (
	putOperationID = schemas.PutLogEvents.ID()
	putTarget      = schemas.Logs_20140328.Schema.ID().Name + "." + putOperationID.Name
	_, queryCompat = smithy.SchemaTrait[*traits.AWSQueryCompatible](schemas.Logs_20140328.Schema)
)

const putContentType = "application/x-amz-json-1.1"

// SerializeRequest writes a PutLogEvents request as the awsJson 1.1
// protocol would and hands every other request to the wrapped protocol.
func (p *putBodyProtocol) SerializeRequest(ctx context.Context, schema *smithy.OperationSchema, in smithy.Serializable, req *smithyhttp.Request) error {
	put, ok := in.(*cloudwatchlogs.PutLogEventsInput)
	if !ok || put.Entity != nil || schema == nil || schema.ID() != putOperationID ||
		schema.IsInputEventStream() || p.ClientProtocol.ID() != awsJSON11 {
		return p.ClientProtocol.SerializeRequest(ctx, schema, in, req)
	}
	req.Method = http.MethodPost
	if len(req.URL.Path) == 0 {
		req.URL.Path = "/"
	}
	req.Header.Set("X-Amz-Target", putTarget)
	req.Header.Set("Content-Type", putContentType)
	if queryCompat {
		req.Header.Set("X-Amzn-Query-Mode", "true")
	}
	var body []byte
	if buf := bodyBuffer(ctx); buf != nil {
		body = encodePutInto(buf.body, put)
		buf.body = body
	} else {
		body = encodePut(put)
	}
	sreq, err := req.SetStream(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("set stream: %w", err)
	}
	*req = *sreq
	return nil
}

// The JSON keys, in the order the SDK writes the members.
const (
	keyLogEvents     = `"logEvents":`
	keyLogGroupName  = `"logGroupName":`
	keyLogStreamName = `"logStreamName":`
	keySequenceToken = `"sequenceToken":`
	keyMessage       = `"message":`
	keyTimestamp     = `"timestamp":`
)

// encodePut returns the JSON body of in, Entity aside, in a new buffer:
// room for every message as is, a quarter more for escaping, and
// escapeSlack, grown only if escaping needs more.
func encodePut(in *cloudwatchlogs.PutLogEventsInput) []byte {
	return encodePutInto(nil, in)
}

// encodePutInto is encodePut writing into buf when it has the room.
func encodePutInto(buf []byte, in *cloudwatchlogs.PutLogEventsInput) []byte {
	// size is the body's length with every message copied as is: exact
	// unless some need escaping. Messages are escaped in the one pass that
	// writes them, and sized exactly only where the room left might not
	// hold them at their worst.
	size := len("{}")
	members := 0
	if in.LogEvents != nil {
		members++
		size += len(keyLogEvents) + len("[]") + max(len(in.LogEvents)-1, 0)
		// A busy logger's events share their millisecond in runs, so the
		// last timestamp's length is kept rather than counted again.
		var lastTS int64
		lastLen := 0
		for i := range in.LogEvents {
			e := &in.LogEvents[i]
			size += len("{}")
			if e.Message != nil {
				size += len(keyMessage) + len(*e.Message) + 2
			}
			if e.Timestamp != nil {
				if ts := *e.Timestamp; lastLen == 0 || ts != lastTS {
					lastTS, lastLen = ts, intLen(ts)
				}
				size += len(keyTimestamp) + lastLen
				if e.Message != nil {
					size++
				}
			}
		}
	}
	for _, m := range [...]struct {
		key string
		v   *string
	}{{keyLogGroupName, in.LogGroupName}, {keyLogStreamName, in.LogStreamName}, {keySequenceToken, in.SequenceToken}} {
		if m.v != nil {
			members++
			size += len(m.key) + escapedLen(*m.v) + 2
		}
	}
	size += max(members-1, 0)

	b := buf[:0]
	if cap(b) < size+escapeSlack {
		// A quarter more, for the escaping of JSON-shaped messages.
		b = make([]byte, 0, size+size/4+escapeSlack)
	}
	extra := 0 // what escaping has added so far
	b = append(b, '{')
	comma := false
	member := func(key string) {
		if comma {
			b = append(b, ',')
		}
		comma = true
		b = append(b, key...)
	}
	if in.LogEvents != nil {
		member(keyLogEvents)
		b = append(b, '[')
		// digits holds where the last timestamp was written in b, to be
		// copied for the next event of the same millisecond.
		var lastTS int64
		var digits struct{ at, end int }
		for i := range in.LogEvents {
			e := &in.LogEvents[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if e.Message != nil {
				b = append(b, keyMessage...)
				m := *e.Message
				// after is what follows m, as is.
				after := size - (len(b) - extra) - len(m) - 2
				if cap(b) < len(b)+maxEscapedLen(m)+after+escapeSlack {
					if need := len(b) + escapedLen(m) + 2 + after + escapeSlack; cap(b) < need {
						b = append(make([]byte, 0, need+need/4), b...)
					}
				}
				n := putEscaped(b[len(b):cap(b)], m)
				extra += n - len(m) - 2
				b = b[:len(b)+n]
			}
			if e.Timestamp != nil {
				if e.Message != nil {
					b = append(b, ',')
				}
				b = append(b, keyTimestamp...)
				if ts := *e.Timestamp; digits.end != 0 && ts == lastTS {
					b = append(b, b[digits.at:digits.end]...)
				} else {
					lastTS, digits.at = ts, len(b)
					b = strconv.AppendInt(b, ts, 10)
					digits.end = len(b)
				}
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if in.LogGroupName != nil {
		member(keyLogGroupName)
		b = appendEscaped(b, *in.LogGroupName)
	}
	if in.LogStreamName != nil {
		member(keyLogStreamName)
		b = appendEscaped(b, *in.LogStreamName)
	}
	if in.SequenceToken != nil {
		member(keySequenceToken)
		b = appendEscaped(b, *in.SequenceToken)
	}
	return append(b, '}')
}

// intLen is len(strconv.AppendInt(nil, v, 10)).
func intLen(v int64) int {
	n := 1
	u := uint64(v)
	if v < 0 {
		n++
		u = -u
	}
	for ; u >= 10; u /= 10 {
		n++
	}
	return n
}
