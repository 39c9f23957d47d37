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
// the owners' settings, to tell them in their language, and the outbox
// for telling an owner about their feed.
type Store interface {
	bot.FeedStore
	// Settings returns s's settings; the zero Settings when none are
	// stored.
	Settings(ctx context.Context, s bot.Subscriber) (bot.Settings, error)
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
	// Language is what an owner who chose no language, and whose chat
	// reports none, is told in; "": English.
	Language text.Language
	Logger   *slog.Logger
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
	language text.Language
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
		language: opts.Language,
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

// formatTime writes t in the service's zone and p's language, the date
// left out for today.
func (s *Service) formatTime(p text.Printer, t time.Time) string {
	return bot.ShortTime(p, t, s.clock.Now(), s.location)
}

// languageOf is the language sub reads: what they chose, else what their
// chat reported, else the service's default. A store that cannot say
// leaves the default.
func (s *Service) languageOf(ctx context.Context, sub bot.Subscriber) text.Language {
	settings, err := s.store.Settings(ctx, sub)
	if err != nil {
		s.log.Warn("settings unread; telling the owner in the default language", "subscriber", sub.Key(), "err", err)
		return text.Pick(string(s.language))
	}
	return text.Pick(string(settings.Language), settings.Locale, string(s.language))
}

type nopNotifier struct{}

func (nopNotifier) Wake() {}
