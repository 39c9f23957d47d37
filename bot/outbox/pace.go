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

// pacer holds a token bucket per conversation and per platform.
type pacer struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newPacer() *pacer { return &pacer{buckets: map[string]*bucket{}} }

// reserve takes a token from every bucket a send to s needs and returns 0,
// or, when one is empty, takes nothing and returns how long until it has a
// token.
func (p *pacer) reserve(s bot.Subscriber, limits bot.RateLimits, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	lanes := lanesFor(s, limits)
	var wait time.Duration
	for _, l := range lanes {
		wait = max(wait, p.bucket(l.Name, l.Rate, now).until(l.Rate))
	}
	if wait > 0 {
		return wait
	}
	for _, l := range lanes {
		p.buckets[l.Name].tokens--
	}
	return 0
}

// bucket returns the bucket for key, refilled up to now.
func (p *pacer) bucket(key string, r bot.Rate, now time.Time) *bucket {
	b, ok := p.buckets[key]
	if !ok {
		b = &bucket{tokens: float64(r.Events), last: now}
		p.buckets[key] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(float64(r.Events), b.tokens+elapsed.Seconds()*float64(r.Events)/r.Per.Seconds())
		b.last = now
	}
	return b
}

// until is how long until the bucket holds a whole token.
func (b *bucket) until(r bot.Rate) time.Duration {
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(r.Per) / float64(r.Events))
}
