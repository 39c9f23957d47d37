package outbox

import (
	"context"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/lease"
)

// reconcileOnce reconciles the first time it is called on w and never
// again: what a crash left in flight is settled before the first new send,
// whether the worker is run or driven a round at a time. A failed attempt
// is tried again on the next call. On a Claimer what is left sending may
// be another worker's send in flight: each round takes over only the
// claims whose lease ran out (takeOver), and there is nothing to do here.
func (w *Worker) reconcileOnce(ctx context.Context) error {
	if w.claimer != nil {
		return nil
	}
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
	return w.settle(ctx, left, "interrupted by a restart")
}

// takeOver takes over the claims of workers whose lease ran out, and
// settles them as a restart settles what a crash left.
func (w *Worker) takeOver(ctx context.Context, platforms []bot.Platform) error {
	now := w.clock.Now()
	left, err := w.claimer.TakeOver(ctx, w.owner, platforms, now, now.Add(w.lease))
	if err != nil {
		return fmt.Errorf("outbox: take over expired claims: %w", err)
	}
	return w.settle(ctx, left, "its worker's lease ran out")
}

// settle settles deliveries that were being sent when their worker stopped:
// one the platform says it has is sent; any other goes back to the queue,
// due now, with why.
func (w *Worker) settle(ctx context.Context, left []bot.Delivery, why string) error {
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
		if err := w.store.Reschedule(ctx, d.ID, w.clock.Now(), why); err != nil {
			return fmt.Errorf("outbox: reconcile delivery %d: %w", d.ID, err)
		}
	}
	if len(left) > 0 {
		w.log.Info("reconciled interrupted deliveries", "count", len(left), "why", why)
	}
	return nil
}

// defaultOwner names this process in its leases, as every lease of the
// bot does.
func defaultOwner() string { return lease.NewOwner() }
