package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/schemas"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"

	"github.com/cwlog/cwlog/cwlogtest"
)

// wireRequest is a request as it left the client.
type wireRequest struct {
	method, path string
	header       http.Header
	length       int64
	body         []byte
}

// wireRecorder is an HTTP transport that keeps every request and answers
// each with an empty success, so the SDK's whole stack, signing included,
// runs as for a real endpoint.
type wireRecorder struct {
	mu   sync.Mutex
	reqs []wireRequest
}

func (r *wireRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, wireRequest{req.Method, req.URL.Path, req.Header.Clone(), req.ContentLength, body})
	r.mu.Unlock()
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/x-amz-json-1.1"}},
		Body:          io.NopCloser(strings.NewReader("{}")),
		ContentLength: 2,
		Request:       req,
	}, nil
}

func (r *wireRecorder) take() []wireRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	reqs := r.reqs
	r.reqs = nil
	return reqs
}

// recordingClient is a real client whose requests end in a wireRecorder.
func recordingClient() (*cloudwatchlogs.Client, *wireRecorder) {
	rec := &wireRecorder{}
	client := cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://127.0.0.1:9"),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret"}, nil
		}),
		HTTPClient: &http.Client{Transport: rec},
	})
	return client, rec
}

// Headers that differ between any two calls: the time, the call's id and
// the signature over both.
var perCallHeaders = []string{"X-Amz-Date", "Amz-Sdk-Invocation-Id", "Authorization"}

// compareWire fails t unless in went out the same way with and without the
// Shipper's writeBody option: method, path, every header (the Authorization
// header up to its signature, which covers the time) and body, byte for
// byte; and unless the body was the one written into the sendBuf, or, when
// in has an Entity, the SDK's.
func compareWire(t testing.TB, client *cloudwatchlogs.Client, rec *wireRecorder, in *cloudwatchlogs.PutLogEventsInput) {
	t.Helper()
	ctx := context.Background()
	if _, err := client.PutLogEvents(ctx, in, func(o *cloudwatchlogs.Options) { o.RetryMaxAttempts = 1 }, sendPayloadHash); err != nil {
		t.Fatalf("SDK alone: %v", err)
	}
	buf := new(sendBuf)
	if _, err := client.PutLogEvents(ctx, in, func(o *cloudwatchlogs.Options) { o.RetryMaxAttempts = 1 }, sendPayloadHash, buf.writeBody); err != nil {
		t.Fatalf("with writeBody: %v", err)
	}
	reqs := rec.take()
	if len(reqs) != 2 {
		t.Fatalf("%d requests sent, want 2", len(reqs))
	}
	sdk, own := reqs[0], reqs[1]
	if in.Entity != nil && buf.body != nil {
		t.Errorf("body with an Entity written by the Shipper, not the SDK")
	} else if in.Entity == nil && (buf.body == nil || !bytes.Equal(buf.body, own.body)) {
		t.Fatalf("body not written by the Shipper: does the client still speak %s?", awsJSON11)
	}
	if !bytes.Equal(sdk.body, own.body) {
		i := 0
		for i < min(len(sdk.body), len(own.body)) && sdk.body[i] == own.body[i] {
			i++
		}
		t.Fatalf("bodies differ at byte %d of %d/%d:\nSDK: %q\nown: %q", i, len(sdk.body), len(own.body),
			sdk.body[max(i-40, 0):min(i+40, len(sdk.body))], own.body[max(i-40, 0):min(i+40, len(own.body))])
	}
	if sdk.method != own.method || sdk.path != own.path || sdk.length != own.length {
		t.Errorf("request line: SDK %s %s length %d, own %s %s length %d", sdk.method, sdk.path, sdk.length, own.method, own.path, own.length)
	}
	if sdk.header.Get("X-Amz-Target") != "Logs_20140328.PutLogEvents" || sdk.header.Get("Content-Type") != "application/x-amz-json-1.1" {
		t.Errorf("unexpected SDK request headers %v", sdk.header)
	}
	if sum := sha256.Sum256(own.body); own.header.Get("X-Amz-Content-Sha256") != hex.EncodeToString(sum[:]) {
		t.Errorf("signed payload hash %q is not the body's", own.header.Get("X-Amz-Content-Sha256"))
	}
	signed := func(h http.Header) string { a, _, _ := strings.Cut(h.Get("Authorization"), "Signature="); return a }
	if signed(sdk.header) != signed(own.header) {
		t.Errorf("Authorization: SDK %q, own %q", sdk.header.Get("Authorization"), own.header.Get("Authorization"))
	}
	for _, h := range perCallHeaders {
		sdk.header.Del(h)
		own.header.Del(h)
	}
	if !headersEqual(sdk.header, own.header) {
		t.Errorf("headers: SDK %v, own %v", sdk.header, own.header)
	}
}

