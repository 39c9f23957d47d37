// Package outbox sends what the core enqueues: a worker claims due
// deliveries, hands them to the messenger of their platform, and records
// each outcome. It keeps under the platforms' rate limits, reschedules what
// they refuse for now, and after a crash asks them what arrived before
// sending again. The core (package bot) decides what is said; the worker
// alone knows the messengers.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

const (
	dispatchBatch     = 500
	maxSendAttempts   = 8
	firstRetryBackoff = 30 * time.Second
	maxRetryBackoff   = time.Hour
	idleCheckInterval = 20 * time.Millisecond
	idleHorizon       = time.Minute
	// A leased claim is smaller than a read batch, so that it is sent
	// within three quarters of its lease even at 300 ms a send. A lease of
	// 20 s has a dead worker's claims taken over within 30 s.
	claimBatch   = 50
	defaultLease = 20 * time.Second
	// How long a conversation waits when the store that keeps the
	// platforms' limits does not answer.
	lanesRetry = time.Second
)

// Observer is told the outcome of every attempt to send, so an operator
// can watch the outbox; bot.Observer implementations satisfy it. It must
// not block.
type Observer interface {
	// Delivered reports one attempt to send a delivery: one of the
	// bot.Outcome* values.
	Delivered(platform bot.Platform, outcome string)
}

// Options are the Worker's dependencies. Store is required; the rest have
// defaults.
type Options struct {
	Store Store
	// Messengers send deliveries, one per platform the bot is connected
	// to. Deliveries for other platforms wait in the outbox.
	Messengers map[bot.Platform]bot.Messenger
	Clock      bot.Clock // nil: bot.SystemClock
	Logger     *slog.Logger
	Observer   Observer // nil: observe nothing
	// SendGrace is how long a send in flight may go on after shutdown
	// begins; 0 means 10 seconds. Deliveries not yet begun stay in the
	// outbox for the next start.
	SendGrace time.Duration
	// Owner names this worker in the leases it takes when Store is a
	// Claimer; "" means one made up from the host name, the process id and
	// random digits. Unused otherwise.
	Owner string
	// Lease is how long a claim lasts when Store is a Claimer: a worker
	// begins no send of a claim past three quarters of it (the rest goes
	// back to the queue), and a dead worker's claims are taken over once it
	// has run out, within half a lease more. 0 means 20 seconds.
	Lease time.Duration
}

// Worker sends due deliveries through the messengers. It implements
// bot.Notifier, so the core wakes it when it enqueues. Its methods are safe
// for concurrent use; one Worker runs per process, and on a Claimer store
// one per replica.
type Worker struct {
	store      Store
	claimer    Claimer // store, when it is one; nil otherwise
	lanes      Lanes   // store, when it keeps the platforms' limits; nil otherwise
	owner      string
	lease      time.Duration
	messengers map[bot.Platform]bot.Messenger
	clock      bot.Clock
	log        *slog.Logger
	observe    Observer
	sendGrace  time.Duration
	pacer      *pacer
	wake       chan struct{} // a delivery may have become due

	reconcileMu sync.Mutex // held while reconciling, so that it happens once
	reconciled  bool       // the deliveries a crash left have been settled; guarded by reconcileMu

	mu        sync.Mutex
	paceUntil time.Time // when a conversation held back by its rate limit may send again; guarded by mu

	// Delivery rounds running, and begun: a round's deliveries may be
	// sending, neither pending nor recorded, which WaitIdle must not take
	// for idle.
	rounds, begun atomic.Int64
}

// The core wakes the worker through this interface.
var _ bot.Notifier = (*Worker)(nil)

