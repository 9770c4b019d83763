package core

import (
	"cmp"
	"slices"
)

// limits are what batches are cut by: the service's, or lower ones.
type limits struct {
	bytes  int   // message bytes + 26 per event
	events int   // events per batch
	span   int64 // newest - oldest, in milliseconds
}

// sortEntries orders entries stably by time; they usually arrive in order.
func sortEntries(es []entry) {
	if !slices.IsSortedFunc(es, compareTime) {
		slices.SortStableFunc(es, compareTime)
	}
}

func compareTime(a, b entry) int { return cmp.Compare(a.ts, b.ts) }

// cutBatch returns how many of the sorted entries es fit in the next batch:
// at least 1, even one over lim (after shrink), when es is not empty.
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
