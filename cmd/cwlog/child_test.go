package main

import (
	"fmt"
	"os"
)

// childModes are what this test binary does when cwlog run runs it, by the
// value of childEnv; each returns the exit code.
var childModes = map[string]func() int{
	// both writes to standard output and error, the last line of each
	// unfinished, and exits 3.
	"both": func() int {
		fmt.Fprintln(os.Stdout, "out 1")
		fmt.Fprintln(os.Stderr, "err 1")
		fmt.Fprintln(os.Stdout, `{"level":"info","msg":"json stays json","n":1}`)
		fmt.Fprintln(os.Stderr, "err 2")
		fmt.Fprint(os.Stderr, "err unfinished")
		fmt.Fprint(os.Stdout, "out unfinished")
		return 3
	},
}

// bothStdout and bothStderr are what mode "both" writes to each.
const (
	bothStdout = "out 1\n{\"level\":\"info\",\"msg\":\"json stays json\",\"n\":1}\nout unfinished"
	bothStderr = "err 1\nerr 2\nerr unfinished"
)
