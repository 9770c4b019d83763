package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/schemas"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"

	"github.com/cwlog/cwlog/internal/testutil"
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

// compareWire fails t unless put went out the same way with and without
// putBody: method, path, every header (the Authorization header up to its
// signature, which covers the time) and body, byte for byte.
func compareWire(t testing.TB, client *cloudwatchlogs.Client, rec *wireRecorder, in *cloudwatchlogs.PutLogEventsInput) {
	t.Helper()
	ctx := context.Background()
	if _, err := client.PutLogEvents(ctx, in, oneAttempt, sendPayloadHash); err != nil {
		t.Fatalf("SDK alone: %v", err)
	}
	if _, err := client.PutLogEvents(ctx, in, oneAttempt, sendPayloadHash, putBody); err != nil {
		t.Fatalf("with putBody: %v", err)
	}
	reqs := rec.take()
	if len(reqs) != 2 {
		t.Fatalf("%d requests sent, want 2", len(reqs))
	}
	sdk, own := reqs[0], reqs[1]
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
	for _, h := range []string{"X-Amz-Target", "Content-Type", "Content-Length", "X-Amz-Content-Sha256"} {
		if own.header.Get(h) != sdk.header.Get(h) {
			t.Errorf("%s: SDK %q, own %q", h, sdk.header.Get(h), own.header.Get(h))
		}
	}
	if sdk.header.Get("X-Amz-Target") != "Logs_20140328.PutLogEvents" {
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
	for h, v := range sdk.header {
		if !slices.Equal(own.header[h], v) {
			t.Errorf("header %s: SDK %q, own %q", h, v, own.header[h])
		}
	}
	for h, v := range own.header {
		if sdk.header[h] == nil {
			t.Errorf("header %s %q only with putBody", h, v)
		}
	}
}

// sendPayloadHash puts the payload hash the signer computed, which plain
// HTTP requests otherwise carry only inside the signature, in a header.
func sendPayloadHash(o *cloudwatchlogs.Options) {
	o.APIOptions = append(o.APIOptions, v4.AddContentSHA256HeaderMiddleware)
}

// sdkProtocol serializes in with p into a fresh request, as the client's
// serialize step does, bypassing the client's validation.
func sdkProtocol(t testing.TB, p smithyhttp.ClientProtocol, in smithy.Serializable) (*smithyhttp.Request, []byte) {
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

var putOperation = smithy.NewOperationSchema(schemas.PutLogEvents, schemas.PutLogEventsRequest, schemas.PutLogEventsResponse)

// compareEncoding fails t unless encodePut writes what the SDK's protocol
// writes for in, into a buffer of exactly that size, and unless putBody's
// protocol sends the same request: this covers inputs the client's
// validation would refuse before serializing, such as missing fields.
func compareEncoding(t testing.TB, in *cloudwatchlogs.PutLogEventsInput) {
	t.Helper()
	sdk := awsjson.New11(schemas.Logs_20140328)
	sreq, want := sdkProtocol(t, sdk, in)
	got := encodePut(in)
	if !bytes.Equal(got, want) {
		t.Fatalf("encodePut differs from the SDK:\nSDK: %q\nown: %q", want, got)
	}
	// Room for the slack, and at most a quarter more than the body.
	if c, n := cap(got), len(got); c < n+escapeSlack || c > n+n/4+2*escapeSlack {
		t.Errorf("buffer sized %d for %d bytes and %d of slack", c, n, escapeSlack)
	}
	oreq, body := sdkProtocol(t, &putBodyProtocol{sdk}, in)
	if !bytes.Equal(body, want) {
		t.Fatalf("protocol body differs from the SDK:\nSDK: %q\nown: %q", want, body)
	}
	if oreq.Method != sreq.Method || oreq.URL.Path != sreq.URL.Path || oreq.ContentLength != sreq.ContentLength ||
		!headersEqual(oreq.Header, sreq.Header) {
		t.Errorf("request differs: SDK %s %s %d %v, own %s %s %d %v", sreq.Method, sreq.URL.Path, sreq.ContentLength, sreq.Header,
			oreq.Method, oreq.URL.Path, oreq.ContentLength, oreq.Header)
	}
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

// awkward holds strings covering every escaping rule, in and across 8-byte
// words.
var awkward = []string{
	"",
	"plain ascii message",
	"exactly8",
	`quote " and backslash \ and both \" at once`,
	`""""""""""""""""`,
	`\\\\\\\\\`,
	"new\nline, return\r, tab\t, form feed\f, backspace\b, nul\x00, unit separator\x1f",
	"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f",
	"del \x7f in ascii, \x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f",
	"space ~ and the rest: !#$%&'()*+,-./:;<=>?@[]^_`{|}~",
	"html <script>alert('&amp;')</script> is not escaped",
	"unicode é ß ü 日本語 한국어 emoji 😀🎉 RTL עברית",
	"line separator \u2028 and paragraph separator \u2029 and \u2027\u202a neighbours",
	"\u2028\u2029\u2028\u2029\u2028\u2029",
	"invalid \xff byte",
	"\xff\xfe\xfd\x80\x81\xc0\xc1\xf5\xf8",
	"truncated \xe2\x80 sequence",
	"truncated at end \xe2\x80",
	"overlong \xc0\xaf and surrogate \xed\xa0\x80 and beyond \xf4\x90\x80\x80",
	"valid U+FFFD \uFFFD kept, invalid \xef\xbf replaced",
	"BOM \ufeff and NBSP \u00a0 and max \U0010FFFF",
	`{"level":"info","ts":1700000000.123,"msg":"request served","path":"/a\\b","status":200}`,
	strings.Repeat("x", 7) + "\"" + strings.Repeat("y", 9) + "\x01" + strings.Repeat("z", 15) + "é",
	strings.Repeat("日本", 100),
	strings.Repeat("a\u2028", 50),
	strings.Repeat("z", 1<<16),
}

// repeatedTimes returns events whose timestamps repeat and alternate, as a
// busy logger's events share their millisecond; with gaps, every fifth is
// followed by one without a timestamp.
func repeatedTimes(gaps bool) []types.InputLogEvent {
	var es []types.InputLogEvent
	for i, ts := range []int64{1700000000000, 1700000000000, 1700000000000, 1700000000001, 1700000000001, 1700000000000, -1, -1, 0, 0, 7, math.MaxInt64, math.MaxInt64, math.MinInt64, math.MinInt64} {
		es = append(es, types.InputLogEvent{Message: str(strconv.Itoa(i)), Timestamp: num(ts)})
		if gaps && i%5 == 4 {
			es = append(es, types.InputLogEvent{Message: str("no time")})
		}
	}
	return es
}

func awkwardCases() []struct {
	name string
	in   *cloudwatchlogs.PutLogEventsInput
} {
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
	type tc = struct {
		name string
		in   *cloudwatchlogs.PutLogEventsInput
	}
	cases := []tc{
		{"one event", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("app"), LogStreamName: str("s"), LogEvents: events(1700000000000, "hello")}},
		{"with token", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("app"), LogStreamName: str("s"), SequenceToken: str("49590302030431234567890123456789012345678901234567890"), LogEvents: events(1, "a", "b")}},
		{"empty token", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("app"), LogStreamName: str("s"), SequenceToken: str(""), LogEvents: events(1, "a")}},
		{"awkward names", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("/aws/lambda/x#1._-"), LogStreamName: str("2024/01/01/[$LATEST]abc \"q\" \u2028 \xff"), SequenceToken: str("tok\\en\n"), LogEvents: events(5, "m")}},
		{"awkward messages", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(1700000000000, awkward...)}},
		{"random messages", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(1700000000000, random...)}},
		{"full batch", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(1700000000000, full...)}},
		{"more than 10000 events", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(0, append(append(full, full...), full...)...)}},
		{"one huge event", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(1, strings.Repeat("\"é\u2028\x01\xff", 50000))}},
	}
	cases = append(cases, tc{"repeated timestamps", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: repeatedTimes(false)}})
	for _, ts := range []int64{0, -1, 1, 9, 10, 99, 100, -9, -10, -11, 1 << 40, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, math.MaxInt64 - 1, 999999999999999999, 1000000000000000000} {
		cases = append(cases, tc{"timestamp " + strconv.FormatInt(ts, 10), &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(ts, "m")}})
	}
	return cases
}

