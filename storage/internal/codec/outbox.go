package codec

import (
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// How a delivery's result is recorded, as ResultUpdate names it.
const (
	RecordSent   = "sent"   // sent: keeps its key, status and platform message id
	RecordFailed = "failed" // a dead letter, with why
	RecordRetry  = "retry"  // pending again, one more attempt, due at the time given
	RecordBack   = "back"   // pending again, untried
)

// ResultUpdate names how r is recorded, and the time that goes with it:
// r.At, or now when it is zero.
func ResultUpdate(r bot.DeliveryResult, now time.Time) (kind string, at time.Time) {
	at = r.At
	if at.IsZero() {
		at = now
	}
	switch {
	case r.Status == bot.StatusSent:
		return RecordSent, at
	case r.Status == bot.StatusFailed:
		return RecordFailed, at
	case r.Attempted:
		return RecordRetry, at
	}
	return RecordBack, at
}

// KeyOrder returns the indexes of ds in the order of their keys, the order
// a fan-out writes them in: a notice's alerts fill their range of the key
// index from one end, and get ids in the order of their keys. A delivery
// is large, so its place is sorted rather than a copy of it.
func KeyOrder(ds []bot.Delivery) []int {
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ds[a].Key, ds[b].Key) })
	return order
}
