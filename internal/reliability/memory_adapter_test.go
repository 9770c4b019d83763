package reliability

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cwlog/cwlog/core"
	"github.com/cwlog/cwlog/internal/shiptest"
	"github.com/cwlog/cwlog/slogcw"
)

// TestMemoryBoundedThroughAnAdapter logs three buffers' worth through
// slogcw while the endpoint is down, from two goroutines. The adapters
// copy each record into shared 32 KiB blocks before the Shipper decides
// whether to keep it, so a dropped record's copy takes room in a block
// that queued records may keep alive. The heap must still stay within the
// bound of the other memory tests (heldBound): a record's copy takes its
// bytes exactly, and with the queue's entry 2 bytes less than its count,
// so nothing is added per event; the blocks being filled and those
// straddling the front of the queue are in memMisc.
//
// It used to fail about one full run in three on a loaded machine, with
// the heap 11.5 MiB above its baseline against a bound of 12, for two
// reasons besides the events. The batch stuck retrying is whatever was
// queued when the worker first woke, 10 ms after the first record: a few
// hundred records when the machine is idle, a full 1 MiB batch when the
// writers ran ahead or the worker woke late; a full one costs its encoded
// body, kept for the next attempt (1.3 MiB); that is now in the bound
// (see memRetried), and samples taken during a retry no longer count as
// held.
func TestMemoryBoundedThroughAnAdapter(t *testing.T) {
	for _, policy := range []core.FullPolicy{core.DropNewest, core.DropOldest} {
		t.Run(policy.String(), func(t *testing.T) {
			srv, s, base := downEndpoint(t, policy)
			log := slog.New(slogcw.NewHandler(s, nil))
			text := strings.Repeat("x", 120) // a record of about memMessage bytes
			perWriter := 3 * memLimit / (memMessage + 26) / 2
			shiptest.Concurrently(2, func(w int) {
				for i := range perWriter {
					log.LogAttrs(context.Background(), slog.LevelInfo, text,
						slog.Int("writer", w), slog.Int("i", i), slog.String("path", "/api/v1/items"))
				}
			})
			st := s.Stats()
			if st.DroppedFull == 0 {
				t.Fatalf("nothing dropped: the buffer never filled (stats %+v)", st)
			}
			if st.PendingBytes > memLimit {
				t.Errorf("%d bytes pending, above BufferLimit %d", st.PendingBytes, memLimit)
			}
			growth, peak := heapGrowth(t, base)
			checkHeld(t, st, growth, 0)
			t.Logf("%v: %d events held (%.2f MiB counted), heap +%.2f MiB (%.2fx counted, bound %.2f MiB), +%.2f MiB with a retry in flight; %d dropped",
				policy, st.Pending, mib(int64(st.PendingBytes)), mib(growth), float64(growth)/float64(st.PendingBytes), mib(heldBound(st, 0)), mib(peak), st.DroppedFull)

			srv.ClearFaults()
			shiptest.Close(t, s)
			st = s.Stats()
			checkBalanced(t, st)
			if got := srv.EventCount(group, stream); uint64(got) != st.Delivered || st.Added != uint64(2*perWriter) {
				t.Errorf("stored %d, Delivered %d, Added %d of %d", got, st.Delivered, st.Added, 2*perWriter)
			}
		})
	}
}
