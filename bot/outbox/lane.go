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

// Interval is how far apart the lane's sends go: evenly spread, Per
// divided by Events, with no burst. A burst of Events at once and then
// one an interval would put up to 2×Events-1 sends in one Per (Discord's
// five at once in a channel, then four more within the next five
// seconds), and a platform that counts Events a window, as Discord's
// buckets do, refuses the ones over.
func (l Lane) Interval() time.Duration { return l.Rate.Per / time.Duration(l.Rate.Events) }

// Admit applies the lane's rate to a send at now: next is when the lane's
// next send may go (zero for a lane never used). Admit returns how long
// the send must wait (0: it may go now) and, when it may go, the lane's
// next time after it. One number per lane is all a store keeps.
func (l Lane) Admit(next, now time.Time) (wait time.Duration, after time.Time) {
	if next.Before(now) {
		next = now
	}
	if wait = next.Sub(now); wait > 0 {
		return wait, time.Time{}
	}
	return 0, next.Add(l.Interval())
}
