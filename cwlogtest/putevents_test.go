package cwlogtest

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func TestPutLogEventsBoundaries(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name   string
		events []types.InputLogEvent
		rule   Rule // RuleNone: accepted whole
	}{
		{"batch exactly max bytes", sized(100, MaxBatchBytes), RuleNone},
		{"batch one byte over", sized(100, MaxBatchBytes+1), RuleBatchSize},
		{"exactly max events", sized(MaxBatchEvents, MaxBatchEvents*(EventOverhead+1)), RuleNone},
		{"one event too many", sized(MaxBatchEvents+1, (MaxBatchEvents+1)*(EventOverhead+1)), RuleEventCount},
		{"empty batch", []types.InputLogEvent{}, RuleEventCount},
		{"one event of max size", sized(1, MaxEventBytes), RuleNone},
		{"one event one byte over", sized(1, MaxEventBytes+1), RuleEventSize},
		{"empty message", []types.InputLogEvent{ev(testNow, "a"), ev(testNow, "")}, RuleEmptyMessage},
		{"negative timestamp", []types.InputLogEvent{evMs(-1, "a")}, RuleTimestamp},
		{"out of order", []types.InputLogEvent{ev(testNow, "a"), ev(testNow.Add(-time.Millisecond), "b")}, RuleOrder},
		{"equal timestamps", []types.InputLogEvent{ev(testNow, "a"), ev(testNow, "b")}, RuleNone},
		{"span exactly 24h", []types.InputLogEvent{ev(testNow.Add(-day), "a"), ev(testNow, "b")}, RuleNone},
		{"span 24h plus 1ms", []types.InputLogEvent{ev(testNow.Add(-day-time.Millisecond), "a"), ev(testNow, "b")}, RuleSpan},
		// Too-old events are rejected one by one and do not count towards the span.
		{"span ignores too old", []types.InputLogEvent{ev(testNow.Add(-15*day), "old"), ev(testNow, "b")}, RuleNone},
		{"span ignores too new", []types.InputLogEvent{ev(testNow.Add(-20*time.Hour), "a"), ev(testNow.Add(3*time.Hour), "new")}, RuleNone},
		// 2-byte runes count as 2 bytes: 1,048,550 bytes of message fill the batch exactly.
		{"multibyte counted in bytes", []types.InputLogEvent{ev(testNow, strings.Repeat("é", (MaxBatchBytes-EventOverhead)/2))}, RuleNone},
		{"multibyte one byte over", []types.InputLogEvent{ev(testNow, strings.Repeat("é", (MaxBatchBytes-EventOverhead)/2)+"x")}, RuleEventSize},
		// The SDK sends each invalid byte as U+FFFD (3 bytes): a message that
		// is max size in raw bytes is 2 bytes over once sent.
		{"invalid UTF-8 counted as sent", []types.InputLogEvent{ev(testNow, strings.Repeat("x", MaxEventBytes-EventOverhead-1)+"\xff")}, RuleEventSize},
		// The SDK sends U+2028 as the escape \u2028; what counts is the 3
		// bytes it stands for, not the 6 on the wire.
		{"escaped U+2028 counted as 3 bytes", []types.InputLogEvent{ev(testNow, strings.Repeat("x", MaxEventBytes-EventOverhead-3)+"\u2028")}, RuleNone},
		{"escaped U+2028 one byte over", []types.InputLogEvent{ev(testNow, strings.Repeat("x", MaxEventBytes-EventOverhead-2)+"\u2028")}, RuleEventSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := setup(t, nil)
			_, err := put(c, tt.events)
			if tt.rule != RuleNone {
				wantInvalid(t, s, err, tt.rule)
				return
			}
			if err != nil {
				t.Fatalf("PutLogEvents: %v", err)
			}
			call := lastCall(t, s)
			if call.Outcome != OutcomeOK || call.Stored+call.TooOld+call.TooNew != len(tt.events) {
				t.Fatalf("recorded %+v", call)
			}
		})
	}
}

