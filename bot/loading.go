package bot

import "sync"

// loading tracks the first poll of each feed known at start. Until every one
// has been polled, previews of new profiles wait: otherwise a subscriber on a
// fresh install would see "nothing matches yet" for a profile that matches
// plenty.
type loading struct {
	mu        sync.Mutex
	pending   map[int64]bool   // feeds not yet polled once
	deferring bool             // previews wait for the first round
	waiting   []pendingPreview // previews that wait
	done      chan struct{}    // closed once the waiting previews are enqueued
	closeOnce sync.Once
}

// pendingPreview is a new profile whose preview waits for the first round.
type pendingPreview struct {
	profile Profile
	query   Query
}

func newLoading() *loading {
	return &loading{pending: map[int64]bool{}, deferring: true, done: make(chan struct{})}
}

// expect records the feeds whose first poll is awaited. With none, loading
// is over at once.
func (l *loading) expect(feedIDs []int64) (over bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range feedIDs {
		l.pending[id] = true
	}
	if len(l.pending) == 0 {
		l.deferring = false
		return true
	}
	return false
}

// deferPreview keeps p's preview for later and reports true while the first
// round is still running; after it, it reports false and the caller shows
// the preview at once.
func (l *loading) deferPreview(p pendingPreview) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.deferring {
		return false
	}
	l.waiting = append(l.waiting, p)
	return true
}

// polled records a finished poll of a feed. When it completes the first
// round it returns the previews that waited, and ends deferring: the caller
// enqueues them and then calls finish.
func (l *loading) polled(feedID int64) (previews []pendingPreview, roundOver bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.pending, feedID)
	if !l.deferring || len(l.pending) > 0 {
		return nil, false
	}
	l.deferring = false
	previews, l.waiting = l.waiting, nil
	return previews, true
}

// finish marks loading over: waiters on done proceed.
func (l *loading) finish() {
	l.closeOnce.Do(func() { close(l.done) })
}

// Loaded is closed once every feed known at start has been polled once and
// the previews that waited for it are enqueued: until then, an empty outbox
// does not mean that nothing is coming.
func (b *Bot) Loaded() <-chan struct{} { return b.loading.done }

// over reports whether loading has finished.
func (l *loading) over() bool {
	select {
	case <-l.done:
		return true
	default:
		return false
	}
}
