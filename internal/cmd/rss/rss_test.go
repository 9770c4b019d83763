package main

import (
	"os"
	"testing"
	"time"

	"github.com/cwlog/cwlog/core"
)

func TestMain(m *testing.M) {
	serveIfChild() // startChild runs the test binary again as the endpoint
	os.Exit(m.Run())
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"200", 200},
		{"200B", 200},
		{"64KiB", 64 << 10},
		{"8MiB", 8 << 20},
		{"1GiB", 1 << 30},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseSize(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("parseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			}
			if back, _ := parseSize(formatSize(got)); back != got {
				t.Fatalf("formatSize(%d) = %q does not parse back", got, formatSize(got))
			}
		})
	}
	for _, bad := range []string{"", "0", "-1", "1.5MiB", "8MB", "MiB", "2048GiB"} {
		if n, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", bad, n)
		}
	}
}

func TestParseLimit(t *testing.T) {
	for _, tc := range []struct {
		in     string
		buffer int64
		want   int64 // 0: unset
	}{
		{"unset", 64 << 20, 0},
		{"300MiB", 64 << 20, 300 << 20},
		{"1.5x+32MiB", 64 << 20, 128 << 20},
		{"1.5x+32MiB", 8 << 20, 44 << 20},
		{"1.5x+32MiB", 256 << 20, 416 << 20},
		{"2x", 64 << 20, 128 << 20},
	} {
		t.Run(tc.in, func(t *testing.T) {
			l, err := parseLimit(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			r := row{buffer: tc.buffer, limit: l}
			if got := r.limitBytes(); got != tc.want {
				t.Fatalf("limit for a %d-byte buffer: %d, want %d", tc.buffer, got, tc.want)
			}
		})
	}
	for _, bad := range []string{"x", "1.5x32MiB", "-1x", "1.5x+", "lots"} {
		if _, err := parseLimit(bad); err == nil {
			t.Errorf("parseLimit(%q): no error", bad)
		}
	}
}

func TestTableRows(t *testing.T) {
	tc := TableConfig{Buffers: "8MiB,64MiB", Sizes: "200", Limits: "unset,1.5x+32MiB", Policies: "DropNewest",
		Extra: "Block:64MiB:200:-garbage=50MiB"}
	rows, err := tc.rows()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows, want 6", len(rows))
	}
	if last := rows[5]; last.policy != "Block" || len(last.args) != 1 || last.args[0] != "-garbage=50MiB" || last.limitBytes() != 128<<20 {
		t.Fatalf("last row %+v", *last)
	}
}

// TestRun measures a small buffer under each policy and endpoint: the
// buffer must fill, what it held must all be delivered after the
// endpoint recovers, and the peaks must cover what was held.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("fills and drains a buffer")
	}
	for _, tc := range []struct {
		name   string
		policy core.FullPolicy
		inProc bool
	}{
		{"DropNewest/child", core.DropNewest, false},
		{"Block/in-process", core.Block, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const buffer = 2 << 20
			r, err := run(Config{
				Buffer: buffer, MsgSize: 200, Policy: tc.policy, Writers: 2, InProc: tc.inProc,
				Outage: Outage{Kind: "unavailable"}, Full: 200 * time.Millisecond, Cycles: 1,
				Garbage: 8 << 20,
			})
			if err != nil {
				t.Fatal(err)
			}
			if r.Held.PendingBytes+226 <= buffer || r.Held.PendingBytes > buffer {
				t.Errorf("held %d bytes when full; BufferLimit %d", r.Held.PendingBytes, buffer)
			}
			// Each writer may add one more as logging stops.
			if d := r.Final.Delivered; d < r.Held.Pending || d > r.Held.Pending+2 {
				t.Errorf("delivered %d, held %d when full", d, r.Held.Pending)
			}
			if r.PeakLive() < buffer || r.PeakRSS < r.Full.AtRSS.RSS || r.Full.AtRSS.RSS < buffer {
				t.Errorf("peak live heap %d, peak RSS %d (%d while full), for %d bytes held",
					r.PeakLive(), r.PeakRSS, r.Full.AtRSS.RSS, r.Held.PendingBytes)
			}
			if tc.policy == core.Block && r.Final.Dropped != 0 {
				t.Errorf("Block dropped %d", r.Final.Dropped)
			}
		})
	}
}
