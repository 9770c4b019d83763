package core

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// ConfigError is returned by New for a Config field that breaks a rule.
type ConfigError struct {
	Field string // the Config field, e.g. "LogGroup"
	Rule  string // what the value must satisfy
}

func (e *ConfigError) Error() string {
	return "cwlog: invalid Config." + e.Field + ": " + e.Rule
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
	if cfg.Concurrency < 1 || cfg.Concurrency > maxConcurrency {
		bad("Concurrency", "%d is outside 1..%d", cfg.Concurrency, maxConcurrency)
	}
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

// checkGroupName returns the rule name breaks, or "".
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
			return fmt.Sprintf("contains %q; only [.-_/#A-Za-z0-9] are allowed", r)
		}
	}
	return ""
}

// checkStreamName returns the rule name breaks, or "".
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