// sendPayloadHash puts the payload hash the signer computed, which plain
// HTTP requests otherwise carry only inside the signature, in a header.
func sendPayloadHash(o *cloudwatchlogs.Options) {
	o.APIOptions = append(o.APIOptions, v4.AddContentSHA256HeaderMiddleware)
}

var putOperation = smithy.NewOperationSchema(schemas.PutLogEvents, schemas.PutLogEventsRequest, schemas.PutLogEventsResponse)

// serialize has p set up a new request for in, as the client's serialize
// step does, bypassing the client's validation.
func serialize(t testing.TB, p smithyhttp.ClientProtocol, in smithy.Serializable) (*smithyhttp.Request, []byte) {
	t.Helper()
	req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
	if err := p.SerializeRequest(context.Background(), putOperation, in, req); err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(req.GetStream())
	if err != nil {
		t.Fatal(err)
	}
	return req, body
}

func headersEqual(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(b[k], v) {
			return false
		}
	}
	return true
}

func str(s string) *string { return &s }
func num(n int64) *int64   { return &n }

func events(ts int64, msgs ...string) []types.InputLogEvent {
	out := make([]types.InputLogEvent, len(msgs))
	for i := range msgs {
		out[i] = types.InputLogEvent{Message: &msgs[i], Timestamp: num(ts + int64(i))}
	}
	return out
}

// awkward holds strings covering every escaping rule.
var awkward = []string{
	"",
	"plain ascii message",
	`quote " and backslash \ and both \" at once`,
	`""""""""""""""""`,
	`\\\\\\\\\`,
	"new\nline, return\r, tab\t, form feed\f, backspace\b, nul\x00, unit separator\x1f",
	"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
	"del \x7f in ascii, \x7f\x7f\x7f",
	"space ~ and the rest: !#$%&'()*+,-./:;<=>?@[]^_`{|}~",
	"html <script>alert('&amp;')</script> is not escaped",
	"unicode é ß ü 日本語 한국어 emoji 😀🎉 RTL עברית",
	"line separator \u2028 and paragraph separator \u2029 and \u2027\u202a neighbours",
	"\u2028\u2029\u2028\u2029",
	"invalid \xff byte",
	"\xff\xfe\xfd\x80\x81\xc0\xc1\xf5\xf8",
	"truncated \xe2\x80 sequence",
	"truncated at end \xe2\x80",
	"overlong \xc0\xaf and surrogate \xed\xa0\x80 and beyond \xf4\x90\x80\x80",
	"valid U+FFFD \uFFFD kept, invalid \xef\xbf replaced",
	"BOM \ufeff and NBSP \u00a0 and max \U0010FFFF",
	`{"level":"info","ts":1700000000.123,"msg":"request served","path":"/a\\b","status":200}`,
	strings.Repeat("日本", 100),
	strings.Repeat("a\u2028", 50),
	strings.Repeat("z", 1<<16),
}

type wireCase struct {
	name string
	in   *cloudwatchlogs.PutLogEventsInput
}

