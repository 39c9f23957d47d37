package slack

import (
	"context"
	"sync"
	"time"
)

// tasks are the goroutines Run owns: the work requests start after they are
// acknowledged. A task may only start while Run runs.
type tasks struct {
	mu  sync.Mutex
	ctx context.Context // nil while Run is not running
	wg  sync.WaitGroup
}

// taskTimeout bounds one task, so a stuck call cannot hold shutdown.
const taskTimeout = time.Minute

func (t *tasks) start(ctx context.Context) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ctx = ctx
}

// spawn runs fn in a new goroutine owned by Run; it reports false, and runs
// nothing, when Run is not running.
func (t *tasks) spawn(fn func(ctx context.Context)) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ctx == nil {
		return false
	}
	ctx := t.ctx
	t.wg.Go(func() {
		ctx, cancel := context.WithTimeout(ctx, taskTimeout)
		defer cancel()
		fn(ctx)
	})
	return true
}

// stop refuses new tasks and waits for those running.
func (t *tasks) stop() {
	t.mu.Lock()
	t.ctx = nil
	t.mu.Unlock()
	t.wg.Wait()
}
