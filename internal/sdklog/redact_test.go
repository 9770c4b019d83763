package sdklog

import (
	"strings"
	"testing"
	"unsafe"
)

// The inputs below are what aws-sdk-go-v2 logs with aws.LogRequestWithBody,
// aws.LogResponseWithBody and aws.LogSigning, for credentials with access
// key id AKIDRECOGNIZABLE123 and session token TOKENRECOGNIZABLE789 (or
// TOKEN/RECOGNIZABLE+789= where URL encoding matters).
const (
	requestDump = "Request\nPOST / HTTP/1.1\r\nHost: 127.0.0.1:35073\r\n" +
		"User-Agent: aws-sdk-go-v2/1.47.7 ua/2.1 os/linux lang/go#1.26.8 md/GOOS#linux md/GOARCH#amd64 api/cloudwatchlogs#1.92.0 m/E\r\n" +
		"Content-Length: 20\r\nAmz-Sdk-Invocation-Id: 612e0c24-d4a5-435b-baad-09f62580d6cd\r\nAmz-Sdk-Request: attempt=1; max=3\r\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIDRECOGNIZABLE123/20261204/us-east-1/logs/aws4_request, " +
		"SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, " +
		"Signature=86df3bcd37d248e61af4059e5d6c696629c026cc4b6162ae1a199b4bf40209a7\r\n" +
		"Content-Type: application/x-amz-json-1.1\r\nX-Amz-Date: 20261204T235823Z\r\nX-Amz-Security-Token: TOKENRECOGNIZABLE789\r\n" +
		"X-Amz-Target: Logs_20140328.CreateLogGroup\r\nAccept-Encoding: gzip\r\n\r\n{\"logGroupName\":\"g\"}"
	responseDump = "Response\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/x-amz-json-1.1\r\n" +
		"Date: Fri, 04 Dec 2026 23:58:23 GMT\r\nX-Amzn-Requestid: 00000000-0000-4000-8000-000000000001\r\n\r\n{}"
	signingLog = "Request Signature:\n---[ CANONICAL STRING  ]-----------------------------\nPOST\n/\n\n" +
		"amz-sdk-invocation-id:612e0c24-d4a5-435b-baad-09f62580d6cd\namz-sdk-request:attempt=1; max=3\ncontent-length:20\n" +
		"content-type:application/x-amz-json-1.1\nhost:127.0.0.1:35073\nx-amz-date:20261204T235823Z\n" +
		"x-amz-security-token:TOKENRECOGNIZABLE789\nx-amz-target:Logs_20140328.CreateLogGroup\n\n" +
		"amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target\n" +
		"87eeec2400caf4c9986ded70ae3674666ff43e81f9cdfd962079a74730603e25\n" +
		"---[ STRING TO SIGN ]--------------------------------\nAWS4-HMAC-SHA256\n20261204T235823Z\n20261204/us-east-1/logs/aws4_request\n" +
		"f9f4b15bf788234028b38785296146bde404717d822375f18a8fbb0b4501a5cb\n-----------------------------------------------------"
	presignedURL = "https://logs.us-east-1.amazonaws.com/?Action=X&X-Amz-Algorithm=AWS4-HMAC-SHA256" +
		"&X-Amz-Credential=AKIDRECOGNIZABLE123%2F20240102%2Fus-east-1%2Flogs%2Faws4_request&X-Amz-Date=20240102T030405Z" +
		"&X-Amz-Security-Token=TOKEN%2FRECOGNIZABLE%2B789%3D&X-Amz-SignedHeaders=host" +
		"&X-Amz-Signature=d724282e66834da46a092bb2d144a3c51ade3fef3933b0a1fec2923ca84c253f"
	presignLog = "Request Signature:\n---[ CANONICAL STRING  ]-----------------------------\nGET\n/\n" +
		"Action=X&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDRECOGNIZABLE123%2F20240102%2Fus-east-1%2Flogs%2Faws4_request" +
		"&X-Amz-Date=20240102T030405Z&X-Amz-Security-Token=TOKEN%2FRECOGNIZABLE%2B789%3D&X-Amz-SignedHeaders=host\n" +
		"host:logs.us-east-1.amazonaws.com\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"---[ STRING TO SIGN ]--------------------------------\nAWS4-HMAC-SHA256\n20240102T030405Z\n20240102/us-east-1/logs/aws4_request\n" +
		"90e73ff9e71ad823e9d4f3104f2039f297f789ec6af701bf46549fc2995d5903\n" +
		"---[ SIGNED URL ]------------------------------------\n" + presignedURL + "\n" +
		"-----------------------------------------------------"
)

