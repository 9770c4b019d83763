package core

import "sync/atomic"

// Stats counts events, as sent to CloudWatch: a message split in several
// events counts as several. After Close returns,
// Added = Delivered + Rejected + Dropped.
type Stats struct {
	Added     uint64 // events given to Add before Close (not ErrClosed ones)
	Delivered uint64 // stored by CloudWatch
	Rejected  uint64 // refused for good: the sum of the Rejected* counts
	Dropped   uint64 // given up: DroppedFull + DroppedClose

	RejectedTooOld  uint64 // older than 14 days
	RejectedTooNew  uint64 // more than 2 hours ahead
	RejectedExpired uint64 // older than the group's retention
	RejectedInvalid uint64 // empty, before 1970, or refused by the service on its own

	DroppedFull  uint64 // dropped by the FullPolicy
	DroppedClose uint64 // not delivered when Close's context ended

	Split     uint64 // messages split because they exceeded MaxMessageBytes
	Truncated uint64 // messages truncated to MaxMessageBytes
	Batches   uint64 // successful PutLogEvents calls
	Retries   uint64 // failed calls that were retried
	Created   uint64 // log groups and streams the Shipper created (not retries)

	// AfterClose counts events refused with ErrClosed, Adds waiting under
	// Block included. They are not in Added; adapters that discard Add's
	// error, as slog's does, show them here.
	AfterClose uint64

	Pending      uint64 // events added and not yet settled
	PendingBytes uint64 // their size as CloudWatch counts it
}

// counters are the live statistics; added counts only the events Add
// refused, Shipper.enqueued (under Add's lock) the rest.
type counters struct {
	added, delivered                   atomic.Uint64
	tooOld, tooNew, expired, invalid   atomic.Uint64
	droppedFull, droppedClose          atomic.Uint64
	split, truncated, batches, retries atomic.Uint64
	afterClose, created                atomic.Uint64
}

func (c *counters) snapshot() Stats {
	st := Stats{
		Added:           c.added.Load(),
		Delivered:       c.delivered.Load(),
		RejectedTooOld:  c.tooOld.Load(),
		RejectedTooNew:  c.tooNew.Load(),
		RejectedExpired: c.expired.Load(),
		RejectedInvalid: c.invalid.Load(),
		DroppedFull:     c.droppedFull.Load(),
		DroppedClose:    c.droppedClose.Load(),
		Split:           c.split.Load(),
		Truncated:       c.truncated.Load(),
		Batches:         c.batches.Load(),
		Retries:         c.retries.Load(),
		AfterClose:      c.afterClose.Load(),
		Created:         c.created.Load(),
	}
	st.Rejected = st.RejectedTooOld + st.RejectedTooNew + st.RejectedExpired + st.RejectedInvalid
	st.Dropped = st.DroppedFull + st.DroppedClose
	return st
}
