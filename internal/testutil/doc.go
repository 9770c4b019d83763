// Package testutil provides a local, in-process endpoint that speaks the
// CloudWatch Logs awsJson1.1 protocol, so that tests, examples and benchmarks
// can drive the real aws-sdk-go-v2 client without an AWS account.
//
// The endpoint is deliberately strict: every PutLogEvents rule the service
// enforces (batch size, event count, event size, empty messages, order, the
// 24 hour span, too old / too new / expired events, sequence tokens in legacy
// mode) is enforced with the same error code, so a test that passes against
// a [Server] proves the shipper never makes a call the service would reject.
// Every call is recorded ([Server.Calls]) with the rule it broke, and faults
// (throttling, 5xx, latency, dropped connections, "stored but the answer was
// lost", credentials refused, expired or missing, access denied with the
// service's message, a proxy's 413) can be injected per operation
// at runtime. [Server.SetMaxBodyBytes] stands in for a proxy in front of the
// service whose request body limit is below the service's batch size.
//
// A [Server] does not need a *testing.T; [Start] is a convenience for tests
// that closes the server through t.Cleanup.
package testutil
