// Package sdklog holds what the adapters' loggers for the AWS SDK share.
package sdklog

import "github.com/aws/smithy-go/logging"

// Level returns the level of an SDK message of class: warn, debug, or info
// for any other class.
func Level[L any](class logging.Classification, warn, debug, info L) L {
	switch class {
	case logging.Warn:
		return warn
	case logging.Debug:
		return debug
	}
	return info
}