// wireCases are inputs the client sends.
func wireCases() []wireCase {
	rng := rand.New(rand.NewPCG(1, 2))
	var random []string
	for range 500 {
		b := make([]byte, rng.IntN(300))
		for i := range b {
			switch rng.IntN(4) {
			case 0:
				b[i] = byte(rng.IntN(256))
			case 1:
				b[i] = "\"\\<>&\x7f\n\t"[rng.IntN(8)]
			default:
				b[i] = byte('a' + rng.IntN(26))
			}
		}
		random = append(random, string(b))
	}
	full := make([]string, 4639)
	for i := range full {
		full[i] = strings.Repeat(string(rune('a'+i%26)), 200)
	}
	in := func(es []types.InputLogEvent) *cloudwatchlogs.PutLogEventsInput {
		return &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: es}
	}
	cases := []wireCase{
		{"one event", in(events(1700000000000, "hello"))},
		{"with token", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("app"), LogStreamName: str("s"), SequenceToken: str("49590302030431234567890123456789012345678901234567890"), LogEvents: events(1, "a", "b")}},
		{"empty token", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("app"), LogStreamName: str("s"), SequenceToken: str(""), LogEvents: events(1, "a")}},
		{"awkward names", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("/aws/lambda/x#1._-"), LogStreamName: str("2024/01/01/[$LATEST]abc \"q\" \u2028 \xff"), SequenceToken: str("tok\\en\n"), LogEvents: events(5, "m")}},
		{"no events", in([]types.InputLogEvent{})},
		{"awkward messages", in(events(1700000000000, awkward...))},
		{"random messages", in(events(1700000000000, random...))},
		{"full batch", in(events(1700000000000, full...))},
		{"more than 10000 events", in(events(0, slices.Concat(full, full, full)...))},
		{"one huge event", in(events(1, strings.Repeat("\"é\u2028\x01\xff", 50000)))},
	}
	for _, ts := range []int64{0, -1, 9, 10, -10, 1 << 40, math.MaxInt64, math.MinInt64} {
		cases = append(cases, wireCase{"timestamp " + strconv.FormatInt(ts, 10), in(events(ts, "m"))})
	}
	return cases
}

func TestWireMatchesSDK(t *testing.T) {
	client, rec := recordingClient()
	for _, c := range wireCases() {
		t.Run(c.name, func(t *testing.T) { compareWire(t, client, rec, c.in) })
	}
}

// TestWireKnowsEveryMember fails when the SDK's input gains a member: the
// Shipper's writer would leave it out of the body.
func TestWireKnowsEveryMember(t *testing.T) {
	for typ, written := range map[reflect.Type][]string{
		reflect.TypeFor[cloudwatchlogs.PutLogEventsInput](): {"Entity", "LogEvents", "LogGroupName", "LogStreamName", "SequenceToken"},
		reflect.TypeFor[types.InputLogEvent]():              {"Message", "Timestamp"},
	} {
		var members []string
		for i := range typ.NumField() {
			if f := typ.Field(i); f.IsExported() {
				members = append(members, f.Name)
			}
		}
		if slices.Sort(members); !slices.Equal(members, written) {
			t.Errorf("%v has members %v; encodePut writes %v (Entity by falling back to the SDK)", typ, members, written)
		}
	}
}

