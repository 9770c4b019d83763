package cwlogtest

import (
	"slices"
	"strings"
	"time"
)

// Limits of PutLogEvents, as the service and a Server enforce them.
const (
	// MaxBatchBytes bounds the size of one call: the sum over its events of
	// the message's UTF-8 bytes plus EventOverhead.
	MaxBatchBytes = 1_048_576
	// MaxBatchEvents bounds the number of events in one call.
	MaxBatchEvents = 10_000
	// EventOverhead is what the service adds to each message's length when
	// it sizes an event or a batch.
	EventOverhead = 26
	// MaxEventBytes bounds one event: its message's bytes plus
	// EventOverhead. Options.MaxEventBytes may lower it.
	MaxEventBytes = 1_048_576
	// MaxFuture is how far ahead of the server's clock an event may be;
	// later events are rejected as too new.
	MaxFuture = 2 * time.Hour
	// MaxAge is how far behind the server's clock an event may be; older
	// events are rejected as too old.
	MaxAge = 14 * 24 * time.Hour
	// MaxSpan bounds the newest minus the oldest timestamp among the events
	// of one call that are neither too old, expired nor too new.
	MaxSpan = 24 * time.Hour
)

// Rule names the constraint a refused call broke. The server records it
// in [Call].Rule, so that a test can tell why a call failed without
// parsing messages; the empty Rule, RuleNone, means the call broke none.
type Rule string

// The rules a call can break.
const (
	// RuleNone: the call broke no rule.
	RuleNone Rule = ""
	// RuleValidation: malformed JSON, or a missing or invalid member not
	// covered by a rule below, such as both logGroupName and
	// logGroupIdentifier.
	RuleValidation Rule = "validation"
	// RuleName: an invalid log group or log stream name.
	RuleName Rule = "name"
	// RuleEventCount: logEvents missing, empty, or longer than
	// MaxBatchEvents.
	RuleEventCount Rule = "event-count"
	// RuleEmptyMessage: an event with an empty message.
	RuleEmptyMessage Rule = "empty-message"
	// RuleTimestamp: an event with a negative timestamp.
	RuleTimestamp Rule = "timestamp"
	// RuleEventSize: an event larger than MaxEventBytes (or
	// Options.MaxEventBytes).
	RuleEventSize Rule = "event-size"
	// RuleBatchSize: a call larger than MaxBatchBytes.
	RuleBatchSize Rule = "batch-size"
	// RuleOrder: events not in chronological order.
	RuleOrder Rule = "order"
	// RuleSpan: the accepted events of a call span more than MaxSpan.
	RuleSpan Rule = "span"
	// RuleToken: an empty sequenceToken; with TokensLegacy also a wrong
	// one, or a batch sent again (DataAlreadyAcceptedException).
	RuleToken Rule = "token"
	// RuleNotFound: the log group or log stream does not exist.
	RuleNotFound Rule = "not-found"
	// RuleExists: the log group or log stream to create exists.
	RuleExists Rule = "exists"
	// RuleRetention: a retentionInDays the service does not offer.
	RuleRetention Rule = "retention"
	// RuleLimit: a paging limit or nextToken out of range.
	RuleLimit Rule = "limit"
	// RuleFault: the answer came from an injected fault.
	RuleFault Rule = "fault"
	// RuleOperation: an operation the server does not implement, or a
	// request that is not a CloudWatch Logs call.
	RuleOperation Rule = "operation"
	// RuleBodyLimit: a request body over the SetMaxBodyBytes limit,
	// answered 413 as by a proxy.
	RuleBodyLimit Rule = "body-limit"
)

// retentionDays lists the values PutRetentionPolicy accepts.
var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func validRetention(days int) bool { return slices.Contains(retentionDays, days) }

func validateGroupName(name *string) *apiError {
	if name == nil {
		return invalidParam(RuleName, "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null")
	}
	n := *name
	if len(n) < 1 || len(n) > 512 {
		return invalidParam(RuleName, "1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must have length between 1 and 512", n)
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		ok := c == '.' || c == '-' || c == '_' || c == '/' || c == '#' ||
			('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9')
		if !ok {
			return invalidParam(RuleName, `1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`, n)
		}
	}
	if strings.HasPrefix(n, "aws/") {
		return invalidParam(RuleName, "Log group names starting with 'aws/' are reserved for AWS services.")
	}
	return nil
}

func validateStreamName(name *string) *apiError {
	if name == nil {
		return invalidParam(RuleName, "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null")
	}
	n := *name
	// The model counts characters, not bytes.
	if l := len([]rune(n)); l < 1 || l > 512 {
		return invalidParam(RuleName, "1 validation error detected: Value '%s' at 'logStreamName' failed to satisfy constraint: Member must have length between 1 and 512", n)
	}
	if strings.ContainsAny(n, ":*") {
		return invalidParam(RuleName, "1 validation error detected: Value '%s' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*", n)
	}
	return nil
}

