package schedule

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/lease"
	"github.com/tenderbot/tenderbot/bot/text"
)

// every is how often Run looks for due work: a digest is enqueued within a
// minute of its time.
const every = time.Minute

// Store is what scheduled work needs of the core's store: the items held
// for digests, their recipients' settings (for their language), and the
// retention job.
type Store interface {
	bot.DigestStore
	// SettingsOf returns the stored settings of each of subs, in one read.
	SettingsOf(ctx context.Context, subs []bot.Subscriber) (map[bot.Subscriber]bot.Settings, error)
	// Prune deletes finished deliveries and empties notice texts older
	// than before.
	Prune(ctx context.Context, before time.Time) (deliveries, notices int, err error)
}

// Leaser is a store on which several replicas of the bot run (PostgreSQL):
// the scheduled work is done by one of them at a time, whichever holds its
// lease. A store without it serves one process, which does it all.
type Leaser = lease.Leaser

// leaseName is the scheduled work's lease; leaseFor is how long a round
// holds it: a replica that dies hands the work over within three rounds.
const (
	leaseName = "schedule"
	leaseFor  = 3 * every
)

// Options are a Scheduler's dependencies. Store is required; the rest have
// defaults.
type Options struct {
	Store Store
	// Digests says when daily and weekly digests go out (the zero value:
	// at midnight, weekly on Sundays).
	Digests  bot.DigestSchedule
	Clock    bot.Clock      // nil: bot.SystemClock
	Location *time.Location // zone of the digest times; nil: UTC
	// Language is the workspace's default, for the digests of those who
	// chose none and whose chat reported none; "": English.
	Language text.Language
	Logger   *slog.Logger
	// Retention is how long finished deliveries and notice texts are kept;
	// 0 keeps them for ever.
	Retention time.Duration
	// Outbox is woken when digests are enqueued; nil: they wait for the
	// worker's next round.
	Outbox bot.Notifier
	// Owner names this replica in the lease when Store is a Leaser; ""
	// makes one up.
	Owner string
}

// Scheduler enqueues the digests that are due and applies the retention
// period. Its methods are safe for concurrent use.
type Scheduler struct {
	store     Store
	digests   bot.DigestSchedule
	clock     bot.Clock
	location  *time.Location
	language  text.Language
	log       *slog.Logger
	retention time.Duration
	outbox    bot.Notifier
	leaser    Leaser // Store, when it is one; nil otherwise
	owner     string

	mu        sync.Mutex
	lastPrune time.Time
}

// New returns a Scheduler.
func New(opts Options) *Scheduler {
	s := &Scheduler{
		store:     opts.Store,
		digests:   opts.Digests,
		clock:     opts.Clock,
		location:  opts.Location,
		language:  opts.Language,
		log:       opts.Logger,
		retention: opts.Retention,
		outbox:    opts.Outbox,
		owner:     opts.Owner,
	}
	s.leaser, _ = opts.Store.(Leaser)
	if s.owner == "" {
		s.owner = lease.NewOwner()
	}
	if s.clock == nil {
		s.clock = bot.SystemClock{}
	}
	if s.location == nil {
		s.location = time.UTC
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.outbox == nil {
		s.outbox = nopNotifier{}
	}
	return s
}

// Run does the scheduled work until ctx is done: a round at once, then one
// a minute.
func (s *Scheduler) Run(ctx context.Context) error {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		if err := s.RunDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("digests failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// RunDue does one round, when this replica holds the work's lease (or the
// store serves one process): it enqueues the digests that are due, waking the
// outbox worker, and applies the retention period when it is set and a
// prune is due. It returns what failed of the digests; a failed prune is
// logged and tried again in a later round.
func (s *Scheduler) RunDue(ctx context.Context) error {
	if s.leaser == nil {
		return s.round(ctx)
	}
	// Renewed while the round runs, so a long one (many digests) keeps
	// the work to this replica, and stopped if the lease is lost.
	var err error
	_, leaseErr := lease.Do(ctx, s.leaser, leaseName, s.owner, leaseFor, func(ctx context.Context) {
		err = s.round(ctx)
	})
	// When the lease is held elsewhere nothing ran: another replica does
	// the work this round.
	return errors.Join(leaseErr, err)
}

// round enqueues the digests that are due and applies the retention
// period when a prune is due.
func (s *Scheduler) round(ctx context.Context) error {
	err := s.sendDigests(ctx)
	s.prune(ctx)
	return err
}

// pruneEvery is how often the retention job runs.
const pruneEvery = 24 * time.Hour

// prune applies the retention period once a day.
func (s *Scheduler) prune(ctx context.Context) {
	if s.retention <= 0 {
		return
	}
	now := s.clock.Now()
	s.mu.Lock()
	due := now.Sub(s.lastPrune) >= pruneEvery
	if due {
		s.lastPrune = now
	}
	s.mu.Unlock()
	if !due {
		return
	}
	deliveries, notices, err := s.store.Prune(ctx, now.Add(-s.retention))
	if err != nil {
		s.log.Error("retention job failed", "err", err)
		return
	}
	s.log.Info("retention job", "deliveries_deleted", deliveries, "notice_texts_emptied", notices)
}

type nopNotifier struct{}

func (nopNotifier) Wake() {}
