package engage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/bot/schedule"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

var (
	start    = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	alice    = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "alice"}
	bob      = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "bob"}
	staff    = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "inkoper"}
	carol    = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "carol-the-asker"}
	dave     = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "dave"}
	announce = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", Channel: "aanbestedingen"}
)

// harness is the events and the core they are reached through, on a real
// SQLite file and the real matcher, with a fixed clock and an outbox worker
// sending through a recording messenger. staff is an admin.
type harness struct {
	t      *testing.T
	ctx    context.Context
	store  *sqlite.Store
	bot    *bot.Bot
	events *engage.Service
	outbox *outbox.Worker
	clock  *bottest.Clock
	chat   *bottest.Messenger
}

// newEventHarness is a harness whose events have a public address and an
// announcement channel.
func newEventHarness(t *testing.T) *harness {
	t.Helper()
	return newHarness(t, engage.Options{BaseURL: "https://events.example", Announce: []bot.Subscriber{announce}})
}

// newHarness is a harness whose events run with the public address and
// announcement channels of opts.
func newHarness(t *testing.T, opts engage.Options) *harness {
	t.Helper()
	ctx := context.Background()
	clock := bottest.NewClock(start)
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"), sqlite.Options{Clock: clock})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	h := &harness{t: t, ctx: ctx, store: store, clock: clock, chat: &bottest.Messenger{}}
	matcher, admins := matching.NewScan(), []bot.Subscriber{staff}
	opts.Store, opts.Matcher, opts.Clock = store, matcher, h.clock
	opts.Rights, opts.Admins = bot.Rights{Store: store, Admins: admins}, admins
	h.outbox = outbox.New(outbox.Options{Store: store, Clock: clock, Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: h.chat, email.Platform: h.chat}})
	opts.Outbox = h.outbox
	h.events = engage.New(opts)
	h.bot = bot.New(bot.Options{
		Store:      store,
		Matcher:    matcher,
		Vocabulary: matching.NewVocabulary(),
		Clock:      h.clock,
		Admins:     admins,
		Dispatcher: h.outbox,
		Events:     h.events,
	})
	if err := h.bot.Start(ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	return h
}

func (h *harness) say(from bot.Subscriber, text string) bot.Message {
	h.t.Helper()
	return h.bot.Handle(h.ctx, bot.Command{From: from, Text: text})
}

func (h *harness) deliver() {
	h.t.Helper()
	if err := schedule.New(schedule.Options{Store: h.store, Clock: h.clock}).RunDue(h.ctx); err != nil {
		h.t.Fatalf("scheduled work: %v", err)
	}
	if err := h.outbox.DeliverDue(h.ctx); err != nil {
		h.t.Fatalf("deliver: %v", err)
	}
}

// last is the last text sent to s, "" when none was.
func (h *harness) last(s bot.Subscriber) string {
	h.t.Helper()
	sent := h.sentTo(s)
	if len(sent) == 0 {
		return ""
	}
	return sent[len(sent)-1]
}

// solarEvent is a complete `event new` line.
const solarEvent = `event new title="Marktconsultatie zonnedaken" kind=consultation start=2026-12-10T14:00+01:00 end=2026-12-10T16:00+01:00 place="Stadhuis Almelo" capacity=2 target="cpv:09331200 nuts:NL21"`

// publishSolar drafts and publishes an event from an `event new` line and
// returns its id.
func (h *harness) publishSolar(line string) int64 {
	h.t.Helper()
	return bottest.PublishEvent(h.t, h.say, staff, line)
}

// sentTo returns the texts sent to s, in order.
func (h *harness) sentTo(s bot.Subscriber) []string {
	var out []string
	for _, m := range h.chat.Sent() {
		if m.To == s {
			out = append(out, m.Message.Text)
		}
	}
	return out
}