func TestEmptyMessageText(t *testing.T) {
	s, c := setup(t, nil)
	_, err := put(c, []types.InputLogEvent{ev(testNow, "")})
	wantInvalid(t, s, err, RuleEmptyMessage)
	want := "1 validation error detected: Value '' at 'logEvents.1.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1"
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want message %q", err, want)
	}
}

func TestOrderAndSpanMessages(t *testing.T) {
	s, c := setup(t, nil)
	_, err := put(c, []types.InputLogEvent{ev(testNow, "a"), ev(testNow.Add(-time.Second), "b")})
	wantInvalid(t, s, err, RuleOrder)
	if !strings.Contains(err.Error(), "Log events in a single PutLogEvents request must be in chronological order.") {
		t.Fatalf("order err = %v", err)
	}
	_, err = put(c, []types.InputLogEvent{ev(testNow.Add(-25*time.Hour), "a"), ev(testNow, "b")})
	wantInvalid(t, s, err, RuleSpan)
	if !strings.Contains(err.Error(), "cannot span more than 24 hours.") {
		t.Fatalf("span err = %v", err)
	}
}

func TestRejectedEventIndexes(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name                       string
		retention                  int
		events                     []types.InputLogEvent
		tooOld, expired, tooNew    *int32
		stored                     []string
		nTooOld, nExpired, nTooNew int
	}{
		{
			name:   "exactly MaxAge old is accepted",
			events: []types.InputLogEvent{ev(testNow.Add(-MaxAge), "oldest")},
			stored: []string{"oldest"},
		},
		{
			name:   "exactly MaxFuture ahead is accepted",
			events: []types.InputLogEvent{ev(testNow.Add(MaxFuture), "newest")},
			stored: []string{"newest"},
		},
		{
			name:    "too old prefix, end index exclusive",
			events:  []types.InputLogEvent{ev(testNow.Add(-MaxAge-ms), "a"), ev(testNow.Add(-MaxAge-ms), "b"), ev(testNow, "c")},
			tooOld:  aws.Int32(2),
			stored:  []string{"c"},
			nTooOld: 2,
		},
		{
			name:    "too new suffix, start index inclusive",
			events:  []types.InputLogEvent{ev(testNow, "a"), ev(testNow.Add(MaxFuture+ms), "b"), ev(testNow.Add(3*time.Hour), "c")},
			tooNew:  aws.Int32(1),
			stored:  []string{"a"},
			nTooNew: 2,
		},
		{
			name:      "expired by retention between too old and accepted",
			retention: 7,
			events: []types.InputLogEvent{
				ev(testNow.Add(-20*24*time.Hour), "too-old"),
				ev(testNow.Add(-10*24*time.Hour), "expired"),
				ev(testNow.Add(-7*24*time.Hour-ms), "expired-too"),
				ev(testNow.Add(-7*24*time.Hour), "kept"),
				ev(testNow.Add(MaxFuture+ms), "too-new"),
			},
			tooOld: aws.Int32(1), expired: aws.Int32(3), tooNew: aws.Int32(4),
			stored:  []string{"kept"},
			nTooOld: 1, nExpired: 2, nTooNew: 1,
		},
		{
			name:    "all rejected is still a success",
			events:  []types.InputLogEvent{ev(testNow.Add(-MaxAge-ms), "a"), ev(testNow.Add(MaxFuture+ms), "b")},
			tooOld:  aws.Int32(1),
			tooNew:  aws.Int32(1),
			nTooOld: 1, nTooNew: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := setup(t, nil)
			if tt.retention > 0 {
				s.SetRetention(testGroup, tt.retention)
			}
			out, err := put(c, tt.events)
			if err != nil {
				t.Fatalf("PutLogEvents: %v", err)
			}
			ri := out.RejectedLogEventsInfo
			if tt.tooOld == nil && tt.expired == nil && tt.tooNew == nil {
				if ri != nil {
					t.Fatalf("rejectedLogEventsInfo = %+v, want omitted", ri)
				}
			} else if ri == nil || !eqPtr(ri.TooOldLogEventEndIndex, tt.tooOld) || !eqPtr(ri.ExpiredLogEventEndIndex, tt.expired) || !eqPtr(ri.TooNewLogEventStartIndex, tt.tooNew) {
				t.Fatalf("rejectedLogEventsInfo = %s, want tooOld=%s expired=%s tooNew=%s", fmtInfo(ri), fmtPtr(tt.tooOld), fmtPtr(tt.expired), fmtPtr(tt.tooNew))
			}
			if got := s.Messages(testGroup, testStream); strings.Join(got, ",") != strings.Join(tt.stored, ",") {
				t.Fatalf("stored %q, want %q", got, tt.stored)
			}
			call := lastCall(t, s)
			if call.TooOld != tt.nTooOld || call.Expired != tt.nExpired || call.TooNew != tt.nTooNew {
				t.Fatalf("recorded %+v", call)
			}
		})
	}
}

