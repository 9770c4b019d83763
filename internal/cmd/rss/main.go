// Command rss measures the memory a process needs while a Shipper's
// buffer is full: CloudWatch Logs down or slow, the program logging as
// fast as it can. It starts the local endpoint of package cwlogtest
// failing, logs until the buffer has been full for a while (-full, and
// -cycles garbage collections), lets the endpoint recover and closes the
// Shipper, which must deliver everything it held. It then prints the peak
// RSS (VmHWM), the peak Go heap (runtime/metrics) and their ratio to
// BufferLimit, the peak of each phase, and the collector's share of the
// CPU while the buffer was full.
//
// Peak RSS is the process's, so each configuration needs a process of its
// own. The runtime reads GOMEMLIMIT and GOGC from the environment, as in
// any Go program:
//
//	go run ./internal/cmd/rss -buffer 64MiB -msgsize 200
//	GOMEMLIMIT=128MiB go run ./internal/cmd/rss -buffer 64MiB -msgsize 64KiB
//
// With -table it runs a matrix of configurations, each -runs times in a
// process of its own (this program again), with GOMEMLIMIT unset and set
// by -limits, and prints a Markdown table of the median and largest of
// each figure:
//
//	go run ./internal/cmd/rss -table
//
// It runs on Linux, where /proc gives the RSS.
//
// The endpoint runs in a child process by default, as CloudWatch runs
// outside the application, so that the figures are the Shipper's and the
// SDK client's; -inprocess runs it in the measured process instead. It
// keeps nothing it is sent.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cwlog/cwlog/core"
)

func main() {
	serveIfChild()

	var cfg Config
	buffer := sizeFlag(64 << 20)
	msgSize := sizeFlag(200)
	flag.Var(&buffer, "buffer", "BufferLimit, in bytes or with a KiB, MiB or GiB suffix")
	flag.Var(&msgSize, "msgsize", "bytes per message, in bytes or with a KiB or MiB suffix (at least 32)")
	policy := flag.String("policy", "DropNewest", "FullPolicy: DropNewest, DropOldest or Block")
	flag.IntVar(&cfg.Writers, "writers", 2, "goroutines logging in a loop")
	flag.Float64Var(&cfg.Rate, "rate", 0, "messages a second, all writers together; 0 for as fast as they can")
	garbage := sizeFlag(0)
	flag.Var(&garbage, "garbage", "bytes a second allocated and dropped by another goroutine, standing for the rest of the application; 0 for none")
	flag.BoolVar(&cfg.InProc, "inprocess", false, "run the endpoint in this process instead of a child process")
	flag.StringVar(&cfg.Outage.Kind, "outage", "unavailable", "until it recovers, the endpoint answers every PutLogEvents with 503 (unavailable), never (hang: each call ends at -calltimeout) or late (slow: -latency late, then stored)")
	flag.DurationVar(&cfg.Outage.Latency, "latency", 2*time.Second, "how late each call is answered under -outage slow")
	flag.DurationVar(&cfg.Timeout, "calltimeout", 0, "the Shipper's CallTimeout; 0 for its default")
	flag.DurationVar(&cfg.Full, "full", 5*time.Second, "how long to go on logging once the buffer is full")
	flag.IntVar(&cfg.Cycles, "cycles", 5, "and at least this many garbage collections meanwhile, for at most 4 times -full")
	flag.StringVar(&cfg.HeapProf, "heapprofile", "", "write a heap profile to this file at the end of the full phase")
	asJSON := flag.Bool("json", false, "print the result as one line of JSON")

	table := flag.Bool("table", false, "run the matrix of -buffers, -sizes and -limits, each -runs times in a process of its own, and print a table")
	var tc TableConfig
	flag.StringVar(&tc.Buffers, "buffers", "8MiB,64MiB,256MiB", "with -table: the BufferLimits")
	flag.StringVar(&tc.Sizes, "sizes", "200,64KiB", "with -table: the message sizes")
	flag.StringVar(&tc.Limits, "limits", "unset,1.5x+32MiB", "with -table: GOMEMLIMIT values: unset, a size, or AxBufferLimit+size")
	flag.StringVar(&tc.Policies, "policies", "DropNewest", "with -table: the FullPolicies of the matrix")
	flag.StringVar(&tc.Extra, "extra", "Block:64MiB:200:-garbage=50MiB", "with -table: more rows, policy:buffer:size[:flag...], each with every -limits value")
	flag.IntVar(&tc.Runs, "runs", 3, "with -table: runs of each configuration")
	flag.Parse()

	if *table {
		tc.Args = passThrough()
		if err := runTable(os.Stdout, os.Stderr, tc); err != nil {
			fmt.Fprintln(os.Stderr, "rss:", err)
			os.Exit(1)
		}
		return
	}
	cfg.Buffer, cfg.MsgSize, cfg.Garbage = int(buffer), int(msgSize), float64(garbage)
	p, err := parsePolicy(*policy)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rss:", err)
		os.Exit(2)
	}
	cfg.Policy = p
	if _, err := cfg.Outage.fault(); err != nil {
		fmt.Fprintln(os.Stderr, "rss:", err)
		os.Exit(2)
	}
	r, err := run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rss:", err)
		os.Exit(1)
	}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	report(os.Stdout, r)
}

