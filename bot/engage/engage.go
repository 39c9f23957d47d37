package engage

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Store is what the events keep: the events themselves, and from the
// core's store the outbox (to see whether an invitation went out), the
// profiles (to say why an invitee matched) and the settings (to write to
// each person in their language).
type Store interface {
	bot.EventStore
	// SettingsOf returns the stored settings of each of subs; a
	// subscriber with none stored is left out of the map.
	SettingsOf(ctx context.Context, subs []bot.Subscriber) (map[bot.Subscriber]bot.Settings, error)
	// HasDelivery reports whether a delivery with the key exists.
	HasDelivery(ctx context.Context, key string) (bool, error)
	// ProfilesByID returns the profiles with the given ids that exist.
	ProfilesByID(ctx context.Context, ids []int64) ([]bot.Profile, error)
}

// Rights says who holds which role; bot.Rights is the one to use.
type Rights interface {
	// Can reports whether s holds the role (an admin holds every role).
	Can(ctx context.Context, s bot.Subscriber, r bot.Role) (bool, error)
	// Require is nil when s holds the role, and otherwise an EINVALID
	// error that says who may do what ("post events") and how to get the
	// role.
	Require(ctx context.Context, s bot.Subscriber, r bot.Role, what string) error
}

// Observer counts what operators watch of the events; bot.Observer
// satisfies it.
type Observer interface {
	// EventPublished reports an event going public, with the number of
	// invitations it sent.
	EventPublished(invites int)
	// RSVP reports a registrant's answer as recorded.
	RSVP(status string)
}

// Options are a Service's dependencies. Store, Matcher and Rights are
// required; the rest have defaults.
type Options struct {
	Store   Store
	Matcher bot.Matcher // reads targets, and finds who an event reaches
	Rights  Rights
	// Vocabulary names the CPV divisions and regions of a reach preview;
	// nil shows codes only.
	Vocabulary bot.Vocabulary
	Clock      bot.Clock      // nil: bot.SystemClock
	Location   *time.Location // zone of times written without one; nil: UTC
	Logger     *slog.Logger
	Observer   Observer // nil: observe nothing
	// Outbox is woken when the events enqueue deliveries; nil: they wait
	// for the worker's next round.
	Outbox bot.Notifier
	// Admins hear the questions about an event whose organiser is gone.
	Admins []bot.Subscriber
	// BaseURL is the public address of the bot's HTTP side
	// ("https://tenderbot.almelo.nl"), for links to event pages and
	// calendar files; "" leaves the links out.
	BaseURL string
	// Announce are the channels where new events are announced publicly.
	Announce []bot.Subscriber
	// Language is the workspace's default: the language of those who
	// chose none and whose chat reports none. "": English.
	Language text.Language
}

// Service runs engagement events. It implements bot.Engagement for the
// core's command router, and serves the chat forms, the public pages and
// the record export. Its methods are safe for concurrent use.
type Service struct {
	store    Store
	matcher  bot.Matcher
	rights   Rights
	vocab    bot.Vocabulary
	clock    bot.Clock
	location *time.Location
	log      *slog.Logger
	observe  Observer
	outbox   bot.Notifier
	admins   []bot.Subscriber
	baseURL  string
	announce []bot.Subscriber
	language text.Language

	mu      sync.Mutex
	dialogs map[bot.Subscriber]*eventDialog // event forms in progress
}

var _ bot.Engagement = (*Service)(nil)

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
		observe:  opts.Observer,
		outbox:   opts.Outbox,
		admins:   opts.Admins,
		baseURL:  strings.TrimRight(opts.BaseURL, "/"),
		announce: opts.Announce,
		language: opts.Language,
		dialogs:  map[bot.Subscriber]*eventDialog{},
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
	if svc.observe == nil {
		svc.observe = nopObserver{}
	}
	if svc.outbox == nil {
		svc.outbox = nopNotifier{}
	}
	return svc
}

type nopNotifier struct{}

func (nopNotifier) Wake() {}

type nopObserver struct{}

func (nopObserver) EventPublished(int) {}
func (nopObserver) RSVP(string)        {}

// eventURL is the public page of an event, "" when the bot has no public
// address configured.
func (svc *Service) eventURL(id int64) string {
	if svc.baseURL == "" {
		return ""
	}
	return svc.baseURL + "/events/" + strconv.FormatInt(id, 10)
}
