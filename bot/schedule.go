package bot

import (
	"context"
	"time"
)

// scheduleEvery is how often Run looks for scheduled work: a digest is
// enqueued within a minute of its time.
const scheduleEvery = time.Minute

// Run does the core's scheduled work until ctx is done: a round at once,
// then one a minute. Sending is not part of it: the outbox worker sends
// what a round enqueues.
func (b *Bot) Run(ctx context.Context) error {
	ticker := time.NewTicker(scheduleEvery)
	defer ticker.Stop()
	for {
		if err := b.RunDue(ctx); err != nil && ctx.Err() == nil {
			b.log.Error("digests failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// RunDue does one round of the core's scheduled work: it enqueues the
// digests that are due, waking the outbox worker, and applies the retention
// period when it is set and a prune is due. It returns what failed of the
// digests; a failed prune is logged and tried again in a later round.
func (b *Bot) RunDue(ctx context.Context) error {
	err := b.sendDigests(ctx)
	b.prune(ctx)
	return err
}
