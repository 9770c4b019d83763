// Package jsonenc writes JSON strings and numbers exactly as a given
// ecosystem's own encoder does, for the adapters that render records
// themselves and must match, byte for byte, what that ecosystem's handler
// or formatter would write.
package jsonenc
