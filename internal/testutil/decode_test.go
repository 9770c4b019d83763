package testutil

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/cwlog/cwlog/internal/jsonstr"
)

// decodeCases are bodies on which the hand-written decoder must agree with
// encoding/json. They double as the fuzz seed corpus.
var decodeCases = []struct{ name, body string }{
	{"put", `{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1,"message":"a"},{"timestamp":2,"message":"b"}]}`},
	{"put with token", `{"logEvents":[{"message":"m","timestamp":1700000000000}],"logGroupName":"g","logStreamName":"s","sequenceToken":"4444"}`},
	{"every member", `{"logGroupName":"g","logGroupIdentifier":"arn:aws:logs:us-east-1:1:log-group:g:*","logStreamName":"s","logStreamNamePrefix":"p","sequenceToken":"t","retentionInDays":7,"limit":50,"nextToken":"d/3","startTime":-5,"endTime":9223372036854775807,"startFromHead":true,"orderBy":"LastEventTime","descending":false}`},
	{"empty object", `{}`},
	{"null body", `null`},
	{"null body with space", " \t\r\n null \n"},
	{"empty", ``},
	{"only space", "  \n"},
	{"whitespace everywhere", " \t\r\n{ \"logGroupName\" \n:\t\"g\" , \"logEvents\" : [ { \"timestamp\" : 1 , \"message\" : \"m\" } , null ] } \r\n"},
	{"nulls", `{"logGroupName":null,"logStreamName":null,"logEvents":null,"sequenceToken":null,"limit":null,"startTime":null,"startFromHead":null}`},
	{"null replaces earlier value", `{"logGroupName":"g","logGroupName":null,"limit":3,"limit":null,"descending":true,"descending":null}`},
	{"null event members keep earlier values", `{"logEvents":[{"timestamp":5,"message":"m","timestamp":null,"message":null}]}`},
	{"null elements", `{"logEvents":[null,{"message":"x"},null]}`},
	{"empty events", `{"logEvents":[]}`},
	{"empty strings", `{"logGroupName":"","logStreamName":"","logEvents":[{"timestamp":0,"message":""}]}`},
	{"missing members", `{"logEvents":[{},{"timestamp":3},{"message":"only"}]}`},
	{"escapes", `{"logEvents":[{"timestamp":1,"message":"q\" b\\ s\/ \b\f\n\r\t end"}]}`},
	{"unicode escapes", `{"logEvents":[{"timestamp":1,"message":"\u0041\u00e9\u20AC\uFFFD\u0000"}]}`},
	{"surrogate pair", `{"logEvents":[{"timestamp":1,"message":"\ud83d\ude00 \uD834\uDD1E"}]}`},
	{"lone high surrogate", `{"logEvents":[{"timestamp":1,"message":"a\ud83db"}]}`},
	{"lone low surrogate", `{"logEvents":[{"timestamp":1,"message":"\ude00"}]}`},
	{"high surrogate then escape", `{"logEvents":[{"timestamp":1,"message":"\ud83d\u0041"}]}`},
	{"two high surrogates", `{"logEvents":[{"timestamp":1,"message":"\ud83d\ud83d\ude00"}]}`},
	{"high surrogate then newline escape", `{"logEvents":[{"timestamp":1,"message":"\ud83d\n"}]}`},
	{"surrogate at end", `{"logEvents":[{"timestamp":1,"message":"\ud83d"}]}`},
	{"raw unicode", `{"logEvents":[{"timestamp":1,"message":"héllo wörld ✓ 😀 日本語"}]}`},
	{"invalid utf8", "{\"logEvents\":[{\"timestamp\":1,\"message\":\"a\xffb\xc3(\xed\xa0\x80z\xf0\x9f\x98\"}]}"},
	{"invalid utf8 after escape", "{\"logEvents\":[{\"timestamp\":1,\"message\":\"\\n\xff\xfe\"}]}"},
	{"invalid utf8 in names", "{\"logGroupName\":\"g\xff\",\"logStreamName\":\"\xc0\xaf\"}"},
	{"long plain message", `{"logEvents":[{"timestamp":1,"message":"` + strings.Repeat("abcdefgh", 40) + `"}]}`},
	{"long message with late escape", `{"logEvents":[{"timestamp":1,"message":"` + strings.Repeat("abcdefg", 20) + `\t"}]}`},
	{"control character", "{\"logEvents\":[{\"timestamp\":1,\"message\":\"a\x01b\"}]}"},
	{"raw newline", "{\"logGroupName\":\"a\nb\"}"},
	{"bad escape", `{"logGroupName":"a\xb"}`},
	{"single quote escape", `{"logGroupName":"a\'b"}`},
	{"short unicode escape", `{"logGroupName":"\u12"}`},
	{"bad hex", `{"logGroupName":"\u12G4"}`},
	{"bad hex after surrogate", `{"logGroupName":"\ud83d\uZZZZ"}`},
	{"unterminated string", `{"logGroupName":"abc`},
	{"unterminated escape", `{"logGroupName":"abc\`},
	{"negative timestamp", `{"logEvents":[{"timestamp":-1,"message":"m"}]}`},
	{"repeated timestamps", `{"logEvents":[{"timestamp":1700000000000,"message":"a"},{"timestamp":1700000000000,"message":"b"},{"message":"c","timestamp":1700000000000},{"timestamp":1700000000001,"message":"d"},{"timestamp":1700000000001}]}`},
	{"repeated timestamp then longer", `{"logEvents":[{"timestamp":1700000000000,"message":"a"},{"timestamp":17000000000001,"message":"b"},{"timestamp":170000000000,"message":"c"}]}`},
	{"repeated timestamp then space", "{\"logEvents\":[{\"timestamp\":1700000000000,\"message\":\"a\"},{\"timestamp\":1700000000000 ,\"message\":\"b\"},{\"timestamp\":1700000000000\n}]}"},
	{"repeated timestamp then fraction", `{"logEvents":[{"timestamp":1700000000000,"message":"a"},{"timestamp":1700000000000.5,"message":"b"}]}`},
	{"repeated timestamp then exponent", `{"logEvents":[{"timestamp":1700000000000,"message":"a"},{"timestamp":1700000000000e0,"message":"b"}]}`},
	{"repeated timestamp then negative", `{"logEvents":[{"timestamp":1700000000000,"message":"a"},{"timestamp":-1700000000000,"message":"b"},{"timestamp":-1700000000000}]}`},
	{"repeated timestamp at end of body", `{"logEvents":[{"timestamp":17},{"timestamp":17`},
	{"negative zero", `{"logEvents":[{"timestamp":-0,"message":"m"}]}`},
	{"max int64", `{"logEvents":[{"timestamp":9223372036854775807,"message":"m"}]}`},
	{"min int64", `{"logEvents":[{"timestamp":-9223372036854775808,"message":"m"}]}`},
	{"int64 overflow", `{"logEvents":[{"timestamp":9223372036854775808,"message":"m"}]}`},
	{"int64 underflow", `{"logEvents":[{"timestamp":-9223372036854775809,"message":"m"}]}`},
	{"18 digits", `{"logEvents":[{"timestamp":999999999999999999,"message":"m"},{"timestamp":-999999999999999999,"message":"m"}]}`},
	{"19 digits", `{"logEvents":[{"timestamp":1000000000000000000,"message":"m"},{"timestamp":-1000000000000000000,"message":"m"}]}`},
	{"20 digits", `{"logEvents":[{"timestamp":10000000000000000000,"message":"m"}]}`},
	{"digits after a fraction", `{"logEvents":[{"timestamp":1700000000000.5,"message":"m"}]}`},
	{"huge number", `{"logEvents":[{"timestamp":123456789012345678901234567890,"message":"m"}]}`},
	{"fraction", `{"logEvents":[{"timestamp":1.5,"message":"m"}]}`},
	{"integral fraction", `{"logEvents":[{"timestamp":1.0,"message":"m"}]}`},
	{"exponent", `{"logEvents":[{"timestamp":1e3,"message":"m"}]}`},
	{"leading zero", `{"logEvents":[{"timestamp":01,"message":"m"}]}`},
	{"plus sign", `{"logEvents":[{"timestamp":+1,"message":"m"}]}`},
	{"lone minus", `{"logEvents":[{"timestamp":-,"message":"m"}]}`},
	{"dot without digits", `{"limit":1.}`},
	{"exponent without digits", `{"limit":1e}`},
	{"limit overflow", `{"limit":99999999999999999999}`},
	{"quoted number", `{"logEvents":[{"timestamp":"1","message":"m"}]}`},
	{"number message", `{"logEvents":[{"timestamp":1,"message":5}]}`},
	{"object message", `{"logEvents":[{"timestamp":1,"message":{}}]}`},
	{"bool name", `{"logGroupName":true}`},
	{"string bool", `{"startFromHead":"true"}`},
	{"number bool", `{"descending":1}`},
	{"events object", `{"logEvents":{"timestamp":1}}`},
	{"events string", `{"logEvents":"x"}`},
	{"element string", `{"logEvents":["x"]}`},
	{"element array", `{"logEvents":[[]]}`},
	{"top-level array", `[{"logGroupName":"g"}]`},
	{"top-level string", `"g"`},
	{"top-level number", `1`},
	{"top-level true", `true`},
	{"unknown members", `{"a":1,"b":"x","c":[1,"2",{"d":[null,true,false,-1.5e-3]}],"e":{"f":{"g":[]}},"logGroupName":"g","z":null}`},
	{"unknown members in events", `{"logEvents":[{"x":[1,{"y":"\u00e9"}],"timestamp":1,"message":"m","z":{}}]}`},
	{"bad unknown member", `{"a":[1,2,}`},
	{"bad literal in unknown member", `{"a":nul}`},
	{"case-folded keys", `{"LOGGROUPNAME":"g","logstreamname":"s","LogEvents":[{"TimeStamp":1,"MESSAGE":"m"}]}`},
	{"exact key wins by position", `{"logGroupName":"a","LOGGROUPNAME":"b"}`},
	{"folded key then exact", `{"LOGGROUPNAME":"b","logGroupName":"a"}`},
	{"long s folds to s", "{\"logStreamName\":\"a\",\"log\u017ftreamName\":\"b\"}"},
	{"kelvin sign folds to k", "{\"nextToken\":\"a\",\"nextTo\u212aen\":\"b\"}"},
	{"escaped key", `{"log\u0047roupName":"g","\u006cogEvents":[{"\u0074imestamp":2,"message":"m"}]}`},
	{"non-matching unicode key", `{"logGroupNamé":"g"}`},
	{"key with unfoldable runes", "{\"logGroupName\u2713\":\"g\",\"\xff\":1,\"日本\":2}"},
	{"duplicated keys", `{"logGroupName":"a","logGroupName":"b","logEvents":[{"timestamp":1,"message":"m","message":"n"}]}`},
	{"duplicated events shorter", `{"logEvents":[{"timestamp":1,"message":"a"},{"timestamp":2,"message":"b"}],"logEvents":[{"timestamp":3}]}`},
	{"duplicated events longer", `{"logEvents":[{"timestamp":1,"message":"a"}],"logEvents":[{"message":"x"},{"timestamp":2},null]}`},
	{"duplicated events bring back cut elements", `{"logEvents":[{"timestamp":1,"message":"a"},{"timestamp":2,"message":"b"},{"timestamp":3,"message":"c"}],"logEvents":[{}],"logEvents":[{},{},null,{}]}`},
	{"duplicated events after empty", `{"logEvents":[{"timestamp":1,"message":"a"},{"message":"b"}],"logEvents":[],"logEvents":[{},null]}`},
	{"duplicated events after null", `{"logEvents":[{"timestamp":1,"message":"a"}],"logEvents":null,"logEvents":[null]}`},
	{"missing colon", `{"logGroupName" "g"}`},
	{"missing comma", `{"logGroupName":"g" "logStreamName":"s"}`},
	{"trailing comma", `{"logGroupName":"g",}`},
	{"trailing comma in array", `{"logEvents":[{"timestamp":1},]}`},
	{"unquoted key", `{logGroupName:"g"}`},
	{"trailing data", `{} {}`},
	{"trailing garbage", `{}x`},
	{"truncated", `{"logGroupName":"g",`},
	{"truncated literal", `{"descending":tru`},
	{"unclosed array", `{"logEvents":[`},
	{"vertical tab is not space", "\v{}"},
	{"nbsp is not space", "{\u00a0}"},
	{"error after type error", `{"limit":"x","a":}`},
}

// decodeBoth decodes body with encoding/json and with the fast decoder,
// each way it can run here, and fails unless all succeed with equal
// requests or all fail.
func decodeBoth(t *testing.T, body []byte) {
	t.Helper()
	var want request
	wantErr := json.Unmarshal(body, &want)
	for _, vector := range jsonstr.Settings() {
		var got request
		ok := decodeWith(body, &got, vector, false)
		if ok != (wantErr == nil) {
			t.Fatalf("body %q (vector %v): fast decoder ok=%v, encoding/json error %v", body, vector, ok, wantErr)
		}
		if ok && !reflect.DeepEqual(got, want) {
			t.Fatalf("body %q (vector %v):\n got %s\nwant %s", body, vector, dumpRequest(&got), dumpRequest(&want))
		}
	}
}

func dumpRequest(r *request) string {
	b, _ := json.Marshal(r)
	return string(b) + " (logEvents nil=" + strconv.FormatBool(r.LogEvents == nil) + ")"
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, c := range decodeCases {
		t.Run(c.name, func(t *testing.T) { decodeBoth(t, []byte(c.body)) })
	}
}

func TestDecodeNesting(t *testing.T) {
	// The top-level object is the first level; encoding/json refuses to
	// open level 10001.
	for _, depth := range []int{maxDepth - 1, maxDepth, maxDepth + 1} {
		inner := depth - 1
		body := `{"a":` + strings.Repeat("[", inner) + strings.Repeat("]", inner) + `}`
		decodeBoth(t, []byte(body))
		inner = depth - 3 // inside logEvents, an event and one of its members
		body = `{"logEvents":[{"x":` + strings.Repeat(`{"y":`, inner) + `1` + strings.Repeat("}", inner) + `}]}`
		decodeBoth(t, []byte(body))
	}
}

func TestDecodeBigBatch(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"logGroupName":"g","logStreamName":"s","logEvents":[`)
	for i := range 5000 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"timestamp":` + strconv.FormatInt(1700000000000+int64(i), 10) + `,"message":"event ` + strconv.Itoa(i) + ` \u00e9\n"}`)
	}
	b.WriteString(`],"logEvents":[{"message":"again"}]}`)
	decodeBoth(t, []byte(b.String()))
}

// TestDecodeEscapesAtEveryLane puts each kind of escape, and pairs of
// them, at every offset within and across the decoder's 8-byte words, in
// strings that end at every offset too.
func TestDecodeEscapesAtEveryLane(t *testing.T) {
	escapes := []string{`\"`, `\\`, `\/`, `\n`, `\u00e9`, `\ud83d\ude00`, `\ud83d`, "\xff", "\u00e9", `\"\"`, `\\\"`, `\"x\\`, "\x01"}
	for _, e := range escapes {
		// Behind a first escape, so that the lanes of jsonstr.UnescapeChunks's
		// sixteen-byte chunks, which start there, are all covered too.
		for _, lead := range []string{"", `\"`} {
			for pre := range 33 {
				for post := range 18 {
					msg := lead + strings.Repeat("a", pre) + e + strings.Repeat("b", post)
					decodeBoth(t, []byte(`{"logEvents":[{"message":"`+msg+`","timestamp":1}],"logGroupName":"`+msg+`"}`))
				}
			}
		}
	}
}

func TestDecodeErrorMessage(t *testing.T) {
	for _, body := range []string{`{"logGroupName":"g",`, `{"limit":1.5}`, `{"logEvents":"x"}`, "{\"a\":\"\x01\"}"} {
		var want request
		wantErr := json.Unmarshal([]byte(body), &want)
		_, aerr := decodeRequest([]byte(body))
		if aerr == nil || aerr.code != CodeSerialization || aerr.message != wantErr.Error() {
			t.Errorf("%q: got %v, want SerializationException %q", body, aerr, wantErr)
		}
	}
}

func FuzzDecodeRequest(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) { decodeBoth(t, body) })
}
