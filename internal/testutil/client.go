package testutil

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// Client returns a real CloudWatch Logs client pointed at the server: region
// us-east-1, static dummy credentials, the SDK's default retryer. optFns
// run last and may change anything (for example RetryMaxAttempts). Each
// client gets its own HTTP transport whose idle connections Close shuts.
func (s *Server) Client(optFns ...func(*cloudwatchlogs.Options)) *cloudwatchlogs.Client {
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       region,
		BaseEndpoint: aws.String(s.url),
		Credentials:  staticCredentials{},
		HTTPClient:   s.HTTPClient(),
	}, optFns...)
}

// HTTPClient returns an *http.Client with its own transport, for callers
// building their own SDK configuration; Close shuts its idle connections.
func (s *Server) HTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	s.transMu.Lock()
	s.transports = append(s.transports, t)
	s.transMu.Unlock()
	return &http.Client{Transport: t}
}

// staticCredentials signs with fixed dummy keys; the server ignores
// signatures, but the SDK refuses to send unsigned requests.
type staticCredentials struct{}

func (staticCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "AKIDTESTTESTTEST", SecretAccessKey: "secret", Source: "testutil", CanExpire: false, Expires: time.Time{}}, nil
}

// Start starts a Server for a test or benchmark and closes it through
// tb.Cleanup. It fails tb if the server cannot listen.
func Start(tb testing.TB, opts *Options) *Server {
	tb.Helper()
	s, err := NewServer(opts)
	if err != nil {
		tb.Fatalf("testutil: start server: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
