// Package profilesync keeps the matcher's index of one replica in step
// with the profiles that every replica on the same database makes,
// changes and deletes. Each replica's core puts its own changes into its
// index at once; a Syncer brings in the others'. The store numbers every
// change with a version (a deleted profile leaves one too); the Syncer
// asks what changed after the last version it applied, as soon as the
// store says something changed (PostgreSQL's NOTIFY) and in any case every
// couple of seconds, so a notification that went missing costs a short
// wait, never a stale index. A store that serves one process (SQLite) has
// no versions, and needs no Syncer.
package profilesync

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Change is a profile as it stands after its latest change.
type Change struct {
	ProfileID int64
	Version   int64
	// Deleted: the profile is gone, and leaves the index.
	Deleted bool
	// Paused and Query are the profile's, when it is not deleted.
	Paused bool
	Query  string
}

// Store is a store whose profile changes are numbered.
type Store interface {
	// ProfileVersion returns the version of the latest change to any
	// profile, 0 before the first.
	ProfileVersion(ctx context.Context) (int64, error)
	// ProfileChanges returns, oldest first, at most limit profiles changed
	// or deleted after version after, each once, at its latest version.
	ProfileChanges(ctx context.Context, after int64, limit int) ([]Change, error)
}

// Listener is a Store that says when a profile changed.
type Listener interface {
	// ListenProfiles calls changed, without blocking on it, once it
	// listens (for what changed before) and then after every change that
	// any replica commits, until ctx ends; it returns when ctx ends (nil)
	// or the store can no longer listen (the error).
	ListenProfiles(ctx context.Context, changed func()) error
}

// DefaultEvery is how often a Syncer looks for changes when nothing told
// it of one.
const DefaultEvery = 2 * time.Second

// Options configure a Syncer. Store and Matcher are required.
type Options struct {
	Store   Store
	Matcher bot.Matcher
	// Every is how often changes are looked for without a notification;
	// 0 means DefaultEvery.
	Every  time.Duration
	Logger *slog.Logger
}

// Syncer applies the profile changes of every replica to one matcher.
type Syncer struct {
	store    Store
	listener Listener // the store, when it is one
	matcher  bot.Matcher
	every    time.Duration
	log      *slog.Logger
	applied  int64 // the version applied last; only Run and Apply touch it
}

// New returns a Syncer that applies the changes after the store's latest
// version now. Make it before the core loads the stored profiles into the
// matcher, so that no change falls between that load and the first look.
func New(ctx context.Context, opts Options) (*Syncer, error) {
	s := &Syncer{store: opts.Store, matcher: opts.Matcher, every: opts.Every, log: opts.Logger}
	s.listener, _ = opts.Store.(Listener)
	if s.every <= 0 {
		s.every = DefaultEvery
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	v, err := s.store.ProfileVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("profilesync: read the profile version: %w", err)
	}
	s.applied = v
	return s, nil
}

// pageSize bounds the changes read at once.
const pageSize = 1000

// Apply brings the matcher up to date with every change after the last
// version applied, and returns how many profiles it put or removed.
func (s *Syncer) Apply(ctx context.Context) (int, error) {
	n := 0
	for {
		changes, err := s.store.ProfileChanges(ctx, s.applied, pageSize)
		if err != nil {
			return n, fmt.Errorf("profilesync: read profile changes after version %d: %w", s.applied, err)
		}
		for _, c := range changes {
			s.apply(c)
			s.applied = max(s.applied, c.Version)
		}
		n += len(changes)
		if len(changes) < pageSize {
			return n, nil
		}
	}
}

// apply puts one change into the matcher: an active profile's query in,
// a paused or deleted one, or one that no longer compiles, out.
func (s *Syncer) apply(c Change) {
	if c.Deleted || c.Paused {
		s.matcher.Remove(c.ProfileID)
		return
	}
	q, err := s.matcher.CompileStored(c.Query)
	if err != nil {
		s.log.Warn("changed profile does not compile; left out of the index", "profile", c.ProfileID, "err", err)
		s.matcher.Remove(c.ProfileID)
		return
	}
	s.matcher.Put(c.ProfileID, q)
}

// listenRetry is how long Run waits before listening again after the
// store stopped listening (a lost connection).
const listenRetry = time.Second

// Run applies changes until ctx ends: at once when the store says a
// profile changed, and every Options.Every in any case.
func (s *Syncer) Run(ctx context.Context) error {
	wake := make(chan struct{}, 1)
	listening := make(chan struct{})
	if s.listener != nil {
		go func() {
			defer close(listening)
			s.listen(ctx, func() {
				select {
				case wake <- struct{}{}:
				default: // a look is due already
				}
			})
		}()
	} else {
		close(listening)
	}
	defer func() { <-listening }() // ctx is done: the listener stops too
	ticker := time.NewTicker(s.every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case <-wake:
		}
		n, err := s.Apply(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("profile changes not applied; trying again", "err", err)
		}
		if n > 0 {
			s.log.Debug("profile changes applied", "changes", n, "version", s.applied)
		}
	}
}

// listen relays the store's notifications to changed until ctx ends,
// listening again after a lost connection; Run looks by version meanwhile.
func (s *Syncer) listen(ctx context.Context, changed func()) {
	for {
		err := s.listener.ListenProfiles(ctx, changed)
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("not listening for profile changes; looking every few seconds meanwhile", "err", err, "every", s.every)
		select {
		case <-ctx.Done():
			return
		case <-time.After(listenRetry):
		}
		changed() // whatever the lost connection missed
	}
}
