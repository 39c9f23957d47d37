package bot

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// Options are the Bot's dependencies. Store and Matcher are required; the
// rest have defaults.
type Options struct {
	Store      Store
	Matcher    Matcher
	Vocabulary Vocabulary     // nil: codes are shown without labels
	Clock      Clock          // nil: SystemClock
	Location   *time.Location // zone of times written in replies; nil: UTC
	// Language is the workspace's default: the language of those who chose
	// none and whose chat reports none; "": English.
	Language text.Language
	Logger   *slog.Logger
	Observer Observer // nil: observe nothing
	// Digests says when daily and weekly digests go out (the zero value:
	// at midnight, weekly on Sundays), for the replies that name the time;
	// bot/schedule sends them.
	Digests DigestSchedule
	// Admins are the people who hold the admin role from configuration:
	// they grant roles, see everyone's failed deliveries, manage any feed.
	Admins []Subscriber
	// AlertCapPerHour is the most instant alerts a subscriber gets in an
	// hour; the rest wait for the next daily digest. 0 means no cap.
	AlertCapPerHour int
	// Dispatcher is told whenever deliveries are enqueued, so that they
	// go out at once: the outbox worker. nil: they wait for the worker's
	// next look at the outbox.
	Dispatcher Notifier
	// Feeds are the feeds the operator configured; Start registers them,
	// and they are polled with the partners' active feeds.
	Feeds []FeedSource
	// Events runs engagement events (bot/engage); nil: the event commands
	// answer that no events are run here.
	Events Engagement
	// Partners runs the feeds partners share (bot/partner); nil: feeds are
	// not managed in chat.
	Partners Partners
	// Roles grants and lists roles in chat (bot/roles); nil: roles come
	// from configuration only.
	Roles Roles
	// FanOutChunk is the most of a new notice's deliveries and digest
	// items one transaction writes (Effects.Chunk); 0 means 5,000.
	FanOutChunk int
	// Reach says which workspaces the bot can send to at all: a notice
	// makes no alert or digest item in one it cannot (bot/install: a
	// Slack workspace that removed the app). nil: every workspace.
	Reach Reach
}

// Notifier is told that the outbox changed. The outbox worker (package
// bot/outbox) implements it: the core enqueues, the worker sends.
type Notifier interface {
	// Wake must not block: the core calls it while handling commands and
	// notices.
	Wake()
}

// FeedSource is a feed to register: where to read it, what to call it,
// and the kind its notices get when their items say none ("" for none).
type FeedSource struct {
	URL  string
	Name string
	Kind Kind
}

// Bot is the core: it answers commands, ingests notices, and enqueues
// alerts in the outbox for the worker that sends them (package
// bot/outbox). Its methods are safe for concurrent use.
type Bot struct {
	store       Store
	matcher     Matcher
	vocab       Vocabulary
	clock       Clock
	location    *time.Location
	language    text.Language
	log         *slog.Logger
	observe     Observer
	dispatcher  Notifier
	schedule    DigestSchedule
	alertCap    int
	rights      Rights
	sources     []FeedSource
	events      Engagement
	partners    Partners
	roles       Roles
	reach       Reach
	fanOutChunk int

	mu      sync.Mutex
	feedIDs []int64 // the operator's feeds, registered by Start
	// feedKinds are the default kinds the configuration gives the
	// operator's feeds, by feed; a partner's is stored with its feed.
	feedKinds map[int64]Kind
	newItems  map[int64]int // new notices per feed since its last FeedPolled

	loading *loading
}

// New returns a Bot. Call Start before serving commands or feeds.
func New(opts Options) *Bot {
	b := &Bot{
		store:       opts.Store,
		matcher:     opts.Matcher,
		vocab:       opts.Vocabulary,
		clock:       opts.Clock,
		location:    opts.Location,
		language:    opts.Language,
		observe:     opts.Observer,
		dispatcher:  opts.Dispatcher,
		schedule:    opts.Digests,
		alertCap:    opts.AlertCapPerHour,
		rights:      Rights{Store: opts.Store, Admins: opts.Admins},
		log:         opts.Logger,
		sources:     opts.Feeds,
		events:      opts.Events,
		partners:    opts.Partners,
		roles:       opts.Roles,
		reach:       opts.Reach,
		fanOutChunk: cmp.Or(opts.FanOutChunk, 5000),
		newItems:    map[int64]int{},
		loading:     newLoading(),
	}
	if b.clock == nil {
		b.clock = SystemClock{}
	}
	if b.observe == nil {
		b.observe = nopObserver{}
	}
	if b.dispatcher == nil {
		b.dispatcher = nopNotifier{}
	}
	if b.location == nil {
		b.location = time.UTC
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	return b
}

// Start registers the configured feeds, loads every stored profile into the
// matcher, and notes that the feeds have yet to be polled, so previews can
// wait for them.
func (b *Bot) Start(ctx context.Context) error {
	loaded, err := b.loadProfiles(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(b.sources))
	kinds := map[int64]Kind{}
	for _, src := range b.sources {
		f, err := b.store.EnsureFeed(ctx, src.URL, src.Name)
		if err != nil {
			return fmt.Errorf("bot: register feed %s: %w", src.Name, err)
		}
		ids = append(ids, f.ID)
		if src.Kind != "" {
			kinds[f.ID] = src.Kind
		}
	}
	b.mu.Lock()
	b.feedIDs = ids
	b.feedKinds = kinds
	b.mu.Unlock()
	polled, err := b.FeedsToPoll(ctx) // with the partners' active feeds
	if err != nil {
		return err
	}
	awaited := make([]int64, len(polled))
	for i, f := range polled {
		awaited[i] = f.ID
	}
	if b.loading.expect(awaited) {
		b.loading.finish()
	}
	if _, err := b.store.ContinueFanOuts(ctx); err != nil { // what a stop left
		return fmt.Errorf("bot: finish fan-outs: %w", err)
	}
	b.log.Info("bot started", "profiles", loaded, "feeds", len(ids))
	return nil
}

// profilePage is how many profiles Start reads at a time: a page's worth
// of profiles is held while the matcher learns them, never all of them.
const profilePage = 10_000

// loadProfiles puts every stored profile that is not paused into the
// matcher, a page at a time, and returns how many profiles it read.
func (b *Bot) loadProfiles(ctx context.Context) (int, error) {
	var after int64
	loaded := 0
	for {
		page, err := b.store.ProfilesAfter(ctx, after, profilePage)
		if err != nil {
			return loaded, fmt.Errorf("bot: load profiles: %w", err)
		}
		for _, p := range page {
			after = p.ID
			if p.Paused {
				continue // it alerts nobody until resumed
			}
			q, err := b.matcher.CompileStored(p.Query)
			if err != nil {
				// A profile saved under an older grammar must not stop the bot;
				// its owner still sees it in "profiles" and can replace it.
				b.log.Warn("stored profile no longer compiles", "profile", p.ID, "err", err)
				continue
			}
			b.matcher.Put(p.ID, q)
		}
		loaded += len(page)
		if len(page) < profilePage {
			return loaded, nil
		}
	}
}

// wakeDispatcher tells the outbox worker that the outbox changed.
func (b *Bot) wakeDispatcher() { b.dispatcher.Wake() }

// nopNotifier tells nobody.
type nopNotifier struct{}

func (nopNotifier) Wake() {}
