package core

import (
	"cmp"
	"slices"
)

// limits are the batch limits a Shipper cuts by: the service's, or lower
// ones from Config.
type limits struct {
	bytes  int   // message bytes + 26 per event
	events int   // events per batch
	span   int64 // newest - oldest, in milliseconds
}

// sortEntries orders entries by time, keeping arrival order among equal
// times. Entries usually arrive in order, so the check avoids the sort.
func sortEntries(es []entry) {
	if slices.IsSortedFunc(es, compareTime) {
		return
	}
	slices.SortStableFunc(es, compareTime)
}

func compareTime(a, b entry) int { return cmp.Compare(a.ts, b.ts) }

// cutBatch returns how many of the sorted entries es make up the next
// batch: as many as fit within lim. It is at least 1 when es is not empty,
// because every entry alone fits (Add guarantees it).
func cutBatch(es []entry, lim limits) int {
	if len(es) == 0 {
		return 0
	}
	first := es[0].ts
	size := 0
	n := 0
	for n < len(es) && n < lim.events {
		e := &es[n]
		if e.ts-first > lim.span {
			break
		}
		s := e.size()
		if size+s > lim.bytes {
			break
		}
		size += s
		n++
	}
	if n == 0 {
		n = 1
	}
	return n
}
