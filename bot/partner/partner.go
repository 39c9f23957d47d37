package partner

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Store is what the partners' feeds need of the core's store: the feeds,
// and the outbox for telling an owner about their feed.
type Store interface {
	bot.FeedStore
	// Enqueue stores d as pending; false when a delivery with its key
	// exists.
	Enqueue(ctx context.Context, d *bot.Delivery) (bool, error)
}

// Options are a Service's dependencies. Store, Matcher and Rights are
// required; the rest have defaults.
type Options struct {
	Store   Store
	Matcher bot.Matcher // counts the profiles a proposed feed would reach
	Rights  bot.Rights
	// Vocabulary labels the codes on a preview's cards; nil shows codes
	// only.
	Vocabulary bot.Vocabulary
	Clock      bot.Clock      // nil: bot.SystemClock
	Location   *time.Location // zone of times written in replies; nil: UTC
	Logger     *slog.Logger
	// Outbox is woken when an owner's notice is enqueued; nil: it waits
	// for the worker's next round.
	Outbox bot.Notifier
	// Probe reads a feed a partner proposes; nil: partners cannot add
	// feeds.
	Probe Probe
}

// Service runs the partners' feeds. It implements bot.Partners for the
// core's command router. Its methods are safe for concurrent use.
type Service struct {
	store    Store
	matcher  bot.Matcher
	rights   bot.Rights
	vocab    bot.Vocabulary
	clock    bot.Clock
	location *time.Location
	log      *slog.Logger
	outbox   bot.Notifier
	probe    Probe

	mu     sync.Mutex
	reader Reader // nil: feeds are read on schedule only
	// sources are how the named sources stand after their last
	// successful poll, by feed; `feeds` shows them.
	sources map[int64]*bot.SourceHealth
}

var _ bot.Partners = (*Service)(nil)

// New returns a Service.
func New(opts Options) *Service {
	svc := &Service{
		store:    opts.Store,
		matcher:  opts.Matcher,
		rights:   opts.Rights,
		vocab:    opts.Vocabulary,
		clock:    opts.Clock,
		location: opts.Location,
		log:      opts.Logger,
		outbox:   opts.Outbox,
		probe:    opts.Probe,
	}
	if svc.clock == nil {
		svc.clock = bot.SystemClock{}
	}
	if svc.location == nil {
		svc.location = time.UTC
	}
	if svc.log == nil {
		svc.log = slog.New(slog.DiscardHandler)
	}
	if svc.outbox == nil {
		svc.outbox = nopNotifier{}
	}
	return svc
}

// formatTime writes t in the service's zone, the date left out for today.
func (s *Service) formatTime(t time.Time) string {
	return bot.ShortTime(text.Printer{}, t, s.clock.Now(), s.location)
}

type nopNotifier struct{}

func (nopNotifier) Wake() {}
