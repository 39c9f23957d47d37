package outbox

import (
	"context"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// pace reserves a send to s under its platform's rate limits; it returns 0
// when the send may go now, else how long until it may, noting when to wake.
// On a store that keeps the limits (Lanes) they are shared with every
// worker on it; otherwise this worker keeps them alone.
func (w *Worker) pace(ctx context.Context, s bot.Subscriber) time.Duration {
	paced, ok := w.messengers[s.Platform].(bot.Paced)
	if !ok {
		return 0
	}
	now := w.clock.Now()
	var wait time.Duration
	if w.lanes != nil {
		var err error
		if wait, err = w.lanes.TakeLanes(ctx, lanesFor(s, paced.RateLimits()), now); err != nil {
			// Sending blind could draw 429s for every replica: hold the
			// conversation back until the store answers again.
			w.log.Warn("shared platform limits unreadable: holding the conversation back", "to", s.Key(), "err", err)
			wait = lanesRetry
		}
	} else {
		wait = w.pacer.reserve(s, paced.RateLimits(), now)
	}
	if wait > 0 {
		w.mu.Lock()
		if w.paceUntil.IsZero() || now.Add(wait).Before(w.paceUntil) {
			w.paceUntil = now.Add(wait)
		}
		w.mu.Unlock()
	}
	return wait
}

// sharesLanes reports whether sends to s keep under limits shared with
// other workers (a Lanes store and a paced platform).
func (w *Worker) sharesLanes(s bot.Subscriber) bool {
	_, paced := w.messengers[s.Platform].(bot.Paced)
	return paced && w.lanes != nil
}

// pacer keeps every lane's next send time in memory, for a worker whose
// store does not keep them: the same rule (Lane.Admit) as a store's.
type pacer struct {
	mu   sync.Mutex
	next map[string]time.Time // lane name → when its next send may go
}

func newPacer() *pacer { return &pacer{next: map[string]time.Time{}} }

// reserve counts a send to s at now in every lane it needs and returns 0,
// or, when one lane has no room yet, counts nothing and returns how long
// until it has.
func (p *pacer) reserve(s bot.Subscriber, limits bot.RateLimits, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	lanes := lanesFor(s, limits)
	afters := make([]time.Time, len(lanes))
	var wait time.Duration
	for i, l := range lanes {
		var w time.Duration
		w, afters[i] = l.Admit(p.next[l.Name], now)
		wait = max(wait, w)
	}
	if wait > 0 {
		return wait
	}
	for i, l := range lanes {
		p.next[l.Name] = afters[i]
	}
	return 0
}
