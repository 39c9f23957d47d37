package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// nopMessenger sends at once and says nothing. It is not bot.Paced, so the
// worker holds nothing back to keep under a platform's rate limits.
type nopMessenger struct{}

// Send returns at once.
func (nopMessenger) Send(context.Context, bot.Subscriber, bot.Message) (string, error) {
	return "", nil
}

// sendCounter counts the deliveries the worker recorded as sent.
type sendCounter struct{ sent atomic.Int64 }

// Delivered counts an attempt that went out.
func (c *sendCounter) Delivered(_ bot.Platform, outcome string) {
	if outcome == bot.OutcomeSent {
		c.sent.Add(1)
	}
}

// measureDrain has the outbox worker deliver until nothing is due at its
// clock, fanoutDrainAt, when every alert held through quiet hours is due
// too, or until --drain-for has passed: the worker's claim of due
// deliveries slows as the outbox fills, and a full drain of a large run
// would take far longer than its ingest. It times the rounds and counts
// what was sent.
func (r *fanout) measureDrain(ctx context.Context, rep *fanoutReport, progress func(string, ...any)) error {
	drainCtx, cancel := ctx, context.CancelFunc(func() {})
	if r.cfg.drainFor > 0 {
		drainCtx, cancel = context.WithTimeout(ctx, r.cfg.drainFor)
	}
	defer cancel()
	platforms := []bot.Platform{bot.PlatformConsole}
	began := time.Now()
	stopped := false
	for {
		sent0 := r.sent.sent.Load()
		err := r.worker.DeliverDue(drainCtx)
		if drainCtx.Err() != nil && ctx.Err() == nil {
			stopped = true // out of time: the rest stays pending
			break
		}
		if err != nil {
			return fmt.Errorf("bench fanout: drain: %w", err)
		}
		next, ok, err := r.store.NextDue(ctx, platforms, fanoutDrainAt)
		if err != nil {
			return fmt.Errorf("bench fanout: drain: %w", err)
		}
		if !ok || next.After(fanoutDrainAt) || r.sent.sent.Load() == sent0 {
			break // nothing left due, or a round that sent nothing: what failed waits for a retry
		}
	}
	rep.drain = time.Since(began)
	rep.sent = int(r.sent.sent.Load())
	note := ""
	if stopped {
		note = fmt.Sprintf(" (stopped after --drain-for %s; %d left pending)", r.cfg.drainFor, rep.deliveries-rep.sent)
	}
	progress("drain: %d of %d deliveries sent in %.1f s%s", rep.sent, rep.deliveries, rep.drain.Seconds(), note)
	return nil
}
