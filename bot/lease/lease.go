// Package lease lets several replicas of the bot on one database share
// work that one of them at a time must do: the scheduled work, each feed's
// polls, the Discord gateway connection. A lease is a named row in the
// store, held by one owner until a time; its holder renews it while it
// works, and when the holder dies the lease runs out and another replica
// takes it. A store that serves one process (SQLite) has no leases: the
// process does everything itself.
package lease

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"
)

// Leaser is a store on which several replicas run (PostgreSQL).
type Leaser interface {
	// HoldLease takes the lease called name for owner, or keeps it, until
	// ttl from now; false when another owner holds it and it has not run
	// out.
	HoldLease(ctx context.Context, name, owner string, ttl time.Duration) (bool, error)
}

// Releaser is a Leaser that can end a lease before it runs out, so that
// a replica stopping on purpose hands its work over at once.
type Releaser interface {
	// ReleaseLease ends owner's lease called name; nothing when owner
	// does not hold it.
	ReleaseLease(ctx context.Context, name, owner string) error
}

// NewOwner names this process in its leases: the host, the process id and
// random digits, so two processes never share a name, a restarted one
// included.
func NewOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "tenderbot"
	}
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Release ends owner's lease called name when l can, and does nothing
// otherwise (the lease then runs out by itself). It is for a replica that
// stops: it uses a context of its own, as ctx may be done already.
func Release(l Leaser, name, owner string) error {
	r, ok := l.(Releaser)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), releaseTimeout)
	defer cancel()
	return r.ReleaseLease(ctx, name, owner)
}

// releaseTimeout bounds the release of a lease at shutdown.
const releaseTimeout = 5 * time.Second

// Do runs work once when owner takes the lease called name, renewing it
// every ttl/3 while work runs; it reports whether work ran. When a renewal
// finds the lease lost, or has not succeeded for longer than the lease
// lasts, work's context is cancelled: past that point another replica may
// hold the lease. The lease is kept when work returns, until it runs out
// or owner takes it again (Hold): whoever did the work last does it next.
func Do(ctx context.Context, l Leaser, name, owner string, ttl time.Duration, work func(ctx context.Context)) (bool, error) {
	held, err := l.HoldLease(ctx, name, owner, ttl)
	if err != nil || !held {
		return false, err
	}
	workCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		keep(workCtx, cancel, l, name, owner, ttl, time.Now())
	}()
	work(workCtx)
	cancel()
	<-done
	return true, nil
}

// keep renews owner's lease every ttl/3 until ctx ends, calling lost when
// the lease was lost or could not be renewed before it ran out (counted
// from since, when it was last held).
func keep(ctx context.Context, lost context.CancelFunc, l Leaser, name, owner string, ttl time.Duration, since time.Time) {
	ticker := time.NewTicker(ttl / 3)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		asked := time.Now()
		// A renewal that hangs (a database that stopped answering) must
		// not keep the work going past the lease's end.
		renewCtx, cancel := context.WithTimeout(ctx, ttl/3)
		held, err := l.HoldLease(renewCtx, name, owner, ttl)
		cancel()
		switch {
		case err == nil && held:
			since = asked
		case err == nil, time.Since(since) >= ttl-ttl/3:
			// Lost, or about to run out unrenewed: stop before another
			// replica may start.
			lost()
			return
		}
	}
}
