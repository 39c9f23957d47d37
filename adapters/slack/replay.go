package slack

import (
	"context"
	"sync"
	"time"
)

const (
	// requestReplayWindow is how long a request signature is remembered.
	// Slack's timestamps may be 5 minutes off either way, so after 10
	// minutes a replayed request is stale and refused for that.
	requestReplayWindow = 10 * time.Minute
	// eventReplayWindow is how long an event_id is remembered. Slack
	// redelivers an unacknowledged event three times within minutes.
	eventReplayWindow = time.Hour
	// maxRemembered bounds each memory; past it the oldest entry goes.
	maxRemembered = 10000
	// eventCheckTimeout bounds asking the store whether an event was
	// handled, well inside the 3 seconds Slack gives the acknowledgement.
	eventCheckTimeout = time.Second
)

// replayGuard remembers keys (request signatures, event IDs) for a window,
// to refuse the same one twice. It holds at most max keys. It is safe for
// concurrent use.
type replayGuard struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	seen  map[string]time.Time
	order []seenKey // oldest first
}

type seenKey struct {
	key string
	at  time.Time
}

func newReplayGuard(ttl time.Duration, max int, now func() time.Time) *replayGuard {
	return &replayGuard{ttl: ttl, max: max, now: now, seen: map[string]time.Time{}}
}

// firstSeen records key and reports whether it was new: false means it was
// seen within the window, a replay.
func (g *replayGuard) firstSeen(key string) bool {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.expire(now)
	if _, ok := g.seen[key]; ok {
		return false
	}
	for len(g.seen) >= g.max && len(g.order) > 0 {
		g.drop()
	}
	g.seen[key] = now
	g.order = append(g.order, seenKey{key: key, at: now})
	return true
}

// SeenRequest is firstSeen as a ReplayStore, for a Slack without a store:
// the key is kept for the guard's window whatever expires says.
func (g *replayGuard) SeenRequest(_ context.Context, key string, _, _ time.Time) (bool, error) {
	return g.firstSeen(key), nil
}

// expire drops the keys older than the window.
func (g *replayGuard) expire(now time.Time) {
	for len(g.order) > 0 && now.Sub(g.order[0].at) >= g.ttl {
		g.drop()
	}
}

// drop forgets the oldest entry.
func (g *replayGuard) drop() {
	oldest := g.order[0]
	g.order = g.order[1:]
	if at, ok := g.seen[oldest.key]; ok && at.Equal(oldest.at) {
		delete(g.seen, oldest.key)
	}
}
