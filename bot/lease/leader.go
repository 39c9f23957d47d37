package lease

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// Leader runs work on one replica at a time: the one holding its lease.
// A replica that dies hands the work over once the lease runs out; one
// that stops releases it, and another takes it at its next try.
type Leader struct {
	leaser Leaser
	name   string
	owner  string
	ttl    time.Duration
	retry  time.Duration
	log    *slog.Logger
	held   atomic.Bool
}

// LeaderOptions configure a Leader. Name is required.
type LeaderOptions struct {
	// Name is the lease's name, the same on every replica.
	Name string
	// Owner names this replica in the lease; "" is NewOwner's.
	Owner string
	// TTL is how long the lease lasts unrenewed; it is renewed every
	// third of it, and another replica takes over from one that died
	// within TTL and one try. 0 means DefaultTTL.
	TTL time.Duration
	// Retry is how often a replica without the lease tries to take it;
	// 0 means a third of TTL.
	Retry  time.Duration
	Logger *slog.Logger
}

// DefaultTTL is a Leader's lease when LeaderOptions.TTL is 0: with a try
// every third of it, another replica takes over within 27 seconds of the
// holder's death.
const DefaultTTL = 20 * time.Second

// NewLeader returns a Leader for the lease opts.Name on l.
func NewLeader(l Leaser, opts LeaderOptions) *Leader {
	ld := &Leader{leaser: l, name: opts.Name, owner: opts.Owner, ttl: opts.TTL, retry: opts.Retry, log: opts.Logger}
	if ld.owner == "" {
		ld.owner = NewOwner()
	}
	if ld.ttl <= 0 {
		ld.ttl = DefaultTTL
	}
	if ld.retry <= 0 {
		ld.retry = ld.ttl / 3
	}
	if ld.log == nil {
		ld.log = slog.New(slog.DiscardHandler)
	}
	return ld
}

// Held reports whether this replica holds the lease and runs the work.
func (ld *Leader) Held() bool { return ld.held.Load() }

// Lead runs work whenever this replica holds the lease, until ctx ends.
// work must return once its context is done: it is cancelled when the
// lease is lost, and then Lead tries to take it again. When ctx ends the
// lease is released.
func (ld *Leader) Lead(ctx context.Context, work func(ctx context.Context)) error {
	defer func() {
		if err := Release(ld.leaser, ld.name, ld.owner); err != nil {
			ld.log.Warn("lease not released; it runs out by itself", "lease", ld.name, "err", err)
		}
	}()
	ticker := time.NewTicker(ld.retry)
	defer ticker.Stop()
	for {
		ran, err := Do(ctx, ld.leaser, ld.name, ld.owner, ld.ttl, func(ctx context.Context) {
			ld.held.Store(true)
			defer ld.held.Store(false)
			ld.log.Info("lease taken: this replica does the work", "lease", ld.name, "owner", ld.owner)
			work(ctx)
		})
		switch {
		case err != nil && ctx.Err() == nil:
			ld.log.Warn("lease not taken", "lease", ld.name, "err", err)
		case ran && ctx.Err() == nil:
			ld.log.Warn("lease lost: another replica does the work", "lease", ld.name, "owner", ld.owner)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}
