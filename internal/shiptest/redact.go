package shiptest

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/logging"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

// CheckSDKLogsRedacted ships the SDK's logs of a Shipper's own calls, made
// with recognisable credentials, through an adapter: sdk is the adapter's
// SDK logger, and logUser, given the Shipper, makes the logger behind sdk
// feed it and logs one entry. What the endpoint stored must hold the SDK's
// request dumps and signing logs, but none of the credentials and no
// signature.
func CheckSDKLogsRedacted(t *testing.T, sdk logging.Logger, logUser func(*core.Shipper)) {
	t.Helper()
	srv, s := Start(t, "redact", "sdk", func(srv *cwlogtest.Server, c *core.Config) {
		c.Client = srv.Client(recognisableCredentials(sdk))
	})
	logUser(s)
	// The first Flush uploads the entry; the second the SDK's logs of that upload.
	Flush(t, s)
	Flush(t, s)
	Close(t, s)
	checkRedacted(t, srv)
}

// Parts of the credentials recognisableCredentials signs with.
var credentialParts = []string{"AKIDRECOGNIZABLE123", "SECRETRECOGNIZABLE456", "TOKENRECOGNIZABLE789"}

// recognisableCredentials makes a client sign with credentials whose
// parts are easy to find, and log its requests and responses with their
// bodies, its signing and its retries to sdk.
func recognisableCredentials(sdk logging.Logger) func(*cloudwatchlogs.Options) {
	return func(o *cloudwatchlogs.Options) {
		o.Credentials = aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: credentialParts[0], SecretAccessKey: credentialParts[1], SessionToken: credentialParts[2]}, nil
		}))
		o.ClientLogMode = aws.LogRequestWithBody | aws.LogResponseWithBody | aws.LogSigning | aws.LogRetries
		o.Logger = sdk
	}
}

// signature matches a signature's value, in a header or a query.
var signature = regexp.MustCompile(`(?i)signature=[0-9a-f]{8}`)

// checkRedacted fails t if no SDK request dump or signing log is stored on
// srv, or if any stored event shows a part of recognisableCredentials or
// a signature. (The secret key itself never appears in the SDK's logs.)
func checkRedacted(t *testing.T, srv *cwlogtest.Server) {
	t.Helper()
	var b strings.Builder
	for _, g := range srv.Groups() {
		for _, st := range srv.Streams(g) {
			for _, m := range srv.Messages(g, st) {
				b.WriteString(m + "\n")
			}
		}
	}
	all := b.String()
	for _, want := range []string{
		"POST / HTTP/1.1", "X-Amz-Target: Logs_20140328.PutLogEvents", "CANONICAL STRING",
		"Authorization: AWS4-HMAC-SHA256 REDACTED", "X-Amz-Security-Token: REDACTED", "x-amz-security-token:REDACTED",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no stored event holds %q: the SDK's logs were not stored as expected", want)
		}
	}
	for _, secret := range credentialParts {
		if i := strings.Index(all, secret); i >= 0 {
			t.Errorf("stored %q: ...%s...", secret, all[max(0, i-80):min(len(all), i+40)])
		}
	}
	if loc := signature.FindStringIndex(all); loc != nil {
		t.Errorf("stored a signature: ...%s...", all[max(0, loc[0]-80):min(len(all), loc[1]+40)])
	}
}