func eqPtr(a, b *int32) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func fmtPtr(p *int32) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(int(*p))
}

func fmtInfo(ri *types.RejectedLogEventsInfo) string {
	if ri == nil {
		return "nil"
	}
	return "{tooOld=" + fmtPtr(ri.TooOldLogEventEndIndex) + " expired=" + fmtPtr(ri.ExpiredLogEventEndIndex) + " tooNew=" + fmtPtr(ri.TooNewLogEventStartIndex) + "}"
}

func TestPutLogEventsNotFound(t *testing.T) {
	s, c := setup(t, nil)
	for _, tt := range []struct{ group, stream, msg string }{
		{"missing", testStream, "The specified log group does not exist."},
		{testGroup, "missing", "The specified log stream does not exist."},
	} {
		_, err := c.PutLogEvents(t.Context(), &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(tt.group), LogStreamName: aws.String(tt.stream), LogEvents: []types.InputLogEvent{ev(testNow, "m")}})
		var rnf *types.ResourceNotFoundException
		if !errors.As(err, &rnf) || aws.ToString(rnf.Message) != tt.msg {
			t.Fatalf("%s/%s: err = %v, want ResourceNotFoundException %q", tt.group, tt.stream, err, tt.msg)
		}
		if call := lastCall(t, s); call.Rule != RuleNotFound {
			t.Fatalf("recorded %+v", call)
		}
	}
}

func TestStoredEventsCarryIngestionTime(t *testing.T) {
	s, c := setup(t, nil)
	if _, err := put(c, []types.InputLogEvent{ev(testNow.Add(-time.Minute), "a"), ev(testNow, "b")}); err != nil {
		t.Fatal(err)
	}
	evs := s.Events(testGroup, testStream)
	if len(evs) != 2 || evs[0].IngestionTime != testNow.UnixMilli() || evs[1].Message != "b" || evs[0].Timestamp != testNow.Add(-time.Minute).UnixMilli() {
		t.Fatalf("events = %+v", evs)
	}
	evs[0].Message = "mutated"
	if s.Events(testGroup, testStream)[0].Message != "a" {
		t.Fatal("Events returned a view into the store, want a copy")
	}
	st := s.Stats()
	if st.EventsStored != 2 || st.BytesStored != 2 || st.PutOutcomes[OutcomeOK] != 1 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestMaxEventBytesOption(t *testing.T) {
	const limit = 256 << 10
	s, c := setup(t, &Options{MaxEventBytes: limit})
	if _, err := put(c, []types.InputLogEvent{ev(testNow, strings.Repeat("x", limit-EventOverhead))}); err != nil {
		t.Fatalf("an event of exactly the lowered limit: %v", err)
	}
	_, err := put(c, []types.InputLogEvent{ev(testNow, strings.Repeat("x", limit-EventOverhead+1))})
	if call := lastCall(t, s); err == nil || call.Rule != RuleEventSize {
		t.Fatalf("one byte over the lowered limit: err %v, rule %q", err, call.Rule)
	}
	if _, err := NewServer(&Options{MaxEventBytes: MaxEventBytes + 1}); err == nil {
		t.Fatal("NewServer accepted a MaxEventBytes above the service's")
	}
}
