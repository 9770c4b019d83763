package core

import (
	"bytes"
	"context"
	"fmt"
	"math/bits"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/schemas"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/traits"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// putBody makes a PutLogEvents call write its JSON body straight into one
// buffer of the exact size. The SDK's generic serializer grows its buffer
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
	sreq, err := req.SetStream(bytes.NewReader(encodePut(put)))
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

// encodePut returns the JSON body of in, Entity aside, in a buffer
// allocated once at its exact size. The buffer is not reused: the HTTP
// transport may still read a request body after the call has returned.
func encodePut(in *cloudwatchlogs.PutLogEventsInput) []byte {
	// Messages are scanned once to size them; those that need no escaping,
	// nearly all, are then copied without a second scan.
	var stack [(maxBatchEvents + 63) / 64]uint64
	verbatim := stack[:]
	if n := (len(in.LogEvents) + 63) / 64; n > len(verbatim) {
		verbatim = make([]uint64, n)
	}

	size := len("{}")
	members := 0
	if in.LogEvents != nil {
		members++
		size += len(keyLogEvents) + len("[]") + max(len(in.LogEvents)-1, 0)
		for i := range in.LogEvents {
			e := &in.LogEvents[i]
			size += len("{}")
			if e.Message != nil {
				n := escapedLen(*e.Message)
				if n == len(*e.Message) {
					verbatim[i/64] |= 1 << (i % 64)
				}
				size += len(keyMessage) + n + 2
			}
			if e.Timestamp != nil {
				size += len(keyTimestamp) + intLen(*e.Timestamp)
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

	b := make([]byte, 0, size)
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
		for i := range in.LogEvents {
			e := &in.LogEvents[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if e.Message != nil {
				b = append(b, keyMessage...)
				if verbatim[i/64]&(1<<(i%64)) != 0 {
					b = append(b, '"')
					b = append(b, *e.Message...)
					b = append(b, '"')
				} else {
					b = appendEscaped(b, *e.Message)
				}
			}
			if e.Timestamp != nil {
				if e.Message != nil {
					b = append(b, ',')
				}
				b = append(b, keyTimestamp...)
				b = strconv.AppendInt(b, *e.Timestamp, 10)
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

// The SDK's JSON string escaping, which appendEscaped and escapedLen
// reproduce: '"' and '\' get a backslash; \n, \r and \t their short
// escapes; every other byte below 0x20, and DEL, \u00xx in lower-case hex;
// U+2028 and U+2029 \u2028 and \u2029; each byte that is not part of valid
// UTF-8 the three bytes of U+FFFD; everything else, '/', '<', '>' and '&'
// included, as is.

// asciiExtra is how many bytes escaping adds to each ASCII byte.
var asciiExtra = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			t[c] = 1
		case c < 0x20 || c == 0x7f:
			t[c] = 5
		}
	}
	return t
}()

const (
	lanes01 = 0x0101010101010101
	lanes7f = 0x7f7f7f7f7f7f7f7f
	lanes80 = 0x8080808080808080
)

// load64 reads s[i:i+8] as a little-endian word, so byte i+k is lane k;
// the compiler makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// eqMask sets the high bit of exactly the lanes of w that equal c. Unlike
// the usual has-zero trick it has no false positives, so it can be counted.
func eqMask(w uint64, c byte) uint64 {
	x := w ^ lanes01*uint64(c)
	return ^((x&lanes7f + lanes7f) | x) & lanes80
}

// wordMasks classifies the eight bytes of w. quote marks '"' and '\';
// other marks everything else that is not copied as is: bytes of multi-byte
// UTF-8, bytes below 0x20 and DEL.
func wordMasks(w uint64) (quote, other uint64) {
	below20 := ^(w&lanes7f + lanes01*(0x80-0x20)) & lanes80
	quote = eqMask(w, '"') | eqMask(w, '\\')
	other = w&lanes80 | below20 | eqMask(w, 0x7f)
	return quote, other
}

// escapedLen is the length of s escaped, without its quotes.
func escapedLen(s string) int {
	n := len(s)
	i := 0
	for i < len(s) {
		if i+8 <= len(s) {
			quote, other := wordMasks(load64(s, i))
			if other == 0 {
				n += bits.OnesCount64(quote)
				i += 8
				continue
			}
			k := bits.TrailingZeros64(other) &^ 7
			n += bits.OnesCount64(quote & (1<<k - 1))
			i += k >> 3
		}
		c := s[i]
		if c < utf8.RuneSelf {
			n += int(asciiExtra[c])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			n += len(string(utf8.RuneError)) - 1
		case r == '\u2028' || r == '\u2029':
			n += len(`\u2028`) - size
		}
		i += size
	}
	return n
}

const hexDigits = "0123456789abcdef"

// appendEscaped appends s to b as a JSON string, escaped as the SDK does.
func appendEscaped(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] is to be copied as is
	i := 0
	for i < len(s) {
		if i+8 <= len(s) {
			quote, other := wordMasks(load64(s, i))
			m := quote | other
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiExtra[c] == 0 {
				i++
				continue
			}
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
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = utf8.AppendRune(b, utf8.RuneError)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