func TestPutBodyMatchesSDKOnTheWire(t *testing.T) {
	client, rec := recordingClient()
	for _, c := range awkwardCases() {
		t.Run(c.name, func(t *testing.T) { compareWire(t, client, rec, c.in) })
	}
}

func TestEncodePutMatchesSDK(t *testing.T) { withEscapers(t, testEncodePutMatchesSDK) }

func testEncodePutMatchesSDK(t *testing.T) {
	cases := awkwardCases()
	// Shapes the client's validation refuses, which the encoder must still
	// write as the SDK does, should anything call it with them.
	ev := func(m *string, ts *int64) []types.InputLogEvent {
		return []types.InputLogEvent{{Message: m, Timestamp: ts}}
	}
	for _, c := range []struct {
		name string
		in   *cloudwatchlogs.PutLogEventsInput
	}{
		{"nothing", &cloudwatchlogs.PutLogEventsInput{}},
		{"empty events", &cloudwatchlogs.PutLogEventsInput{LogEvents: []types.InputLogEvent{}}},
		{"events only", &cloudwatchlogs.PutLogEventsInput{LogEvents: events(1, "a", "b")}},
		{"token only", &cloudwatchlogs.PutLogEventsInput{SequenceToken: str("t")}},
		{"stream only", &cloudwatchlogs.PutLogEventsInput{LogStreamName: str("s")}},
		{"group and token", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), SequenceToken: str("t")}},
		{"empty strings", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str(""), LogStreamName: str(""), SequenceToken: str(""), LogEvents: events(0, "")}},
		{"event without message", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogEvents: ev(nil, num(7))}},
		{"event without time", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogEvents: ev(str("m\""), nil)}},
		{"empty event", &cloudwatchlogs.PutLogEventsInput{LogEvents: append(ev(nil, nil), events(3, "x")...)}},
		{"repeated timestamps, some missing", &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogEvents: repeatedTimes(true)}},
	} {
		cases = append(cases, c)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { compareEncoding(t, c.in) })
	}
}