func TestAppendStringMatchesSDK(t *testing.T) {
	// Every one- and two-byte string, the awkward ones at every offset
	// of a word, and dense mixes.
	var msgs []string
	for a := range 256 {
		msgs = append(msgs, string([]byte{byte(a)}))
		for b := range 256 {
			msgs = append(msgs, string([]byte{byte(a), byte(b)}))
		}
	}
	for _, s := range awkward[:len(awkward)-1] {
		for pad := range 9 {
			msgs = append(msgs, strings.Repeat("p", pad)+s, s+strings.Repeat("q", pad))
		}
	}
	pieces := []string{"a", "bc", `"`, `\`, "\n", "\x01", "\x7f", "é", "日", "\u2028", "\xff", "\xe2\x80", "😀"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var m strings.Builder
		for range rnd.IntN(40) {
			m.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		msgs = append(msgs, m.String())
	}
	sdk := awsjson.New11(schemas.Logs_20140328)
	for len(msgs) > 0 {
		n := min(len(msgs), 5000)
		in := &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(0, msgs[:n]...)}
		if _, want := serialize(t, sdk, in); !bytes.Equal(encodePut(nil, in), want) {
			for i, m := range msgs[:n] {
				one := &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(int64(i), m)}
				if _, want := serialize(t, sdk, one); !bytes.Equal(encodePut(nil, one), want) {
					t.Fatalf("%q: SDK %q, own %q", m, want, encodePut(nil, one))
				}
			}
			t.Fatal("batch differs though no message does")
		}
		msgs = msgs[n:]
	}
}

// countingProtocol counts the requests it serializes, and may claim
// another protocol's ID.
type countingProtocol struct {
	smithyhttp.ClientProtocol
	id    *smithy.ShapeID
	calls int
}

func (p *countingProtocol) ID() smithy.ShapeID {
	if p.id != nil {
		return *p.id
	}
	return p.ClientProtocol.ID()
}

func (p *countingProtocol) SerializeRequest(ctx context.Context, s *smithy.OperationSchema, in smithy.Serializable, req *smithyhttp.Request) error {
	p.calls++
	return p.ClientProtocol.SerializeRequest(ctx, s, in, req)
}

func TestWireFallsBack(t *testing.T) {
	base := &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(1, "m")}
	withEntity := *base
	// One key per map: the SDK writes maps in Go's random order.
	withEntity.Entity = &types.Entity{KeyAttributes: map[string]string{"Type": "Service"}, Attributes: map[string]string{"a": "b"}}
	json10 := smithy.ShapeID{Namespace: "aws.protocols", Name: "awsJson1_0"}
	for _, c := range []struct {
		name    string
		in      smithy.Serializable
		id      *smithy.ShapeID
		written bool // by the Shipper
	}{
		{"PutLogEvents", base, nil, true},
		{"with entity", &withEntity, nil, false},
		{"other protocol", base, &json10, false},
		{"other input", &cloudwatchlogs.CreateLogGroupInput{LogGroupName: str("g")}, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			inner := &countingProtocol{ClientProtocol: awsjson.New11(schemas.Logs_20140328), id: c.id}
			buf := new(sendBuf)
			_, body := serialize(t, &bodyWriter{inner, buf}, c.in)
			if written := buf.body != nil; written != c.written || inner.calls != 1 {
				t.Errorf("written by the Shipper: %v, want %v; protocol called %d times", written, c.written, inner.calls)
			}
			if c.written && !bytes.Equal(body, buf.body) {
				t.Errorf("sent %q, wrote %q", body, buf.body)
			}
		})
	}
	client, rec := recordingClient()
	compareWire(t, client, rec, &withEntity)
}

// TestEncodePutReuses writes bodies of different sizes into one buffer
// left dirty by the one before: each matches the SDK's, and the buffer is
// reused whenever it has the room.
func TestEncodePutReuses(t *testing.T) {
	in := func(msgs ...string) *cloudwatchlogs.PutLogEventsInput {
		return &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(1, msgs...)}
	}
	big := in(strings.Repeat(`"quoted" `, 500), strings.Repeat("x", 3000))
	small := in(`a "b"`, "c")
	// Control bytes escape to six bytes each, beyond the room planned.
	controls := in("ok", strings.Repeat("\x01\x1f", 1500), "ok")
	var buf []byte
	for i, in := range []*cloudwatchlogs.PutLogEventsInput{big, small, big, small, controls, small} {
		got := encodePut(buf, in)
		if _, want := serialize(t, awsjson.New11(schemas.Logs_20140328), in); !bytes.Equal(got, want) {
			t.Fatalf("body %d: %q, want %q", i, got, want)
		}
		if i > 0 && i != 4 && &got[:1][0] != &buf[:1][0] {
			t.Fatalf("body %d: new buffer though %d bytes were free", i, cap(buf))
		}
		buf = got
	}
}

// TestShipperBodies sends batches of falling and rising sizes, awkward
// messages among them, through one Shipper to the local endpoint, flushing
// after each, so each body is written over the one before, and checks that
// every message is stored as sent.
func TestShipperBodies(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	s, err := New(Config{Client: srv.Client(), LogGroup: "app/wire", LogStream: "one", OnError: func(e error) { t.Error(e) }})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	now := time.Now()
	add := func(m string) {
		if err := s.Add(Event{Time: now.Add(time.Duration(len(want)) * time.Millisecond), Message: m}); err != nil {
			t.Fatal(err)
		}
		want = append(want, sanitize(m))
	}
	for round, n := range []int{2000, 10, 500, 1, 3000} {
		for i := range n {
			add(fmt.Sprintf(`{"round":%d,"i":%d,"pad":"%s"}`, round, i, strings.Repeat("p", (i*7)%300)))
		}
		for _, m := range awkward[1:] {
			add(m)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := s.Flush(ctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages("app/wire", "one"); !slices.Equal(got, want) {
		t.Fatalf("stored %d messages, want %d (or they differ)", len(got), len(want))
	}
}

func FuzzPutBody(f *testing.F) {
	f.Add("hello", "world", int64(1700000000000), "app", "tok", true)
	f.Add(`"\`, "\x00\x7f\u2028\u2029\xff", int64(-1), "/g#x", "", false)
	f.Add("日本語\xe2\x80", "0123456789abcdef\"", int64(math.MinInt64), "g", "\n", true)
	client, rec := recordingClient()
	f.Fuzz(func(t *testing.T, a, b string, ts int64, group, token string, withToken bool) {
		in := &cloudwatchlogs.PutLogEventsInput{
			LogGroupName:  &group,
			LogStreamName: &b,
			LogEvents:     events(ts, a, b, a+b),
		}
		if withToken {
			in.SequenceToken = &token
		}
		compareWire(t, client, rec, in)
	})
}

// BenchmarkPutBody measures serializing a full batch of 200-byte events,
// plain and JSON, by the SDK and by the Shipper's writer, into a new buffer
// each time or, as a Shipper's sends do, into the one left by the last.
func BenchmarkPutBody(b *testing.B) {
	plain := make([]string, 4639)
	jsonish := make([]string, 4639)
	for i := range plain {
		plain[i] = strings.Repeat("x", 200)
		jsonish[i] = `{"level":"info","ts":1700000000.123,"caller":"server/handler.go:42","msg":"request served","method":"GET","path":"/api/v1/items","status":200,"bytes":5120,"elapsed":0.0123,"id":"c0ffee"}`[:180]
	}
	sdk := awsjson.New11(schemas.Logs_20140328)
	for _, set := range []struct {
		name string
		msgs []string
	}{{"plain", plain}, {"json", jsonish}} {
		// A full batch comes from a busy logger: about a thousand events
		// share each millisecond.
		es := events(0, set.msgs...)
		for i := range es {
			es[i].Timestamp = num(1700000000000 + int64(i/1000))
		}
		in := &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: es}
		reused := &bodyWriter{sdk, new(sendBuf)}
		for _, p := range []struct {
			name     string
			protocol func() smithyhttp.ClientProtocol
		}{
			{"sdk", func() smithyhttp.ClientProtocol { return sdk }},
			{"putbody", func() smithyhttp.ClientProtocol { return &bodyWriter{sdk, new(sendBuf)} }},
			{"putbody-reused", func() smithyhttp.ClientProtocol { return reused }},
		} {
			b.Run(set.name+"/"+p.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(encodePut(nil, in))))
				for b.Loop() {
					req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
					if err := p.protocol().SerializeRequest(context.Background(), putOperation, in, req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
