// Package sdklog holds what the adapters' loggers for the AWS SDK share.
package sdklog

import "github.com/aws/smithy-go/logging"

// Level returns the level an adapter logs an SDK message of class at:
// warn for logging.Warn, debug for logging.Debug, info for anything else.
func Level[L any](class logging.Classification, warn, debug, info L) L {
	switch class {
	case logging.Warn:
		return warn
	case logging.Debug:
		return debug
	}
	return info
}