func TestEscapedString(t *testing.T) { withEscapers(t, testEscapedString) }

func testEscapedString(t *testing.T) {
	// Every one- and two-byte string, and each at every offset of a word,
	// against the SDK's own escaping.
	sdk := awsjson.New11(schemas.Logs_20140328)
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
	// Dense mixes, so that words hold several quotes, quotes beside
	// bytes needing more, and characters crossing word edges.
	pieces := []string{"a", "bc", `"`, `\`, "\n", "\x01", "\x7f", "é", "日", "\u2028", "\xff", "\xe2\x80", "😀"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var m strings.Builder
		for range rnd.IntN(40) {
			m.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		msgs = append(msgs, m.String())
	}
	for len(msgs) > 0 {
		n := min(len(msgs), 5000)
		in := &cloudwatchlogs.PutLogEventsInput{LogEvents: events(0, msgs[:n]...)}
		_, want := sdkProtocol(t, sdk, in)
		if got := encodePut(in); !bytes.Equal(got, want) {
			for i, m := range msgs[:n] {
				one := &cloudwatchlogs.PutLogEventsInput{LogEvents: events(int64(i), m)}
				if _, want := sdkProtocol(t, sdk, one); !bytes.Equal(encodePut(one), want) {
					t.Fatalf("%q: SDK %q, own %q", m, want, encodePut(one))
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

func TestPutBodyDelegates(t *testing.T) {
	base := &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"), LogEvents: events(1, "m")}
	withEntity := *base
	// One key per map: the SDK writes maps in Go's random order.
	withEntity.Entity = &types.Entity{KeyAttributes: map[string]string{"Type": "Service"}, Attributes: map[string]string{"a": "b"}}
	json10 := smithy.ShapeID{Namespace: "aws.protocols", Name: "awsJson1_0"}
	for _, c := range []struct {
		name string
		in   smithy.Serializable
		id   *smithy.ShapeID
		want int // calls reaching the wrapped protocol
	}{
		{"PutLogEvents", base, nil, 0},
		{"with entity", &withEntity, nil, 1},
		{"other protocol", base, &json10, 1},
		{"other input", &cloudwatchlogs.CreateLogGroupInput{LogGroupName: str("g")}, nil, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			inner := &countingProtocol{ClientProtocol: awsjson.New11(schemas.Logs_20140328), id: c.id}
			req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
			if err := (&putBodyProtocol{inner}).SerializeRequest(context.Background(), putOperation, c.in, req); err != nil {
				t.Fatal(err)
			}
			if inner.calls != c.want {
				t.Errorf("wrapped protocol called %d times, want %d", inner.calls, c.want)
			}
		})
	}

	// Through the client, an input with an entity and the other
	// operations go out exactly as without the option.
	client, rec := recordingClient()
	compareWire(t, client, rec, &withEntity)
	for _, withOpt := range []bool{false, true} {
		opts := []func(*cloudwatchlogs.Options){oneAttempt}
		if withOpt {
			opts = append(opts, putBody)
		}
		if _, err := client.CreateLogStream(context.Background(), &cloudwatchlogs.CreateLogStreamInput{LogGroupName: str("g"), LogStreamName: str("s")}, opts...); err != nil {
			t.Fatal(err)
		}
	}
	reqs := rec.take()
	if len(reqs) != 2 || !bytes.Equal(reqs[0].body, reqs[1].body) || reqs[0].header.Get("X-Amz-Target") != reqs[1].header.Get("X-Amz-Target") {
		t.Fatalf("CreateLogStream differs with the option: %+v", reqs)
	}

	// Applying the option twice wraps once; no protocol, nothing to wrap.
	o := cloudwatchlogs.Options{Protocol: awsjson.New11(schemas.Logs_20140328)}
	putBody(&o)
	putBody(&o)
	if p, ok := o.Protocol.(*putBodyProtocol); !ok || p.ClientProtocol == nil {
		t.Fatalf("Protocol %T", o.Protocol)
	} else if _, twice := p.ClientProtocol.(*putBodyProtocol); twice {
		t.Fatal("wrapped twice")
	}
	var empty cloudwatchlogs.Options
	putBody(&empty)
	if empty.Protocol != nil {
		t.Fatal("wrapped a nil protocol")
	}
}

// TestPutBodyShipper sends awkward events through a Shipper whose client
// has the option, to the local endpoint, creating the group and stream on
// the way, and reads them back.
func TestPutBodyShipper(t *testing.T) {
	srv := testutil.Start(t, nil)
	var errs []error
	var mu sync.Mutex
	s, err := New(Config{
		Client:        srv.Client(putBody),
		LogGroup:      "app/putbody",
		LogStream:     "one",
		FlushInterval: 10 * time.Millisecond,
		MinBackoff:    time.Millisecond,
		MaxBackoff:    10 * time.Millisecond,
		OnError:       func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var want []string
	for i, m := range awkward {
		if m == "" {
			continue
		}
		e := Event{Time: now.Add(time.Duration(i-len(awkward)) * time.Millisecond), Message: m}
		if err := s.Add(e); err != nil {
			t.Fatal(err)
		}
		want = append(want, sanitize(m))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(errs) > 0 {
		t.Errorf("OnError: %v", errors.Join(errs...))
	}
	got := srv.Messages("app/putbody", "one")
	if !slices.Equal(got, want) {
		t.Fatalf("stored %d messages, want %d", len(got), len(want))
	}
	for _, m := range got {
		if !utf8.ValidString(m) {
			t.Errorf("stored invalid UTF-8 %q", m)
		}
	}
	if st := s.Stats(); st.Delivered != uint64(len(want)) {
		t.Fatalf("stats %+v", st)
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
		// The first two events share a timestamp.
		in.LogEvents[1].Timestamp = in.LogEvents[0].Timestamp
		if withToken {
			in.SequenceToken = &token
		}
		eachEscaper(func(bool) { compareEncoding(t, in) })
		compareWire(t, client, rec, in)
	})
}

// BenchmarkPutBody measures serializing a full batch of 200-byte events,
// plain and JSON, by the SDK and by putBody's protocol, into a new buffer
// each time or, as a Shipper's sends do, into the one left by the last.
func BenchmarkPutBody(b *testing.B) {
	plain := make([]string, 4639)
	jsonish := make([]string, 4639)
	for i := range plain {
		plain[i] = strings.Repeat("x", 200)
		jsonish[i] = `{"level":"info","ts":1700000000.123,"caller":"server/handler.go:42","msg":"request served","method":"GET","path":"/api/v1/items","status":200,"bytes":5120,"elapsed":0.0123,"id":"c0ffee"}`[:180]
	}
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
		for _, p := range []struct {
			name  string
			p     smithyhttp.ClientProtocol
			reuse bool // as a Shipper's send calls it, with a buffer to reuse
		}{
			{"sdk", awsjson.New11(schemas.Logs_20140328), false},
			{"putbody", &putBodyProtocol{awsjson.New11(schemas.Logs_20140328)}, false},
			{"putbody-reused", &putBodyProtocol{awsjson.New11(schemas.Logs_20140328)}, true},
		} {
			b.Run(set.name+"/"+p.name, func(b *testing.B) {
				ctx := context.Background()
				if p.reuse {
					ctx = context.WithValue(ctx, sendBufKey{}, new(sendBuf))
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(encodePut(in))))
				for b.Loop() {
					req := smithyhttp.NewStackRequest().(*smithyhttp.Request)
					if err := p.p.SerializeRequest(ctx, putOperation, in, req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestEncodePutIntoReuses writes bodies of different sizes into one
// buffer left dirty by the one before: each matches a fresh encoding, and
// the buffer is reused whenever it has the room.
func TestEncodePutIntoReuses(t *testing.T) {
	big := &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"),
		LogEvents: events(1, strings.Repeat(`"quoted" `, 500), strings.Repeat("x", 3000))}
	small := &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"),
		LogEvents: events(2, `a "b"`, "c")}
	// Control bytes escape to six bytes each: far beyond the room planned,
	// so the buffer must grow mid-batch.
	controls := &cloudwatchlogs.PutLogEventsInput{LogGroupName: str("g"), LogStreamName: str("s"),
		LogEvents: events(3, "ok", strings.Repeat("\x01\x1f", 1500), "ok")}
	var buf []byte
	for i, in := range []*cloudwatchlogs.PutLogEventsInput{big, small, big, small, controls, small} {
		got := encodePutInto(buf, in)
		_, want := sdkProtocol(t, awsjson.New11(schemas.Logs_20140328), in)
		if !bytes.Equal(got, want) {
			t.Fatalf("body %d: %q, want %q", i, got, want)
		}
		if i > 0 && i != 4 && &got[:1][0] != &buf[:1][0] {
			t.Fatalf("body %d: new buffer though %d bytes were free", i, cap(buf))
		}
		buf = got
	}
}

// TestShipperReusesBodies sends batches of falling and rising sizes
// through one Shipper, flushing after each, so each body is written over
// the one before, and checks that every message arrives as sent.
func TestShipperReusesBodies(t *testing.T) {
	srv := testutil.Start(t, nil)
	s, err := New(Config{Client: srv.Client(), LogGroup: "app/reuse", LogStream: "one", OnError: func(e error) { t.Error(e) }})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	now := time.Now()
	for round, n := range []int{2000, 10, 500, 1, 3000} {
		for i := range n {
			m := fmt.Sprintf(`{"round":%d,"i":%d,"pad":"%s"}`, round, i, strings.Repeat("p", (i*7)%300))
			want = append(want, m)
			if err := s.Add(Event{Time: now.Add(time.Duration(len(want)) * time.Millisecond), Message: m}); err != nil {
				t.Fatal(err)
			}
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
	if got := srv.Messages("app/reuse", "one"); !slices.Equal(got, want) {
		t.Fatalf("stored %d messages, want %d (or they differ)", len(got), len(want))
	}
}
