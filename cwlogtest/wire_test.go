package cwlogtest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
)

func rawCall(t *testing.T, s *Server, target, body string, gz bool) (*http.Response, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	if gz {
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(body))
		zw.Close()
	} else {
		buf.WriteString(body)
	}
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %q is not JSON: %v", b, err)
	}
	return resp, m
}

func TestUnknownOperation(t *testing.T) {
	s, _ := setup(t, nil)
	for _, target := range []string{"Logs_20140328.DescribeEverything", "Other.PutLogEvents", ""} {
		resp, body := rawCall(t, s, target, "{}", false)
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != CodeUnknownOperation || body["__type"] != CodeUnknownOperation {
			t.Fatalf("%q: status %d, header %q, body %v", target, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), body)
		}
		if _, ok := body["message"].(string); !ok {
			t.Fatalf("%q: no lowercase message in %v", target, body)
		}
	}
}

func TestErrorWireShape(t *testing.T) {
	s, _ := setup(t, nil)
	s.FailNext(OpPutLogEvents, 1, Fault{Kind: FaultUnavailable})
	resp, body := rawCall(t, s, "Logs_20140328.PutLogEvents", `{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":1,"message":"m"}]}`, false)
	if resp.StatusCode != 503 || resp.Header.Get("Content-Type") != "application/x-amz-json-1.1" || body["__type"] != CodeServiceUnavailable {
		t.Fatalf("status %d, headers %v, body %v", resp.StatusCode, resp.Header, body)
	}
	resp, body = rawCall(t, s, "Logs_20140328.PutLogEvents", `{"logGroupName":"g",`, false)
	if resp.StatusCode != 400 || body["__type"] != CodeSerialization {
		t.Fatalf("malformed JSON: status %d, body %v", resp.StatusCode, body)
	}
}

func TestGzipRequestBody(t *testing.T) {
	s, _ := setup(t, nil)
	ts := testNow.UnixMilli()
	body := `{"logGroupName":"g","logStreamName":"s","logEvents":[{"timestamp":` + strconv.FormatInt(ts, 10) + `,"message":"zipped"}]}`
	resp, _ := rawCall(t, s, "Logs_20140328.PutLogEvents", body, true)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if got := s.Messages(testGroup, testStream); len(got) != 1 || got[0] != "zipped" {
		t.Fatalf("stored %q", got)
	}
}
