package outbox

import (
	"context"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Lane is one platform limit a send counts against: its conversation's,
// or its platform's in all.
type Lane struct {
	Name string // "conversation:" and the subscriber's key, or "platform:" and the platform
	Rate bot.Rate
}

// Lanes is a Store that keeps the platforms' limits for every worker on
// it, so that replicas sharing one bot token keep under the limits
// together instead of each on its own. storage/postgres.Store implements
// it; a worker on a store that does not keeps them in its own memory.
type Lanes interface {
	// TakeLanes counts one send at now in every lane, all or none: it
	// returns 0 when the send may go now, and counts it; otherwise how
	// long until it may, and counts nothing.
	TakeLanes(ctx context.Context, lanes []Lane, now time.Time) (time.Duration, error)
}

// lanesFor lists the lanes a send to s counts against under limits: the
// ones with a rate.
func lanesFor(s bot.Subscriber, limits bot.RateLimits) []Lane {
	lanes := make([]Lane, 0, 2)
	for _, l := range []Lane{
		{"conversation:" + s.Key(), limits.PerConversation},
		{"platform:" + string(s.Platform), limits.Global},
	} {
		if l.Rate.Events > 0 && l.Rate.Per > 0 {
			lanes = append(lanes, l)
		}
	}
	return lanes
}

// Admit applies the lane's rate to a send at now, as a generic cell rate
// algorithm: next is when the lane's sends so far would have been spread
// evenly to (zero for a lane never used), and a send may go as long as
// that lies no more than a burst ahead of now. Admit returns how long the
// send must wait (0: it may go now) and, when it may go, the lane's next
// time after it. One number per lane is all a store keeps.
func (l Lane) Admit(next, now time.Time) (wait time.Duration, after time.Time) {
	interval := l.Rate.Per / time.Duration(l.Rate.Events)
	burst := l.Rate.Per - interval // Events sends at once, then one an interval
	if next.Before(now) {
		next = now
	}
	if wait = next.Sub(now) - burst; wait > 0 {
		return wait, time.Time{}
	}
	return 0, next.Add(interval)
}
