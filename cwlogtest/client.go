package cwlogtest

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// The dummy credentials of clients pointed at a Server. The server does not
// check signatures; the SDK and the AWS CLI refuse to send unsigned requests.
const (
	accessKeyID     = "AKIDTESTTESTTEST"
	secretAccessKey = "secret"
)

// Start starts a Server for a test or benchmark and closes it through
// tb.Cleanup; a nil opts means all defaults. It stops tb with Fatal if the
// server cannot listen.
func Start(tb testing.TB, opts *Options) *Server {
	tb.Helper()
	s, err := NewServer(opts)
	if err != nil {
		tb.Fatalf("cwlogtest: start server: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// Client returns a real *cloudwatchlogs.Client pointed at the server, with
// region us-east-1, fixed dummy credentials and the SDK's default retryer,
// which retries throttling and 5xx answers with backoff. optFns run last
// and may change anything, such as RetryMaxAttempts or Retryer. Each client
// has its own HTTP transport, whose idle connections Close closes.
func (s *Server) Client(optFns ...func(*cloudwatchlogs.Options)) *cloudwatchlogs.Client {
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       region,
		BaseEndpoint: aws.String(s.url),
		Credentials:  staticCredentials{},
		HTTPClient:   s.HTTPClient(),
	}, optFns...)
}

// HTTPClient returns an *http.Client with a transport of its own, for a
// client built some other way (cloudwatchlogs.NewFromConfig with
// config.WithHTTPClient, another SDK, raw requests). Close closes its idle
// connections, so a test leaves no connection goroutine behind.
func (s *Server) HTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	s.transMu.Lock()
	s.transports = append(s.transports, t)
	s.transMu.Unlock()
	return &http.Client{Transport: t}
}

// Env returns the environment, as "KEY=value" strings, that points the AWS
// CLI or an SDK client built from the default configuration
// (config.LoadDefaultConfig and cloudwatchlogs.NewFromConfig) at the
// server: AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, the region (AWS_REGION and
// AWS_DEFAULT_REGION, us-east-1) and dummy credentials (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY). Append it to os.Environ() for an exec.Cmd, or
// set each with t.Setenv for code under test that loads its own
// configuration. A client built with cloudwatchlogs.New ignores the
// environment: give it Options.BaseEndpoint = aws.String(s.URL()) instead.
func (s *Server) Env() []string {
	return []string{
		"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=" + s.url,
		"AWS_REGION=" + region,
		"AWS_DEFAULT_REGION=" + region,
		"AWS_ACCESS_KEY_ID=" + accessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + secretAccessKey,
	}
}

// credentialsSource is the Source of the clients' credentials, which
// diagnostics may print ("access key ****TEST (from cwlogtest)").
const credentialsSource = "cwlogtest"

// staticCredentials signs with the fixed dummy keys.
type staticCredentials struct{}

func (staticCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: accessKeyID, SecretAccessKey: secretAccessKey, Source: credentialsSource}, nil
}
