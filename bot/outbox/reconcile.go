package outbox

import (
	"context"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
)

// reconcileOnce reconciles the first time it is called on w and never
// again: what a crash left in flight is settled before the first new send,
// whether the worker is run or driven a round at a time. A failed attempt
// is tried again on the next call.
func (w *Worker) reconcileOnce(ctx context.Context) error {
	w.reconcileMu.Lock()
	defer w.reconcileMu.Unlock()
	if w.reconciled {
		return nil
	}
	if err := w.reconcile(ctx); err != nil {
		return err
	}
	w.reconciled = true
	return nil
}

// reconcile settles the deliveries a crash left between handing them to the
// platform and recording the outcome: one the platform says it has is
// sent; any other goes back to the queue — at least once, and, where the
// platform can tell, exactly once.
func (w *Worker) reconcile(ctx context.Context) error {
	left, err := w.store.Sending(ctx)
	if err != nil {
		return fmt.Errorf("outbox: reconcile: %w", err)
	}
	for _, d := range left {
		if r, ok := w.messengers[d.To.Platform].(bot.Reconciler); ok {
			id, found, err := r.Find(ctx, d.To, d.Key)
			if err != nil {
				w.log.Warn("reconcile: cannot ask the platform; sending again", "delivery", d.ID, "err", err)
			} else if found {
				if err := w.store.MarkSent(ctx, d.ID, w.clock.Now(), id); err != nil {
					return fmt.Errorf("outbox: reconcile delivery %d: %w", d.ID, err)
				}
				continue
			}
		}
		if err := w.store.Reschedule(ctx, d.ID, w.clock.Now(), "interrupted by a restart"); err != nil {
			return fmt.Errorf("outbox: reconcile delivery %d: %w", d.ID, err)
		}
	}
	if len(left) > 0 {
		w.log.Info("reconciled interrupted deliveries", "count", len(left))
	}
	return nil
}
