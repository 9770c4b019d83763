package core

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// ensureStream creates what a call found missing (missingErr is its error):
// the stream, and the group first if that is missing too. It returns the
// failed call's name and error, a *SetupError when the fix is the user's:
// a Skip flag forbids creating what is missing, or the call was denied.
func (s *Shipper) ensureStream(missingErr error) (string, error) {
	if !groupMissing(missingErr) {
		if s.cfg.SkipCreateStream {
			return "PutLogEvents", s.missing(false, missingErr)
		}
		err := s.counted(s.createStream(s.ctx))
		if classify(err) != notFound {
			return "CreateLogStream", s.diagnosed("CreateLogStream", err)
		}
		missingErr = err // the group is missing too
	}
	if s.cfg.SkipCreateGroup {
		return "PutLogEvents", s.missing(true, missingErr)
	}
	if err := s.counted(s.createGroup(s.ctx)); err != nil {
		return "CreateLogGroup", s.diagnosed("CreateLogGroup", err)
	}
	if s.cfg.SkipCreateStream {
		return "PutLogEvents", s.missing(false, missingErr)
	}
	return "CreateLogStream", s.diagnosed("CreateLogStream", s.counted(s.createStream(s.ctx)))
}

// groupMissing tells, from a ResourceNotFoundException's message ("The
// specified log group does not exist."), that the group is missing, not
// only the stream.
func groupMissing(err error) bool {
	return strings.Contains(err.Error(), "log group does not exist")
}

// missing is the error for a group or stream that does not exist while a
// Skip flag forbids creating it.
func (s *Shipper) missing(group bool, err error) *SetupError {
	g, st := shellQuote(s.cfg.LogGroup), shellQuote(s.cfg.LogStream)
	if group {
		fix := "create it (aws logs create-log-group --log-group-name " + g + ") or unset SkipCreateGroup"
		if s.cfg.SkipCreateStream {
			fix = "create it and the stream (aws logs create-log-group --log-group-name " + g +
				" && aws logs create-log-stream --log-group-name " + g + " --log-stream-name " + st +
				") or unset SkipCreateGroup and SkipCreateStream"
		}
		return &SetupError{Op: "PutLogEvents", Err: err,
			Cause: "log group " + s.cfg.LogGroup + " does not exist and SkipCreateGroup is set", Fix: fix}
	}
	return &SetupError{Op: "PutLogEvents", Err: err,
		Cause: "log stream " + s.cfg.LogStream + " does not exist in log group " + s.cfg.LogGroup + " and SkipCreateStream is set",
		Fix:   "create it (aws logs create-log-stream --log-group-name " + g + " --log-stream-name " + st + ") or unset SkipCreateStream"}
}

// diagnosed is err, or its *SetupError when it will not end by itself.
func (s *Shipper) diagnosed(op string, err error) error {
	if setup := s.diagnose(op, err); setup != nil {
		return setup
	}
	return err
}

// shellQuote quotes name for a POSIX shell when it needs it.
func shellQuote(name string) string {
	if name != "" && strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") == "" {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", `'\''`) + "'"
}

// counted counts in Stats.Created what a create call made.
func (s *Shipper) counted(created bool, err error) error {
	if created {
		s.stats.created.Add(1)
	}
	return err
}

// createStream creates the stream within ctx and CallTimeout; it reports
// whether it made it (not: it was there already).
func (s *Shipper) createStream(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	_, err := s.cfg.Client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{
		LogGroupName:  &s.cfg.LogGroup,
		LogStreamName: &s.cfg.LogStream,
	}, s.callOptions)
	return err == nil, ignoreExists(err)
}

// createGroup creates the group within ctx and CallTimeout, with its
// retention; it reports whether it made it.
func (s *Shipper) createGroup(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	in := &cloudwatchlogs.CreateLogGroupInput{LogGroupName: &s.cfg.LogGroup, Tags: s.cfg.GroupTags, LogGroupClass: s.cfg.LogGroupClass}
	if s.cfg.KMSKeyID != "" {
		in.KmsKeyId = &s.cfg.KMSKeyID
	}
	_, err := s.cfg.Client.CreateLogGroup(ctx, in, s.callOptions)
	if err != nil {
		return false, ignoreExists(err)
	}
	if s.cfg.RetentionDays != 0 {
		_, err := s.cfg.Client.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{
			LogGroupName:    &s.cfg.LogGroup,
			RetentionInDays: aws.Int32(s.cfg.RetentionDays),
		}, s.callOptions)
		if err != nil {
			// Logs can flow: worth a report, not a stall.
			s.rep.report(fmt.Errorf("cwlog: PutRetentionPolicy on new log group %s: %s", s.cfg.LogGroup, errorText(s.diagnosed("PutRetentionPolicy", err))))
		}
	}
	return true, nil
}

func ignoreExists(err error) error {
	var e *types.ResourceAlreadyExistsException
	if errors.As(err, &e) {
		return nil
	}
	return err
}
