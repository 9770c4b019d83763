package slogcw

import "github.com/cwlog/cwlog/internal/jsonenc"

// appendQuoted appends s as a JSON string, escaped as slog's JSON handler
// does (jsonenc.Slog).
func appendQuoted(buf []byte, s string) []byte { return jsonenc.Slog.Append(buf, s) }
