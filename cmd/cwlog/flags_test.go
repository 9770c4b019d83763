package main

import (
	"os"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	env := os.Environ() // no AWS call is made
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		stdout string // in stdout, when not empty
		stderr string // in stderr, when not empty
	}{
		{"no command", nil, 2, "", "Usage:"},
		{"unknown command", []string{"ship"}, 2, "", `unknown command "ship"`},
		{"help", []string{"help"}, 0, "cwlog pipe -group G -stream S", ""},
		{"-h", []string{"-h"}, 0, "Commands:", ""},
		{"help pipe", []string{"help", "pipe"}, 0, "usage: cwlog pipe", ""},
		{"help run", []string{"help", "run"}, 0, "-stderr-prefix", ""},
		{"help serve", []string{"help", "serve"}, 0, "-addr", ""},
		{"help unknown", []string{"help", "ship"}, 2, "", `unknown command "ship"`},
		{"pipe -h", []string{"pipe", "-h"}, 0, "", "usage: cwlog pipe"},
		{"run -h", []string{"run", "-h"}, 0, "", "usage: cwlog run"},
		{"pipe undefined flag", []string{"pipe", "-group", "g", "-stream", "s", "-bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{"pipe no group", []string{"pipe", "-stream", "s"}, 2, "", "-group is required"},
		{"pipe no stream", []string{"pipe", "-group", "g"}, 2, "", "-stream is required"},
		{"pipe argument", []string{"pipe", "-group", "g", "-stream", "s", "file.log"}, 2, "", `unexpected argument "file.log"`},
		{"bad group", []string{"pipe", "-group", "my app", "-stream", "s"}, 2, "", `-group: "my app" contains ' '`},
		{"bad stream", []string{"pipe", "-group", "g", "-stream", "a:b"}, 2, "", `-stream: "a:b" must not contain`},
		{"template stream", []string{"pipe", "-group", "g", "-stream", "web-{hostname}"}, 2, "", "reserved for name templates"},
		{"bad retention", []string{"pipe", "-group", "g", "-stream", "s", "-retention", "4"}, 2, "", "-retention: 4 is not one the service allows"},
		{"retention without create", []string{"pipe", "-group", "g", "-stream", "s", "-retention", "7", "-no-create"}, 2, "", "cannot go with -no-create"},
		{"bad timeout", []string{"pipe", "-group", "g", "-stream", "s", "-timeout", "0s"}, 2, "", "-timeout 0s is not positive"},
		{"bad duration", []string{"pipe", "-group", "g", "-stream", "s", "-timeout", "10"}, 2, "", "invalid value"},
		{"bad policy", []string{"pipe", "-group", "g", "-stream", "s", "-when-full", "wait"}, 2, "", "want block, drop-newest or drop-oldest"},
		{"run no command", []string{"run", "-group", "g", "-stream", "s"}, 2, "", "no command to run"},
		{"run no command after --", []string{"run", "-group", "g", "-stream", "s", "--"}, 2, "", "no command to run"},
		{"run no group", []string{"run", "-stream", "s", "--", "true"}, 2, "", "-group is required"},
		{"serve argument", []string{"serve", "now"}, 2, "", `unexpected argument "now"`},
		{"serve bad flag", []string{"serve", "-port", "1"}, 2, "", "flag provided but not defined: -port"},
		{"version argument", []string{"version", "now"}, 2, "", "usage: cwlog version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cwlog(t, env, "", tc.args...)
			if r.status != tc.status {
				t.Fatalf("want status %d, got %v", tc.status, r)
			}
			if !strings.Contains(r.stdout, tc.stdout) || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("want %q on stdout and %q on stderr, got %v", tc.stdout, tc.stderr, r)
			}
		})
	}
}