// secrets are what no redacted message may show.
var secrets = []string{
	"AKIDRECOGNIZABLE123", "RECOGNIZABLE789", "RECOGNIZABLE%2B789",
	"86df3bcd37d248e61af4059e5d6c696629c026cc4b6162ae1a199b4bf40209a7",
	"d724282e66834da46a092bb2d144a3c51ade3fef3933b0a1fec2923ca84c253f",
}

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			"request dump",
			requestDump,
			strings.NewReplacer(
				"Authorization: AWS4-HMAC-SHA256 Credential=AKIDRECOGNIZABLE123/20261204/us-east-1/logs/aws4_request, "+
					"SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "+
					"Signature=86df3bcd37d248e61af4059e5d6c696629c026cc4b6162ae1a199b4bf40209a7",
				"Authorization: AWS4-HMAC-SHA256 REDACTED",
				"X-Amz-Security-Token: TOKENRECOGNIZABLE789", "X-Amz-Security-Token: REDACTED",
			).Replace(requestDump),
		},
		{
			"signing log",
			signingLog,
			strings.Replace(signingLog, "x-amz-security-token:TOKENRECOGNIZABLE789", "x-amz-security-token:REDACTED", 1),
		},
		{
			"presigned URL",
			presignedURL,
			"https://logs.us-east-1.amazonaws.com/?Action=X&X-Amz-Algorithm=AWS4-HMAC-SHA256" +
				"&X-Amz-Credential=REDACTED&X-Amz-Date=20240102T030405Z&X-Amz-Security-Token=REDACTED" +
				"&X-Amz-SignedHeaders=host&X-Amz-Signature=REDACTED",
		},
		{
			"presign signing log",
			presignLog,
			strings.NewReplacer(
				"X-Amz-Credential=AKIDRECOGNIZABLE123%2F20240102%2Fus-east-1%2Flogs%2Faws4_request", "X-Amz-Credential=REDACTED",
				"X-Amz-Security-Token=TOKEN%2FRECOGNIZABLE%2B789%3D", "X-Amz-Security-Token=REDACTED",
				"X-Amz-Signature=d724282e66834da46a092bb2d144a3c51ade3fef3933b0a1fec2923ca84c253f", "X-Amz-Signature=REDACTED",
			).Replace(presignLog),
		},
		{
			"mixed case names",
			"authorization:\tBearer AKIDRECOGNIZABLE123\nx-AMZ-security-TOKEN:  RECOGNIZABLE789\r\n" +
				"?x-amz-credential=AKIDRECOGNIZABLE123%2Fd&X-AMZ-SIGNATURE=86df3bcd37d248e61af4059e5d6c696629c026cc4b6162ae1a199b4bf40209a7 " +
				"SIGNATURE=86df3bcd37d248e61af4059e5d6c696629c026cc4b6162ae1a199b4bf40209a7,cReDeNtIaL=AKIDRECOGNIZABLE123/x;",
			"authorization:\tBearer REDACTED\nx-AMZ-security-TOKEN:  REDACTED\r\n" +
				"?x-amz-credential=REDACTED&X-AMZ-SIGNATURE=REDACTED SIGNATURE=REDACTED,cReDeNtIaL=REDACTED;",
		},
		{
			"credential and signature pairs alone",
			"signed with Credential=AKIDRECOGNIZABLE123/20240102/us-east-1/logs/aws4_request, " +
				"Signature=d724282e66834da46a092bb2d144a3c51ade3fef3933b0a1fec2923ca84c253f",
			"signed with Credential=REDACTED, Signature=REDACTED",
		},
		{
			"single-word Authorization value",
			"Authorization: RECOGNIZABLE789\r\nHost: h",
			"Authorization: REDACTED\r\nHost: h",
		},
		{
			// A dump logged again inside a JSON body: the value stops at
			// the escape, so the rest of the body survives.
			"escaped dump in a body",
			`{"message":"X-Amz-Security-Token: RECOGNIZABLE789\r\nX-Amz-Target: Logs_20140328.PutLogEvents"}`,
			`{"message":"X-Amz-Security-Token: REDACTED\r\nX-Amz-Target: Logs_20140328.PutLogEvents"}`,
		},
		{"empty values", "Request Signature:\nSignature=&Authorization: \r\nx-amz-security-token:", "Request Signature:\nSignature=&Authorization: \r\nx-amz-security-token:"},
		{"retry", "retrying request Logs_20140328.PutLogEvents, attempt 2", "retrying request Logs_20140328.PutLogEvents, attempt 2"},
		{"response dump", responseDump, responseDump},
		{"names without values", "SignedHeaders=host;x-amz-security-token;x-amz-target, SignatureVersion 4, credentials expired", "SignedHeaders=host;x-amz-security-token;x-amz-target, SignatureVersion 4, credentials expired"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Redact(tt.in)
			if got != tt.want {
				t.Errorf("Redact(%q)\n = %q\nwant %q", tt.in, got, tt.want)
			}
			for _, s := range secrets {
				if strings.Contains(got, s) {
					t.Errorf("Redact left %q in %q", s, got)
				}
			}
			if got == tt.in && unsafe.StringData(got) != unsafe.StringData(tt.in) {
				t.Error("nothing was redacted, but Redact returned a copy")
			}
		})
	}
}

// FuzzRedact checks that Redact is idempotent, and that an Authorization
// header line after any text loses its credential and signature.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{requestDump, responseDump, signingLog, presignLog, "a:b=c", "Signature=\\", "Authorization:  x"} {
		f.Add(s)
	}
	const line = "\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20240102/us-east-1/logs/aws4_request, Signature=0123abcd\r\n"
	f.Fuzz(func(t *testing.T, s string) {
		once := Redact(s)
		if twice := Redact(once); twice != once {
			t.Errorf("Redact(%q) = %q, but Redact of that = %q", s, once, twice)
		}
		out := Redact(s + line)
		if strings.Count(out, "AKIDFUZZ") > strings.Count(s, "AKIDFUZZ") || strings.Count(out, "0123abcd") > strings.Count(s, "0123abcd") {
			t.Errorf("Redact(%q) = %q", s+line, out)
		}
	})
}

func BenchmarkRedact(b *testing.B) {
	for _, bm := range []struct{ name, msg string }{
		{"retry", "retrying request Logs_20140328.PutLogEvents, attempt 2"},
		{"response", responseDump},
		{"request", requestDump},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(bm.msg)))
			b.ReportAllocs()
			for b.Loop() {
				Redact(bm.msg)
			}
		})
	}
}