// New returns a Worker. Run it, or call DeliverDue for one round.
func New(opts Options) *Worker {
	w := &Worker{
		store:      opts.Store,
		messengers: opts.Messengers,
		clock:      opts.Clock,
		log:        opts.Logger,
		observe:    opts.Observer,
		sendGrace:  opts.SendGrace,
		pacer:      newPacer(),
		wake:       make(chan struct{}, 1),
		owner:      opts.Owner,
		lease:      opts.Lease,
	}
	w.claimer, _ = opts.Store.(Claimer)
	w.lanes, _ = opts.Store.(Lanes)
	if w.owner == "" {
		w.owner = defaultOwner()
	}
	if w.lease <= 0 {
		w.lease = defaultLease
	}
	if w.clock == nil {
		w.clock = bot.SystemClock{}
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.observe == nil {
		w.observe = nopObserver{}
	}
	if w.sendGrace <= 0 {
		w.sendGrace = 10 * time.Second
	}
	return w
}

// Wake tells the worker that the outbox changed: it looks again at once
// instead of at its next timer. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run settles what a crash left in flight, then delivers due deliveries
// through the messengers until ctx is done. It wakes when something is
// enqueued and when the next delivery falls due. A send the platform
// rate-limits is rescheduled by its retry-after, never dropped and never
// slept on. When ctx ends, the send in flight gets the send grace to finish
// and be recorded; nothing new is begun, and what is left stays in the
// outbox for the next start.
func (w *Worker) Run(ctx context.Context) error {
	if err := w.reconcileOnce(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // shut down before it began: the next start reconciles
		}
		return err
	}
	if len(w.messengers) == 0 {
		w.log.Warn("no chat is connected: deliveries wait in the outbox until one is")
		<-ctx.Done()
		return nil
	}
	sendCtx, cancelSends := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSends()
	stopGrace := context.AfterFunc(ctx, func() { time.AfterFunc(w.sendGrace, cancelSends) })
	defer stopGrace()
	failed := 0 // rounds failed in a row
	for {
		if ctx.Err() != nil {
			return nil
		}
		if err := w.deliverDue(ctx, sendCtx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			failed++
			w.log.Error("delivery round failed", "err", err, "failed_in_a_row", failed)
		} else if failed > 0 {
			// Say so, so the log shows the outage ended (a store that
			// reconnected) and not only that it began.
			w.log.Info("delivery rounds work again", "failed_before", failed)
			failed = 0
		}
		timer := time.NewTimer(w.nextWake(ctx))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-w.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// DeliverDue sends every delivery that is due now, in batches, recording
// each outcome: one round of Run. Like Run, it first settles what a crash
// left in flight, once per Worker.
func (w *Worker) DeliverDue(ctx context.Context) error {
	if err := w.reconcileOnce(ctx); err != nil {
		return err
	}
	return w.deliverDue(ctx, ctx)
}

// deliverDue is DeliverDue, beginning sends only while ctx lasts and
// carrying each out, and recording it, under sendCtx.
func (w *Worker) deliverDue(ctx, sendCtx context.Context) error {
	w.rounds.Add(1) // before begun: see WaitIdle
	w.begun.Add(1)
	defer w.rounds.Add(-1)
	platforms := w.platforms()
	// A conversation whose delivery failed this round, or that is held back
	// by its platform's limit, sends nothing newer until it has gone out:
	// messages keep their order.
	blocked := map[bot.Subscriber]bool{}
	var after int64 // the round reads on from the last row it saw
	for {
		due, err := w.due(sendCtx, platforms, after)
		if err != nil {
			return err
		}
		var take []bot.Delivery
		var back []bot.DeliveryResult // claimed, but not to be sent this round
		taken := map[bot.Subscriber]bool{}
		for _, d := range due {
			after = d.ID
			if blocked[d.To] || (taken[d.To] && w.sharesLanes(d.To)) {
				// On shared lanes a conversation sends one a round: its
				// lane is taken just before the send (sendBatch), and
				// what is newer waits for the next round, in order.
				blocked[d.To] = true
				back = append(back, bot.DeliveryResult{ID: d.ID, Status: bot.StatusPending})
				continue
			}
			if !w.sharesLanes(d.To) {
				if wait := w.pace(sendCtx, d.To); wait > 0 {
					blocked[d.To] = true // under the platform's limit: later, in order
					back = append(back, bot.DeliveryResult{ID: d.ID, Status: bot.StatusPending})
					continue
				}
			}
			take = append(take, d)
			taken[d.To] = true
		}
		if w.claimer != nil && len(back) > 0 {
			if err := w.store.Record(sendCtx, back); err != nil {
				return fmt.Errorf("hand back claimed deliveries: %w", err)
			}
		}
		if err := w.sendBatch(ctx, sendCtx, take, blocked); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err() // shutting down: the rest stays pending
		}
		if len(due) < w.batch() {
			return nil // a held-back conversation is retried when its limit allows
		}
	}
}

// due returns the next batch of due deliveries after after: read, or, on a
// Claimer, claimed with a lease after the claims of dead workers are taken
// over and settled.
func (w *Worker) due(ctx context.Context, platforms []bot.Platform, after int64) ([]bot.Delivery, error) {
	if w.claimer == nil {
		due, err := w.store.DueDeliveries(ctx, platforms, w.clock.Now(), after, dispatchBatch)
		if err != nil {
			return nil, fmt.Errorf("due deliveries: %w", err)
		}
		return due, nil
	}
	if after == 0 {
		if err := w.takeOver(ctx, platforms); err != nil {
			return nil, err
		}
	}
	now := w.clock.Now()
	due, err := w.claimer.Claim(ctx, w.owner, platforms, now, after, claimBatch, now.Add(w.lease))
	if err != nil {
		return nil, fmt.Errorf("claim due deliveries: %w", err)
	}
	return due, nil
}

// batch is how many deliveries a round reads, or claims, at a time.
func (w *Worker) batch() int {
	if w.claimer != nil {
		return claimBatch
	}
	return dispatchBatch
}

// sendBatch takes the deliveries to send, marking them all sending in one
// write, sends them in order, and records their outcomes in one write. A
// delivery left behind a failure of its conversation in this batch, or
// begun after shutdown began (ctx ended), is handed back untried. Sends are
// carried out, and recorded, under sendCtx.
func (w *Worker) sendBatch(ctx, sendCtx context.Context, take []bot.Delivery, blocked map[bot.Subscriber]bool) error {
	if len(take) == 0 {
		return nil
	}
	if w.claimer == nil { // claimed deliveries are sending already
		ids := make([]int64, len(take))
		for i, d := range take {
			ids[i] = d.ID
		}
		if err := w.store.MarkSending(sendCtx, ids...); err != nil {
			return fmt.Errorf("mark deliveries sending: %w", err)
		}
	}
	results := make([]bot.DeliveryResult, 0, len(take))
	failed := map[bot.Subscriber]bool{} // conversations whose send failed in this batch
	// A claim's sends begin while its lease has a quarter left, so none is
	// still going when another worker may take the claim over.
	leaseEnds := w.clock.Now().Add(w.lease * 3 / 4)
	for _, d := range take {
		expiring := w.claimer != nil && !w.clock.Now().Before(leaseEnds)
		if ctx.Err() != nil || failed[d.To] || expiring {
			results = append(results, bot.DeliveryResult{ID: d.ID, Status: bot.StatusPending})
			continue
		}
		// A lane shared with other workers is taken as late as can be, so
		// that the platform sees the sends as far apart as the lane let
		// them go, however long the sends before them in the batch took.
		if w.sharesLanes(d.To) && w.pace(sendCtx, d.To) > 0 {
			results = append(results, bot.DeliveryResult{ID: d.ID, Status: bot.StatusPending})
			failed[d.To], blocked[d.To] = true, true
			continue
		}
		r := w.send(sendCtx, d)
		results = append(results, r)
		if r.Status != bot.StatusSent {
			failed[d.To], blocked[d.To] = true, true
		}
	}
	if err := w.store.Record(sendCtx, results); err != nil {
		return fmt.Errorf("record deliveries: %w", err)
	}
	return nil
}

// send hands one delivery to its platform and says what became of it.
func (w *Worker) send(ctx context.Context, d bot.Delivery) bot.DeliveryResult {
	msg := d.Message
	msg.Key = d.Key
	id, sendErr := w.messengers[d.To.Platform].Send(ctx, d.To, msg)
	if sendErr != nil && ctx.Err() != nil {
		return bot.DeliveryResult{ID: d.ID, Status: bot.StatusPending} // shutting down: not an attempt
	}
	now := w.clock.Now()
	var retry *bot.RetryAfterError
	var permanent *bot.PermanentError
	r := bot.DeliveryResult{ID: d.ID}
	var outcome string
	switch {
	case sendErr == nil:
		outcome = bot.OutcomeSent
		r.Status, r.At, r.PlatformMessageID = bot.StatusSent, now, id
	case errors.As(sendErr, &retry):
		outcome = bot.OutcomeRateLimited
		w.log.Info("delivery rate-limited", "delivery", d.ID, "retry_after", retry.RetryAfter)
		r.Status, r.At, r.Attempted, r.Reason = bot.StatusPending, now.Add(retry.RetryAfter), true, sendErr.Error()
	case errors.As(sendErr, &permanent) || d.Attempts+1 >= maxSendAttempts:
		outcome = bot.OutcomeFailed
		w.log.Warn("delivery failed for good", "delivery", d.ID, "to", d.To.Key(), "attempts", d.Attempts+1, "err", sendErr)
		r.Status, r.Reason = bot.StatusFailed, sendErr.Error()
	default:
		outcome = bot.OutcomeRetry
		w.log.Warn("delivery failed, will retry", "delivery", d.ID, "to", d.To.Key(), "err", sendErr)
		r.Status, r.At, r.Attempted, r.Reason = bot.StatusPending, now.Add(retryBackoff(d.Attempts)), true, sendErr.Error()
	}
	w.observe.Delivered(d.To.Platform, outcome)
	return r
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

// WaitIdle returns once nothing is due in the outbox for this worker's
// messengers within idleHorizon — when a scripted console session may end
// without losing an alert, once the feeds have been read. A retry in a few
// seconds is waited for; a reminder due next month, or an alert held
// through quiet hours, is not.
func (w *Worker) WaitIdle(ctx context.Context) error {
	ticker := time.NewTicker(idleCheckInterval)
	defer ticker.Stop()
	for {
		// Idle is nothing due soon while no round ran: one that was running,
		// or began, meanwhile may have held deliveries that were sending.
		begun := w.begun.Load()
		running := w.rounds.Load()
		next, pending, err := w.store.NextDue(ctx, w.platforms(), w.clock.Now())
		if err != nil {
			return fmt.Errorf("outbox: wait idle: %w", err)
		}
		quiet := running == 0 && w.begun.Load() == begun
		if quiet && (!pending || next.After(w.clock.Now().Add(idleHorizon))) {
			return nil
		}
		w.Wake()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
		}
	}
}

// Readiness lists, in words, the chats that cannot send now: a messenger
// that holds a connection (bot.Connector) and has lost it. Empty means
// every chat can send.
func (w *Worker) Readiness() []string {
	var problems []string
	for _, p := range w.platforms() {
		if c, ok := w.messengers[p].(bot.Connector); ok && !c.Connected() {
			problems = append(problems, fmt.Sprintf("chat: %s is not connected", p))
		}
	}
	return problems
}

// platforms lists the platforms the worker has a messenger for, sorted.
func (w *Worker) platforms() []bot.Platform {
	ps := make([]bot.Platform, 0, len(w.messengers))
	for p := range w.messengers {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps
}

// nextWake is how long the delivery loop may sleep: until the next delivery
// falls due, or a conversation held back by its rate limit may send, and at
// most a minute, so that a wake that never came (a delivery enqueued by
// another process) or a store that failed to answer costs no more.
func (w *Worker) nextWake(ctx context.Context) time.Duration {
	now := w.clock.Now()
	w.mu.Lock()
	paceUntil := w.paceUntil
	w.paceUntil = time.Time{}
	w.mu.Unlock()
	wait := time.Minute
	if w.claimer != nil {
		wait = w.lease / 2 // another worker's lease may run out meanwhile
	}
	if !paceUntil.IsZero() {
		wait = min(wait, max(paceUntil.Sub(now), time.Millisecond))
	}
	due, ok, err := w.store.NextDue(ctx, w.platforms(), now)
	switch {
	case err != nil || !ok:
	case due.After(now):
		wait = min(wait, due.Sub(now))
	case paceUntil.IsZero():
		wait = time.Millisecond // due now and not held back: go again
	}
	return wait
}

// nopObserver observes nothing.
type nopObserver struct{}

func (nopObserver) Delivered(bot.Platform, string) {}
