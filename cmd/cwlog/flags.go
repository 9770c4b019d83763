package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/writercw"
)

// shipFlags are the flags of the commands that ship lines: pipe and run.
type shipFlags struct {
	group, stream string
	aws           awsFlags
	noCreate      bool
	retention     int
	check         bool
	timeout       time.Duration
	timeKey       string
	full          fullPolicy
	quiet         bool
}

// defaultTimeout bounds the startup check and the delivery at the end.
const defaultTimeout = 10 * time.Second

func (f *shipFlags) register(fs *flag.FlagSet, full core.FullPolicy) {
	fs.StringVar(&f.group, "group", "", "log group `name` (required); created if missing, unless -no-create")
	fs.StringVar(&f.stream, "stream", "", "log stream `name` (required); created if missing, unless -no-create. A plain name:\n'{' and '}' are reserved for name templates")
	f.aws.register(fs)
	fs.BoolVar(&f.noCreate, "no-create", false, "never create the group or the stream; wait, retrying, until they exist")
	fs.IntVar(&f.retention, "retention", 0, "retention in `days` set on a group cwlog creates: 1, 3, 5, 7, 14, 30, 60, 90, ...\n3653; 0 keeps events forever")
	fs.BoolVar(&f.check, "check", true, "before shipping, check that events can reach the stream (region, credentials,\npermissions, group and stream)")
	fs.DurationVar(&f.timeout, "timeout", defaultTimeout, "bound on the startup check, and on delivering what is left at the end")
	fs.StringVar(&f.timeKey, "time-key", "", "time each JSON object line by its top-level member of this `name` (RFC 3339 or\nUnix seconds, ms, µs or ns), as zerolog's \"time\"; default: when the line is read")
	f.full = fullPolicy{policy: full, name: fullPolicyNames[full]}
	fs.Var(&f.full, "when-full", "`policy` when 64 MiB of lines wait for delivery: block (stop reading, which\nstops the writer), drop-newest or drop-oldest (each drop is counted)")
	fs.BoolVar(&f.quiet, "quiet", false, "print the summary at the end only when lines were lost")
}

// validate reports what the flags got wrong, checking every rule the
// Shipper's configuration has as well.
func (f *shipFlags) validate() error {
	var errs []error
	reported := map[string]bool{} // flags with an error already
	bad := func(flag, format string, args ...any) {
		reported[flag] = true
		errs = append(errs, fmt.Errorf(flag+format, args...))
	}
	if f.group == "" {
		bad("-group", " is required")
	}
	if f.stream == "" {
		bad("-stream", " is required")
	} else if strings.ContainsAny(f.stream, "{}") {
		bad("-stream", " %q: '{' and '}' are reserved for name templates", f.stream)
	}
	switch {
	case f.retention < 0 || f.retention > math.MaxInt32:
		bad("-retention", " %d is not a number of days the service allows", f.retention)
	case f.retention != 0 && f.noCreate:
		bad("-retention", " is set on a group cwlog creates, so it cannot go with -no-create")
	}
	if f.timeout <= 0 {
		bad("-timeout", " %v is not positive", f.timeout)
	}
	// A Config without a Client never passes validation, so New starts
	// nothing and returns every rule broken: the flags' mistakes are found
	// before the AWS settings are read.
	_, err := f.newShipper(nil)
	var ce *core.ConfigError
	for _, e := range flatten(err) {
		if errors.As(e, &ce) && ce.Field != "Client" && !reported[flagOf(ce.Field)] {
			bad(flagOf(ce.Field), ": %s", ce.Rule)
		}
	}
	return errors.Join(errs...)
}

// newShipper returns the Shipper the flags describe.
func (f *shipFlags) newShipper(client core.API) (*core.Shipper, error) {
	return core.New(core.Config{
		Client:           client,
		LogGroup:         f.group,
		LogStream:        f.stream,
		FullPolicy:       f.full.policy,
		RetentionDays:    int32(f.retention),
		SkipCreateGroup:  f.noCreate,
		SkipCreateStream: f.noCreate,
	})
}

func (f *shipFlags) writerOptions() *writercw.Options {
	return &writercw.Options{TimeKey: f.timeKey}
}

// flagOf names the flag that sets a Config field.
func flagOf(field string) string {
	switch field {
	case "LogGroup":
		return "-group"
	case "LogStream":
		return "-stream"
	case "RetentionDays":
		return "-retention"
	case "FullPolicy":
		return "-when-full"
	}
	return field
}

// flatten lists the errors errors.Join joined in err.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// fullPolicy is the -when-full flag. Its zero value names no policy, so
// that the flag package shows every command's default.
type fullPolicy struct {
	policy core.FullPolicy
	name   string
}

var fullPolicyNames = map[core.FullPolicy]string{
	core.Block:      "block",
	core.DropNewest: "drop-newest",
	core.DropOldest: "drop-oldest",
}

func (p *fullPolicy) String() string { return p.name }

func (p *fullPolicy) Set(s string) error {
	for policy, name := range fullPolicyNames {
		if s == name {
			*p = fullPolicy{policy: policy, name: name}
			return nil
		}
	}
	return errors.New("want block, drop-newest or drop-oldest")
}

// newFlagSet returns a FlagSet whose usage shows synopsis, then about,
// then the flags. Parse errors and -h print on standard error.
func newFlagSet(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: cwlog %s %s\n\n%s\nFlags:\n", name, synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// printUsage writes the usage of fs to w.
func printUsage(w io.Writer, fs *flag.FlagSet) {
	out := fs.Output()
	fs.SetOutput(w)
	fs.Usage()
	fs.SetOutput(out)
}

// parse parses args into fs. When it returns false, the caller exits with
// the status it returns: 0 after -h, 2 after a bad flag (which fs printed).
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	switch err := fs.Parse(args); {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	}
	return exitUsage, false
}

// usageError prints err, one line per joined error, and a pointer to the
// usage; it returns the exit status for bad usage.
func usageError(fs *flag.FlagSet, err error) int {
	for _, e := range flatten(err) {
		fmt.Fprintf(fs.Output(), "cwlog %s: %v\n", fs.Name(), e)
	}
	fmt.Fprintf(fs.Output(), "Run 'cwlog %s -h' for usage.\n", fs.Name())
	return exitUsage
}