func parsePolicy(s string) (core.FullPolicy, error) {
	for _, p := range []core.FullPolicy{core.DropNewest, core.DropOldest, core.Block} {
		if s == p.String() {
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown policy %q: want DropNewest, DropOldest or Block", s)
}

// passThrough returns the flags given that each run of a table takes as
// they are.
func passThrough() []string {
	var args []string
	flag.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "writers", "rate", "garbage", "inprocess", "outage", "latency", "calltimeout", "full", "cycles":
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
	})
	return args
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// report prints r for a reader.
func report(w io.Writer, r *Result) {
	limit := "unset"
	if r.MemLimit > 0 {
		limit = fmt.Sprintf("%.1f MiB", mib(uint64(r.MemLimit)))
	}
	rate := "as fast as they can"
	if r.Rate > 0 {
		rate = fmt.Sprintf("%.0f messages/s", r.Rate)
	}
	if r.Garbage > 0 {
		rate += fmt.Sprintf(", %.0f MiB/s of other garbage", r.Garbage/(1<<20))
	}
	fmt.Fprintf(w, "BufferLimit %.1f MiB, %d-byte messages, %s, %d writers (%s); endpoint %s, %s; GOMEMLIMIT %s, GOGC %d\n",
		mib(uint64(r.Buffer)), r.MsgSize, r.Policy, r.Writers, rate, r.Endpoint, r.Outage, limit, r.GOGC)
	fmt.Fprintf(w, "peak RSS      %7.1f MiB  %.2fx BufferLimit (%.1f MiB before the Shipper: %.2fx above that)\n",
		mib(r.PeakRSS), r.Ratio(), mib(r.Baseline), r.Growth())
	fmt.Fprintf(w, "peak Go heap  %7.1f MiB  %.2fx (live at most %.1f MiB, %.2fx)\n",
		mib(r.PeakHeap()), float64(r.PeakHeap())/float64(r.Buffer), mib(r.PeakLive()), float64(r.PeakLive())/float64(r.Buffer))
	fmt.Fprintf(w, "held when full: %d events, %.1f MiB counted\n", r.Held.Pending, mib(r.Held.PendingBytes))
	fmt.Fprintf(w, "\n%-6s %8s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n", "phase", "time", "RSS", "heap", "unused", "free", "runtime", "other", "max heap", "max live", "max goal")
	for _, ph := range []struct {
		name string
		d    time.Duration
		p    Peak
	}{{"fill", r.FillTime, r.Fill}, {"full", r.FullTime, r.Full}, {"drain", r.DrainTime, r.Drain}} {
		m := ph.p.AtRSS
		fmt.Fprintf(w, "%-6s %7.1fs %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f\n", ph.name, ph.d.Seconds(),
			mib(m.RSS), mib(m.Heap), mib(m.Unused), mib(m.Free), mib(m.Runtime), mib(m.RSS)-mib(m.Mapped), mib(ph.p.Heap), mib(ph.p.Live), mib(ph.p.Goal))
	}
	fmt.Fprintf(w, "(MiB; RSS to other at the phase's highest RSS sample; other = RSS - what the runtime holds: the binary, C memory)\n\n")
	sec := r.FullTime.Seconds()
	fmt.Fprintf(w, "while full: %d collections, GC %.1f%% of the CPU used (%.2f of %.2f CPU-seconds; %.0f ms a second); the process used %.0f ms of CPU a second\n",
		r.FullCPU.Cycles, 100*r.FullCPU.GCFraction(), r.FullCPU.GC, r.FullCPU.Busy, 1000*r.FullCPU.GC/sec, 1000*r.FullCPU.Process/sec)
	f := r.Final
	fmt.Fprintf(w, "added %d, delivered %d, dropped %d (full %d), batches %d, retries %d, reports %d\n",
		f.Added, f.Delivered, f.Dropped, f.DroppedFull, f.Batches, f.Retries, r.Errors)
}