// checkBatch applies the whole-call rules that need no server state, in the
// order the service reports them: model validation first (count, empty
// message), then timestamps, sizes and order.
func checkBatch(events []inputEvent, maxEvent int) *apiError {
	if events == nil {
		return invalidParam(RuleEventCount, "1 validation error detected: Value null at 'logEvents' failed to satisfy constraint: Member must not be null")
	}
	if len(events) == 0 {
		return invalidParam(RuleEventCount, "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(events) > MaxBatchEvents {
		return invalidParam(RuleEventCount, "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to %d", MaxBatchEvents)
	}
	// One pass finds the first violation of each kind; priority is applied after.
	total := 0
	empty, negative, big, disorder := -1, -1, -1, -1
	prev := int64(0)
	for i := range events {
		e := &events[i]
		size := len(e.Message) + EventOverhead
		total += size
		if empty < 0 && len(e.Message) == 0 {
			empty = i
		}
		if negative < 0 && e.Timestamp < 0 {
			negative = i
		}
		if big < 0 && size > maxEvent {
			big = i
		}
		if disorder < 0 && i > 0 && e.Timestamp < prev {
			disorder = i
		}
		prev = e.Timestamp
	}
	switch {
	case empty >= 0:
		return invalidParam(RuleEmptyMessage, "1 validation error detected: Value '' at 'logEvents.%d.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1", empty+1)
	case negative >= 0:
		return invalidParam(RuleTimestamp, "Log event timestamp must not be negative (logEvents.%d.member.timestamp = %d).", negative+1, events[negative].Timestamp)
	case big >= 0:
		return invalidParam(RuleEventSize, "Log event too large: %d bytes exceeds limit of %d", len(events[big].Message)+EventOverhead, maxEvent)
	case total > MaxBatchBytes:
		return invalidParam(RuleBatchSize, "Upload too large: %d bytes exceeds limit of %d", total, MaxBatchBytes)
	case disorder >= 0:
		return invalidParam(RuleOrder, "Log events in a single PutLogEvents request must be in chronological order.")
	}
	return nil
}

// window is the split of a sorted batch into rejected prefixes, the accepted
// middle and the too-new suffix.
type window struct {
	tooOldEnd   int // exclusive; 0 when none
	expiredEnd  int // exclusive; 0 when none
	tooNewStart int // inclusive; len(events) when none
	start       int // first accepted event; accepted events are [start, tooNewStart)
}

// classify splits sorted events by the server clock and the group's
// retention (0 = never expire). Too old wins over expired, so expired events
// only exist when the retention is shorter than MaxAge.
func classify(events []inputEvent, now time.Time, retentionDays int) window {
	nowMs := now.UnixMilli()
	oldCut := nowMs - MaxAge.Milliseconds()
	newCut := nowMs + MaxFuture.Milliseconds()
	expCut := int64(-1 << 63)
	if retentionDays > 0 {
		expCut = nowMs - int64(retentionDays)*24*time.Hour.Milliseconds()
	}
	w := window{tooNewStart: len(events)}
	i := 0
	for i < len(events) && events[i].Timestamp < oldCut {
		i++
	}
	w.tooOldEnd = i
	for i < len(events) && events[i].Timestamp < expCut {
		i++
	}
	if i > w.tooOldEnd {
		w.expiredEnd = i
	}
	w.start = i
	j := len(events)
	for j > i && events[j-1].Timestamp > newCut {
		j--
	}
	w.tooNewStart = j
	return w
}

// counts returns how many events were rejected as too old, expired and too new.
func (w window) counts(n int) (tooOld, expired, tooNew int) {
	tooOld = w.tooOldEnd
	if w.expiredEnd > 0 {
		expired = w.expiredEnd - w.tooOldEnd
	}
	return tooOld, expired, n - w.tooNewStart
}

// checkSpan applies the 24 hour rule to the accepted middle of a batch.
func checkSpan(events []inputEvent, w window) *apiError {
	if w.tooNewStart-w.start < 2 {
		return nil
	}
	if events[w.tooNewStart-1].Timestamp-events[w.start].Timestamp > MaxSpan.Milliseconds() {
		return invalidParam(RuleSpan, "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	return nil
}

func (w window) info(n int) *rejectedInfo {
	if w.tooOldEnd == 0 && w.expiredEnd == 0 && w.tooNewStart == n {
		return nil
	}
	ri := new(rejectedInfo)
	if w.tooOldEnd > 0 {
		v := w.tooOldEnd
		ri.TooOldLogEventEndIndex = &v
	}
	if w.expiredEnd > 0 {
		v := w.expiredEnd
		ri.ExpiredLogEventEndIndex = &v
	}
	if w.tooNewStart < n {
		v := w.tooNewStart
		ri.TooNewLogEventStartIndex = &v
	}
	return ri
}
