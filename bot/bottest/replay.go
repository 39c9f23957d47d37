package bottest

import (
	"context"
	"sync"
	"time"
)

// Replays is a bot.ReplayStore in memory, for adapter tests that start a
// chat twice on one memory, as a restart finds the store. The zero value is
// empty and ready.
type Replays struct {
	mu   sync.Mutex
	seen map[string]time.Time // key → expiry
}

// SeenRequest records key until expires and reports whether it was fresh at
// at.
func (r *Replays) SeenRequest(_ context.Context, key string, at, expires time.Time) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if until, ok := r.seen[key]; ok && at.Before(until) {
		return false, nil
	}
	if r.seen == nil {
		r.seen = map[string]time.Time{}
	}
	r.seen[key] = expires
	return true, nil
}

// Len returns how many keys are remembered.
func (r *Replays) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}
