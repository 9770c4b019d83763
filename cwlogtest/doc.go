// Package cwlogtest runs an Amazon CloudWatch Logs endpoint inside a test,
// so that code which sends logs to CloudWatch Logs, through cwlog or
// through aws-sdk-go-v2 directly, can be tested with the real SDK client
// over real HTTP, without an AWS account and without mocking the client.
//
// It is to CloudWatch Logs what net/http/httptest is to HTTP: [Start] (or
// [NewServer] and [Server.Close]) listens on 127.0.0.1, [Server.Client]
// returns a *cloudwatchlogs.Client pointed at it, and, as with
// zaptest/observer, the test then reads what was stored
// ([Server.Messages], [Server.Events], [Server.EventsByTime],
// [Server.Groups], [Server.Streams]) and which calls were made and how they
// were answered ([Server.Calls], [Server.CallsOf], [Server.Stats]).
//
//	func TestShipsLogs(t *testing.T) {
//		srv := cwlogtest.Start(t, nil)
//		srv.CreateStream("app", "web-1")
//
//		s, err := core.New(core.Config{Client: srv.Client(), LogGroup: "app", LogStream: "web-1"})
//		if err != nil {
//			t.Fatal(err)
//		}
//		s.Add(core.Event{Message: "hello"})
//		if err := s.Close(t.Context()); err != nil {
//			t.Fatal(err)
//		}
//
//		if got := srv.Messages("app", "web-1"); !slices.Equal(got, []string{"hello"}) {
//			t.Errorf("stored %q, want [hello]", got)
//		}
//	}
//
// # What it checks
//
// A Server is strict: it refuses what the service refuses, with the
// service's HTTP status, error code and message, so that a test passing
// against it shows the code under test makes no call the service would
// reject. Each
// refused call is recorded with the [Rule] it broke. PutLogEvents checks:
//
//   - the batch size: the messages' UTF-8 bytes plus [EventOverhead] (26)
//     per event, at most [MaxBatchBytes] (1,048,576);
//   - the event count: 1 to [MaxBatchEvents] (10,000); a missing or empty
//     logEvents fails;
//   - each event's size, at most [MaxEventBytes] including the overhead, or
//     less with [Options].MaxEventBytes;
//   - no empty message and no negative timestamp;
//   - chronological order within the batch;
//   - a span of at most [MaxSpan] (24 hours) among the events accepted;
//   - that the log group and log stream exist.
//
// Those refuse the whole call with InvalidParameterException (or
// ResourceNotFoundException). Events more than [MaxFuture] (2 hours) ahead
// of the server's clock, older than [MaxAge] (14 days), or older than the
// group's retention are rejected one by one, as by the service: the call
// succeeds, stores the others and reports the rejected ones in
// rejectedLogEventsInfo. [Options].Clock fixes the clock, so those bounds
// can be tested to the millisecond.
//
// Sequence tokens follow [Options].Tokens: [TokensModern] ignores them, as
// AWS does since 2023; [TokensLegacy] chains them as AWS did before and
// some compatible services still do, with InvalidSequenceTokenException and
// DataAlreadyAcceptedException. An empty sequenceToken is refused in both.
//
// The other operations check their members too: log group names (1-512
// characters of letters, digits and . - _ / #, not starting with "aws/"),
// log stream names (1-512 characters, no : or *), retentionInDays (one of
// the values the service offers), paging limits and tokens. DescribeLogStreams
// and GetLogEvents accept logGroupIdentifier (a name or an ARN) in place of
// logGroupName, and refuse a request naming both.
//
// # What it does not do
//
// A Server implements CreateLogGroup (with its tags, kmsKeyId and
// logGroupClass), CreateLogStream, DeleteLogGroup, DeleteLogStream,
// PutRetentionPolicy, DescribeLogGroups, DescribeLogStreams,
// ListTagsForResource (of log groups), PutLogEvents and GetLogEvents. Any
// other operation (FilterLogEvents, Logs Insights queries, tagging after
// creation, subscriptions, ...) is answered UnknownOperationException. It does not check signatures, IAM
// permissions, the region or quotas: it accepts any credentials and never
// throttles, unless a fault is injected for that. PutLogEvents' entity
// member is accepted and ignored. It speaks plain HTTP; a server of the
// caller's own, such as one made by httptest.NewTLSServer, can serve it
// over HTTPS through [Server.ServeHTTP]. DescribeLogStreams reports
// storedBytes as 0, as the service has for log streams since 2019.
//
// # Pointing a client at it
//
// [Server.Client] returns a client ready to use: region us-east-1, dummy
// credentials and the SDK's default retryer; options passed to it change
// anything else. Code that builds its own client needs the server's URL:
//
//   - with cloudwatchlogs.New or NewFromConfig, set the BaseEndpoint
//     option to aws.String(srv.URL()), or pass config.WithBaseEndpoint to
//     config.LoadDefaultConfig, and [Server.HTTPClient] as the HTTP client
//     so that Close closes its connections;
//   - code that calls config.LoadDefaultConfig and
//     cloudwatchlogs.NewFromConfig itself honours
//     AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: [Server.Env] returns it, with a
//     region and dummy credentials, to set with t.Setenv;
//   - the AWS CLI takes --endpoint-url srv.URL(), or the environment of
//     [Server.Env].
//
// # Faults
//
// A test can make calls fail the way the service and the network do:
// throttling, 500 and 503 answers, latency, dropped connections, a batch
// stored but its answer lost ([Fault].AfterStore), access denied,
// unrecognized, expired or missing credentials, a stream that vanished, and
// a proxy's 413 answer. [Server.FailNext] scripts the next calls of an
// operation, [Server.SetFault] fails every call until lifted,
// [Server.SetFaultRate] fails a seeded random share, and
// [Server.SetFaultFunc] decides call by call. [Server.SetMaxBodyBytes]
// stands in for a proxy with a request body limit. Every call records the
// fault it met in [Call].Fault.
//
// A Server's methods are safe for concurrent use, while requests are in
// flight too, and [Server.Close] leaves no goroutine behind.
package cwlogtest
