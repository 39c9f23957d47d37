package bot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"
)

const (
	dispatchBatch     = 50
	maxSendAttempts   = 8
	firstRetryBackoff = 30 * time.Second
	maxRetryBackoff   = time.Hour
	idleCheckInterval = 20 * time.Millisecond
	idleHorizon       = time.Minute
)

// Run delivers due deliveries through the messengers until ctx is done. It
// wakes when something is enqueued and when the next delivery falls due. A
// send the platform rate-limits is rescheduled by its retry-after, never
// dropped and never slept on. When ctx ends, the send in flight gets the
// send grace to finish and be recorded; nothing new is begun, and what is
// left stays in the outbox for the next start.
func (b *Bot) Run(ctx context.Context) error {
	if len(b.messengers) == 0 {
		b.log.Warn("no chat is connected: deliveries wait in the outbox until one is")
		<-ctx.Done()
		return nil
	}
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(b.sendGrace, cancelSends) })
	defer stopGrace()
	for {
		if ctx.Err() != nil {
			return nil
		}
		if err := b.sendDigests(ctx); err != nil && ctx.Err() == nil {
			b.log.Error("digests failed", "err", err)
		}
		b.prune(ctx)
		if err := b.deliverDue(ctx, sendCtx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			b.log.Error("delivery round failed", "err", err)
		}
		timer := time.NewTimer(b.nextWake(ctx))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-b.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// DeliverDue enqueues the digests that are due, then sends every delivery
// that is due now, in batches, recording each outcome: one round of Run.
func (b *Bot) DeliverDue(ctx context.Context) error {
	if err := b.sendDigests(ctx); err != nil {
		return err
	}
	return b.deliverDue(ctx, ctx)
}

// deliverDue is DeliverDue, beginning sends only while ctx lasts and
// carrying each out, and recording it, under sendCtx.
func (b *Bot) deliverDue(ctx, sendCtx context.Context) error {
	platforms := b.platforms()
	for {
		due, err := b.store.DueDeliveries(sendCtx, platforms, b.clock.Now(), dispatchBatch)
		if err != nil {
			return fmt.Errorf("due deliveries: %w", err)
		}
		// A conversation whose delivery failed this round sends nothing
		// newer until it has gone out: messages keep their order.
		blocked := map[Subscriber]bool{}
		for _, d := range due {
			if ctx.Err() != nil {
				return ctx.Err() // shutting down: the rest stays pending
			}
			if blocked[d.To] {
				continue
			}
			if wait := b.pace(d.To); wait > 0 {
				blocked[d.To] = true // under the platform's limit: later, in order
				continue
			}
			sent, err := b.deliver(sendCtx, d)
			if err != nil {
				return err
			}
			blocked[d.To] = !sent
		}
		if len(due) < dispatchBatch || len(blocked) > 0 {
			return nil // a held-back conversation is retried when its limit allows
		}
	}
}

// deliver sends one delivery and records the outcome; sent reports whether
// it went out.
func (b *Bot) deliver(ctx context.Context, d Delivery) (sent bool, err error) {
	messenger := b.messengers[d.To.Platform]
	if err := b.store.MarkSending(ctx, d.ID); err != nil {
		return false, fmt.Errorf("mark delivery %d sending: %w", d.ID, err)
	}
	msg := d.Message
	msg.Key = d.Key
	id, sendErr := messenger.Send(ctx, d.To, msg)
	if sendErr != nil && ctx.Err() != nil {
		return false, ctx.Err() // shutting down: the delivery stays pending
	}
	now := b.clock.Now()
	var retry *RetryAfterError
	var permanent *PermanentError
	var outcome string
	switch {
	case sendErr == nil:
		outcome = OutcomeSent
		err = b.store.MarkSent(ctx, d.ID, now, id)
	case errors.As(sendErr, &retry):
		outcome = OutcomeRateLimited
		b.log.Info("delivery rate-limited", "delivery", d.ID, "retry_after", retry.RetryAfter)
		err = b.store.Reschedule(ctx, d.ID, now.Add(retry.RetryAfter), sendErr.Error())
	case errors.As(sendErr, &permanent) || d.Attempts+1 >= maxSendAttempts:
		outcome = OutcomeFailed
		b.log.Warn("delivery failed for good", "delivery", d.ID, "to", d.To.Key(), "attempts", d.Attempts+1, "err", sendErr)
		err = b.store.MarkFailed(ctx, d.ID, sendErr.Error())
	default:
		outcome = OutcomeRetry
		b.log.Warn("delivery failed, will retry", "delivery", d.ID, "to", d.To.Key(), "err", sendErr)
		err = b.store.Reschedule(ctx, d.ID, now.Add(retryBackoff(d.Attempts)), sendErr.Error())
	}
	b.observe.Delivered(d.To.Platform, outcome)
	if err != nil {
		return false, fmt.Errorf("record delivery %d: %w", d.ID, err)
	}
	return sendErr == nil, nil
}

// retryBackoff is the wait before the next attempt after a transient failure:
// it doubles per attempt, up to an hour.
func retryBackoff(attempts int) time.Duration {
	d := firstRetryBackoff
	for range attempts {
		d *= 2
		if d >= maxRetryBackoff {
			return maxRetryBackoff
		}
	}
	return d
}

// WaitIdle returns once every feed has been polled once and nothing is due
// in the outbox for this bot's messengers within idleHorizon — when a
// scripted console session may end without losing an alert. A retry in a
// few seconds is waited for; a reminder due next month, or an alert held
// through quiet hours, is not.
func (b *Bot) WaitIdle(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-b.loading.done:
	}
	ticker := time.NewTicker(idleCheckInterval)
	defer ticker.Stop()
	for {
		next, pending, err := b.store.NextDue(ctx, b.platforms(), b.clock.Now())
		if err != nil {
			return fmt.Errorf("bot: wait idle: %w", err)
		}
		if !pending || next.After(b.clock.Now().Add(idleHorizon)) {
			return nil
		}
		b.wakeDispatcher()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
}

// platforms lists the platforms the bot has a messenger for, sorted.
func (b *Bot) platforms() []Platform {
	ps := make([]Platform, 0, len(b.messengers))
	for p := range b.messengers {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps
}

// pace reserves a send to s under its platform's rate limits; it returns 0
// when the send may go now, else how long until it may, noting when to wake.
func (b *Bot) pace(s Subscriber) time.Duration {
	paced, ok := b.messengers[s.Platform].(Paced)
	if !ok {
		return 0
	}
	now := b.clock.Now()
	wait := b.pacer.reserve(s, paced.RateLimits(), now)
	if wait > 0 {
		b.mu.Lock()
		if b.paceUntil.IsZero() || now.Add(wait).Before(b.paceUntil) {
			b.paceUntil = now.Add(wait)
		}
		b.mu.Unlock()
	}
	return wait
}

// nextWake is how long the delivery loop may sleep: until the next delivery
// falls due, or a conversation held back by its rate limit may send, and at
// most a minute (digests fall due without a delivery).
func (b *Bot) nextWake(ctx context.Context) time.Duration {
	now := b.clock.Now()
	b.mu.Lock()
	paceUntil := b.paceUntil
	b.paceUntil = time.Time{}
	b.mu.Unlock()
	wait := time.Minute
	if !paceUntil.IsZero() {
		wait = min(wait, max(paceUntil.Sub(now), time.Millisecond))
	}
	due, ok, err := b.store.NextDue(ctx, b.platforms(), now)
	switch {
	case err != nil || !ok:
	case due.After(now):
		wait = min(wait, due.Sub(now))
	case paceUntil.IsZero():
		wait = time.Millisecond // due now and not held back: go again
	}
	return wait
}

// reconcile settles the deliveries a crash left between handing them to the
// platform and recording the outcome: one the platform says it has is
// sent; any other goes back to the queue — at least once, and, where the
// platform can tell, exactly once.
func (b *Bot) reconcile(ctx context.Context) error {
	left, err := b.store.Sending(ctx)
	if err != nil {
		return fmt.Errorf("bot: reconcile: %w", err)
	}
	for _, d := range left {
		if r, ok := b.messengers[d.To.Platform].(Reconciler); ok {
			id, found, err := r.Find(ctx, d.To, d.Key)
			if err != nil {
				b.log.Warn("reconcile: cannot ask the platform; sending again", "delivery", d.ID, "err", err)
			} else if found {
				if err := b.store.MarkSent(ctx, d.ID, b.clock.Now(), id); err != nil {
					return fmt.Errorf("bot: reconcile delivery %d: %w", d.ID, err)
				}
				continue
			}
		}
		if err := b.store.Reschedule(ctx, d.ID, b.clock.Now(), "interrupted by a restart"); err != nil {
			return fmt.Errorf("bot: reconcile delivery %d: %w", d.ID, err)
		}
	}
	if len(left) > 0 {
		b.log.Info("reconciled interrupted deliveries", "count", len(left))
	}
	return nil
}
