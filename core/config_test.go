package core_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/cwlogtest"
)

func TestNewRejectsBadConfig(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	client := srv.Client()
	valid := func() core.Config {
		return core.Config{Client: client, LogGroup: "g", LogStream: "s"}
	}
	tests := []struct {
		name  string
		edit  func(*core.Config)
		field string
		rule  string
	}{
		{"nil client", func(c *core.Config) { c.Client = nil }, "Client", "required"},
		{"empty group", func(c *core.Config) { c.LogGroup = "" }, "LogGroup", "empty"},
		{"group bad character", func(c *core.Config) { c.LogGroup = "my group" }, "LogGroup", "' '"},
		{"group too long", func(c *core.Config) { c.LogGroup = strings.Repeat("g", 513) }, "LogGroup", "513"},
		{"group aws/", func(c *core.Config) { c.LogGroup = "aws/lambda/x" }, "LogGroup", "aws/"},
		{"empty stream", func(c *core.Config) { c.LogStream = "" }, "LogStream", "empty"},
		{"stream colon", func(c *core.Config) { c.LogStream = "a:b" }, "LogStream", "':'"},
		{"stream star", func(c *core.Config) { c.LogStream = "a*" }, "LogStream", "'*'"},
		{"stream too long", func(c *core.Config) { c.LogStream = strings.Repeat("é", 513) }, "LogStream", "513"},
		{"negative flush interval", func(c *core.Config) { c.FlushInterval = -time.Second }, "FlushInterval", "negative"},
		{"negative call timeout", func(c *core.Config) { c.CallTimeout = -1 }, "CallTimeout", "negative"},
		{"negative min backoff", func(c *core.Config) { c.MinBackoff = -1 }, "MinBackoff", "negative"},
		{"max below min backoff", func(c *core.Config) { c.MinBackoff = time.Second; c.MaxBackoff = time.Millisecond }, "MaxBackoff", "less than MinBackoff"},
		{"retention not allowed", func(c *core.Config) { c.RetentionDays = 2 }, "RetentionDays", "not one the service allows"},
		{"retention without create", func(c *core.Config) { c.RetentionDays = 7; c.SkipCreateGroup = true }, "RetentionDays", "SkipCreateGroup"},
		{"too many tags", func(c *core.Config) {
			c.GroupTags = map[string]string{}
			for i := range 51 {
				c.GroupTags[strings.Repeat("k", i+1)] = "v"
			}
		}, "GroupTags", "allows 50"},
		{"aws: tag", func(c *core.Config) { c.GroupTags = map[string]string{"aws:x": "v"} }, "GroupTags", `"aws:`},
		{"tags without create", func(c *core.Config) { c.GroupTags = map[string]string{"team": "a"}; c.SkipCreateGroup = true }, "GroupTags", "SkipCreateGroup"},
		{"key id not an ARN", func(c *core.Config) { c.KMSKeyID = "1234abcd-12ab" }, "KMSKeyID", "not a KMS key ARN"},
		{"class", func(c *core.Config) { c.LogGroupClass = "COLD" }, "LogGroupClass", "not STANDARD or INFREQUENT_ACCESS"},
		{"buffer below a batch", func(c *core.Config) { c.BufferLimit = 1000 }, "BufferLimit", "less than MaxBatchBytes"},
		{"batch above the service", func(c *core.Config) { c.MaxBatchBytes = 2 << 20 }, "MaxBatchBytes", "above the service limit"},
		{"batch below one event", func(c *core.Config) { c.MaxMessageBytes = 100; c.MaxBatchBytes = 120 }, "MaxBatchBytes", "cannot hold one event"},
		{"message above the service", func(c *core.Config) { c.MaxMessageBytes = 1 << 20 }, "MaxMessageBytes", "outside"},
		{"message too small", func(c *core.Config) { c.MaxMessageBytes = 2 }, "MaxMessageBytes", "outside"},
		{"too many events", func(c *core.Config) { c.MaxBatchEvents = 10_001 }, "MaxBatchEvents", "outside"},
		{"negative events", func(c *core.Config) { c.MaxBatchEvents = -1 }, "MaxBatchEvents", "outside"},
		{"concurrency", func(c *core.Config) { c.Concurrency = -2 }, "Concurrency", "outside"},
		{"full policy", func(c *core.Config) { c.FullPolicy = 9 }, "FullPolicy", "FullPolicy(9)"},
		{"oversize policy", func(c *core.Config) { c.OversizePolicy = 9 }, "OversizePolicy", "OversizePolicy(9)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid()
			tt.edit(&cfg)
			s, err := core.New(cfg)
			if err == nil {
				s.Close(t.Context())
				t.Fatal("New accepted the config")
			}
			var ce *core.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field {
				t.Fatalf("New = %v, want a ConfigError for %s", err, tt.field)
			}
			if !strings.Contains(err.Error(), tt.rule) || !strings.Contains(err.Error(), "Config."+tt.field) {
				t.Fatalf("error %q does not name the field and the rule %q", err, tt.rule)
			}
		})
	}
}

func TestNewReportsEveryBadField(t *testing.T) {
	_, err := core.New(core.Config{LogGroup: "aws/x", LogStream: "a:b"})
	for _, field := range []string{"Client", "LogGroup", "LogStream"} {
		if !strings.Contains(err.Error(), "Config."+field) {
			t.Errorf("error %q does not name %s", err, field)
		}
	}
}

func TestZeroConfigFieldsAreDefaults(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	s, err := core.New(core.Config{Client: srv.Client(), LogGroup: "g", LogStream: "s"})
	if err != nil {
		t.Fatalf("New with only the required fields: %v", err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestMaxBackoffAloneBelowTheDefaultMinimum(t *testing.T) {
	srv := cwlogtest.Start(t, nil)
	s, err := core.New(core.Config{Client: srv.Client(), LogGroup: "g", LogStream: "s", MaxBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatalf("New with only MaxBackoff 20ms: %v", err)
	}
	s.Close(t.Context())
	s, err = core.New(core.Config{Client: srv.Client(), LogGroup: "g", LogStream: "s", MinBackoff: time.Second})
	if err != nil {
		t.Fatalf("New with only MinBackoff 1s: %v", err)
	}
	s.Close(t.Context())
}
