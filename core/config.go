package core

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// API is the part of *cloudwatchlogs.Client the Shipper calls.
type API interface {
	PutLogEvents(context.Context, *cloudwatchlogs.PutLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutLogEventsOutput, error)
	CreateLogGroup(context.Context, *cloudwatchlogs.CreateLogGroupInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogGroupOutput, error)
	CreateLogStream(context.Context, *cloudwatchlogs.CreateLogStreamInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogStreamOutput, error)
	PutRetentionPolicy(context.Context, *cloudwatchlogs.PutRetentionPolicyInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutRetentionPolicyOutput, error)
}

var _ API = (*cloudwatchlogs.Client)(nil)

// FullPolicy says what Add does when the buffer holds BufferLimit bytes.
type FullPolicy int

const (
	// DropNewest, the default, refuses the new event: Add returns
	// ErrBufferFull at once and counts it as dropped.
	DropNewest FullPolicy = iota
	// DropOldest evicts the oldest events not being uploaded, counting
	// each as dropped, or acts as DropNewest if that makes no room.
	DropOldest
	// Block makes Add wait, in arrival order, until uploads free room or
	// the Shipper is closed, however long CloudWatch is unreachable.
	Block
)

func (p FullPolicy) String() string {
	if p >= DropNewest && p <= Block {
		return [...]string{"DropNewest", "DropOldest", "Block"}[p]
	}
	return "FullPolicy(" + strconv.Itoa(int(p)) + ")"
}

// OversizePolicy says what Add does with a message over MaxMessageBytes.
type OversizePolicy int

const (
	// Split, the default, cuts it at rune boundaries into several events
	// with the same time, in order.
	Split OversizePolicy = iota
	// Truncate keeps the longest prefix that fits, cut at a rune boundary,
	// counting the event in Stats.Truncated.
	Truncate
)

func (p OversizePolicy) String() string {
	if p >= Split && p <= Truncate {
		return [...]string{"Split", "Truncate"}[p]
	}
	return "OversizePolicy(" + strconv.Itoa(int(p)) + ")"
}

// Config configures a Shipper. Client, LogGroup and LogStream are required;
// for every other field, zero means the default its documentation names.
type Config struct {
	// Client makes the calls; usually a *cloudwatchlogs.Client.
	Client API
	// LogGroup is the log group: 1-512 characters, each an ASCII letter or
	// digit or one of . - _ / #, not starting with "aws/".
	LogGroup string
	// LogStream is the log stream: 1-512 characters, without ':' or '*'.
	LogStream string

	// FlushInterval is how long a partial batch waits to fill: events are
	// uploaded once the oldest has waited FlushInterval, or at once when a
	// full batch is queued, the buffer is full, or Flush or Close asks.
	// Default 1s.
	FlushInterval time.Duration
	// BufferLimit bounds the events added and not yet delivered, uploads
	// included, in bytes as CloudWatch counts them (message + 26 per
	// event). Default 64 MiB; at least MaxBatchBytes.
	BufferLimit int

	FullPolicy     FullPolicy     // what Add does when BufferLimit is reached; default DropNewest
	OversizePolicy OversizePolicy // default Split

	// MaxMessageBytes is the largest message of one event, in UTF-8 bytes
	// as sent: 4 to 1,048,550 (the service's 1 MiB less 26), the default.
	// Lower it for compatible endpoints with smaller limits.
	MaxMessageBytes int
	// MaxBatchBytes is the largest batch, counting message bytes + 26 per
	// event. Default and maximum 1,048,576; at least MaxMessageBytes+26.
	MaxBatchBytes int
	// MaxBatchEvents is the most events in a batch. Default and maximum
	// 10,000.
	MaxBatchEvents int

	// Concurrency is how many PutLogEvents calls may run at once. The
	// default, 0, adapts: one at first, one more while full batches wait
	// and round trips stay fast, half as many on throttling, service
	// faults and timeouts, up to MaxConcurrency; no sequence token is sent
	// until the endpoint shows that it checks them (AWS has not since
	// 2023), and from then on calls chain tokens one at a time. 1 to 64 is
	// a fixed number: 1 always chains tokens, which lets a token-checking
	// endpoint recognise a batch resent after a lost response; above 1 no
	// token is sent, so such a batch may be stored twice.
	Concurrency int
	// MaxConcurrency bounds the adaptive Concurrency: 1 to 64, default 8.
	MaxConcurrency int
	// CallTimeout bounds each API call. The SDK's own retries are turned
	// off; the Shipper does the retrying. Default 30s.
	CallTimeout time.Duration
	// MinBackoff is the first wait before retrying a failed call; waits
	// double up to MaxBackoff, each half jittered. Default 100ms.
	MinBackoff time.Duration
	// MaxBackoff caps the waits. Default 10s; at least MinBackoff.
	MaxBackoff time.Duration

	// RetentionDays, when not zero, is set on the log group the Shipper
	// creates; it must be a value PutRetentionPolicy accepts (1, 3, 5, 7,
	// 14, 30, ... 3653). Default: none (never expire).
	RetentionDays int32
	// GroupTags are set on the log group the Shipper creates: at most 50,
	// keys of 1-128 characters not starting with "aws:", values of at most
	// 256. Creating a group with tags needs logs:TagResource too.
	GroupTags map[string]string
	// KMSKeyID is the ARN of the KMS key that encrypts the log group the
	// Shipper creates; its key policy must let CloudWatch Logs use it.
	KMSKeyID string
	// LogGroupClass is the class of the log group the Shipper creates:
	// STANDARD (the default) or INFREQUENT_ACCESS (cheaper, fewer features).
	LogGroupClass types.LogGroupClass
	// SkipCreateGroup stops the Shipper from creating a missing log group;
	// it waits, retrying, for someone else to create it. Default false.
	SkipCreateGroup bool
	// SkipCreateStream does the same for the log stream. Default false.
	SkipCreateStream bool

	// OnError receives every failure Add cannot return: *RetryError
	// (wrapping a *SetupError for what will not end without a fix),
	// *RejectedError, and *DroppedError (summing the drops since the last,
	// at most once a second); and *Recovered when delivery resumes after an
	// outage. It is called from a goroutine of the
	// Shipper's, one report at a time, never from Add nor with a lock
	// held, so it may log into this same Shipper under any FullPolicy.
	// Reports beyond 64 waiting for a slow OnError are counted, and the
	// count is reported. Close waits, within its context, for the last.
	// Default: a line on standard error, at most one a second; reports
	// held back are summed on the next line, or on their own when the
	// second ends, and Close writes a summary line if events were lost.
	OnError func(error)
	// Now is the clock used for events with a zero Time. Default time.Now.
	Now func() time.Time
}

