package codec

import (
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