// Defaults of the optional Config fields.
const (
	DefaultFlushInterval  = time.Second
	DefaultBufferLimit    = 64 << 20
	DefaultCallTimeout    = 30 * time.Second
	DefaultMinBackoff     = 100 * time.Millisecond
	DefaultMaxBackoff     = 10 * time.Second
	DefaultConcurrency    = 0 // adaptive
	DefaultMaxConcurrency = 8
	maxConcurrency        = 64
)

func (cfg Config) withDefaults() Config {
	cfg.FlushInterval = cmp.Or(cfg.FlushInterval, DefaultFlushInterval)
	cfg.BufferLimit = cmp.Or(cfg.BufferLimit, DefaultBufferLimit)
	cfg.MaxMessageBytes = cmp.Or(cfg.MaxMessageBytes, maxMessageBytes)
	cfg.MaxBatchBytes = cmp.Or(cfg.MaxBatchBytes, maxBatchBytes)
	cfg.MaxBatchEvents = cmp.Or(cfg.MaxBatchEvents, maxBatchEvents)
	cfg.MaxConcurrency = cmp.Or(cfg.MaxConcurrency, DefaultMaxConcurrency)
	cfg.CallTimeout = cmp.Or(cfg.CallTimeout, DefaultCallTimeout)
	if cfg.MinBackoff == 0 {
		// A low MaxBackoff lowers the default minimum, rather than
		// failing over a field the user never set.
		cfg.MinBackoff = DefaultMinBackoff
		if cfg.MaxBackoff > 0 && cfg.MaxBackoff < cfg.MinBackoff {
			cfg.MinBackoff = cfg.MaxBackoff
		}
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = max(DefaultMaxBackoff, cfg.MinBackoff)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// ConfigError is returned by New for a Config field that breaks a rule.
type ConfigError struct {
	Field string // the Config field, e.g. "LogGroup"
	Rule  string // what the value must satisfy
}

func (e *ConfigError) Error() string {
	return "cwlog: invalid Config." + e.Field + ": " + e.Rule
}

// validateGroupOptions reports the options of a group to create that the
// service would refuse, or that SkipCreateGroup leaves unused.
func (cfg *Config) validateGroupOptions(bad func(field, format string, args ...any)) {
	unused := func(field string) {
		if cfg.SkipCreateGroup {
			bad(field, "is only applied to a group the Shipper creates, but SkipCreateGroup is set")
		}
	}
	if len(cfg.GroupTags) > 0 {
		unused("GroupTags")
		if len(cfg.GroupTags) > 50 {
			bad("GroupTags", "has %d tags; the service allows 50", len(cfg.GroupTags))
		}
		for k, v := range cfg.GroupTags {
			if k == "" || len(k) > 128 || strings.HasPrefix(k, "aws:") || len(v) > 256 {
				bad("GroupTags", "tag %q=%q: keys are 1-128 characters not starting with \"aws:\", values at most 256", k, v)
			}
		}
	}
	if cfg.KMSKeyID != "" {
		unused("KMSKeyID")
		if !strings.HasPrefix(cfg.KMSKeyID, "arn:") || !strings.Contains(cfg.KMSKeyID, ":kms:") || len(cfg.KMSKeyID) > 256 {
			bad("KMSKeyID", "%q is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)", cfg.KMSKeyID)
		}
	}
	if cfg.LogGroupClass != "" {
		unused("LogGroupClass")
		if cfg.LogGroupClass != types.LogGroupClassStandard && cfg.LogGroupClass != types.LogGroupClassInfrequentAccess {
			bad("LogGroupClass", "%q is not STANDARD or INFREQUENT_ACCESS", cfg.LogGroupClass)
		}
	}
}

// retentionDays are the values PutRetentionPolicy accepts.
var retentionDays = []int32{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// validate reports every broken rule of a Config whose defaults are applied.
func (cfg *Config) validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &ConfigError{Field: field, Rule: fmt.Sprintf(format, args...)})
	}
	if cfg.Client == nil {
		bad("Client", "is required (a *cloudwatchlogs.Client)")
	}
	if rule := checkGroupName(cfg.LogGroup); rule != "" {
		bad("LogGroup", "%q %s", cfg.LogGroup, rule)
	}
	if rule := checkStreamName(cfg.LogStream); rule != "" {
		bad("LogStream", "%q %s", cfg.LogStream, rule)
	}
	if cfg.FlushInterval < 0 {
		bad("FlushInterval", "%v is negative", cfg.FlushInterval)
	}
	if cfg.CallTimeout < 0 {
		bad("CallTimeout", "%v is negative", cfg.CallTimeout)
	}
	if cfg.MinBackoff < 0 {
		bad("MinBackoff", "%v is negative", cfg.MinBackoff)
	}
	if cfg.MaxBackoff < 0 {
		bad("MaxBackoff", "%v is negative", cfg.MaxBackoff)
	} else if cfg.MaxBackoff < cfg.MinBackoff {
		bad("MaxBackoff", "%v is less than MinBackoff %v", cfg.MaxBackoff, cfg.MinBackoff)
	}
	if cfg.FullPolicy < DropNewest || cfg.FullPolicy > Block {
		bad("FullPolicy", "%v is not DropNewest, DropOldest or Block", cfg.FullPolicy)
	}
	if cfg.OversizePolicy < Split || cfg.OversizePolicy > Truncate {
		bad("OversizePolicy", "%v is not Split or Truncate", cfg.OversizePolicy)
	}
	if cfg.MaxMessageBytes < 4 || cfg.MaxMessageBytes > maxMessageBytes {
		bad("MaxMessageBytes", "%d is outside 4..%d", cfg.MaxMessageBytes, maxMessageBytes)
	}
	if cfg.MaxBatchBytes > maxBatchBytes {
		bad("MaxBatchBytes", "%d is above the service limit %d", cfg.MaxBatchBytes, maxBatchBytes)
	} else if cfg.MaxBatchBytes < cfg.MaxMessageBytes+eventOverhead {
		bad("MaxBatchBytes", "%d cannot hold one event of MaxMessageBytes %d plus %d bytes of overhead",
			cfg.MaxBatchBytes, cfg.MaxMessageBytes, eventOverhead)
	}
	if cfg.MaxBatchEvents < 1 || cfg.MaxBatchEvents > maxBatchEvents {
		bad("MaxBatchEvents", "%d is outside 1..%d", cfg.MaxBatchEvents, maxBatchEvents)
	}
	if cfg.BufferLimit < cfg.MaxBatchBytes {
		bad("BufferLimit", "%d is less than MaxBatchBytes %d, so a full batch could never be buffered",
			cfg.BufferLimit, cfg.MaxBatchBytes)
	}
	if cfg.Concurrency < 0 || cfg.Concurrency > maxConcurrency {
		bad("Concurrency", "%d is outside 0 (adaptive) and 1..%d", cfg.Concurrency, maxConcurrency)
	}
	if cfg.MaxConcurrency < 1 || cfg.MaxConcurrency > maxConcurrency {
		bad("MaxConcurrency", "%d is outside 1..%d", cfg.MaxConcurrency, maxConcurrency)
	}
	cfg.validateGroupOptions(bad)
	if cfg.RetentionDays != 0 {
		if !slices.Contains(retentionDays, cfg.RetentionDays) {
			bad("RetentionDays", "%d is not one the service allows %v", cfg.RetentionDays, retentionDays)
		}
		if cfg.SkipCreateGroup {
			bad("RetentionDays", "is only applied to a group the Shipper creates, but SkipCreateGroup is set")
		}
	}
	return errors.Join(errs...)
}

// checkGroupName and checkStreamName return the rule name breaks, or "".
func checkGroupName(name string) string {
	switch {
	case name == "":
		return "is empty (required)"
	case len(name) > 512:
		return fmt.Sprintf("is %d characters long; at most 512 are allowed", len(name))
	case strings.HasPrefix(name, "aws/"):
		return `must not start with "aws/" (reserved for AWS services)`
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/#", r)) {
			return fmt.Sprintf("contains %q; only ASCII letters, digits and . - _ / # are allowed", r)
		}
	}
	return ""
}

func checkStreamName(name string) string {
	switch {
	case name == "":
		return "is empty (required)"
	case utf8.RuneCountInString(name) > 512:
		return fmt.Sprintf("is %d characters long; at most 512 are allowed", utf8.RuneCountInString(name))
	case strings.ContainsAny(name, ":*"):
		return `must not contain ':' or '*'`
	}
	return ""
}
