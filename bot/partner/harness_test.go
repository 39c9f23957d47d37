package partner_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/bot/partner"
	"github.com/tenderbot/tenderbot/bot/roles"
	"github.com/tenderbot/tenderbot/bot/schedule"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

var (
	start       = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	alice       = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "alice"}
	bob         = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "bob"}
	admin       = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "admin"}
	partnerUser = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "desk"}
)

// tableProbe answers probes from a table of URLs; the real one (feeds.Prober)
// is exercised end to end in cmd/tenderbot.
type tableProbe map[string]partner.ProbeResult

func (p tableProbe) Probe(_ context.Context, url string) (partner.ProbeResult, error) {
	r, ok := p[url]
	switch {
	case ok:
		return r, nil
	case strings.Contains(url, "10.0.0.1"):
		return partner.ProbeResult{}, &partner.RefusedError{Rule: "%s resolves to %s, %s", Args: []any{"10.0.0.1", "10.0.0.1", partner.Phrase("a private address")}, Setting: "TENDERBOT_FEEDS_ALLOW_PRIVATE=true"}
	}
	return partner.ProbeResult{}, errors.New("fetch " + url + ": dial tcp: lookup gone.example on 127.0.0.53:53: no such host")
}

// harness is the partners' feeds and the core they are reached through, on
// a real SQLite file and the real matcher, with a fixed clock, one
// operator feed ("test feed"), engagement events, and an outbox worker
// sending through a recording messenger. admin is an admin; the probe
// knows one partner feed, https://desk.example.nl/rss.
type harness struct {
	t        *testing.T
	ctx      context.Context
	store    *sqlite.Store
	bot      *bot.Bot
	partners *partner.Service
	outbox   *outbox.Worker
	clock    *bottest.Clock
	chat     *bottest.Messenger
	feed     bot.Feed // the operator's feed
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx := context.Background()
	clock := bottest.NewClock(start)
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"), sqlite.Options{Clock: clock})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	h := &harness{t: t, ctx: ctx, store: store, clock: clock, chat: &bottest.Messenger{}}
	matcher, admins := matching.NewScan(), []bot.Subscriber{admin}
	rights := bot.Rights{Store: store, Admins: admins}
	h.outbox = outbox.New(outbox.Options{Store: store, Clock: clock, Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: h.chat}})
	probe := tableProbe{"https://desk.example.nl/rss": {Format: "rss", Notices: []bot.Notice{
		notice("desk-1", "Marktconsultatie laadpalen", "31158100", "NL213", start.Add(-24*time.Hour)),
		notice("desk-2", "Renovatie brug", "45221000", "NL213", start.Add(-48*time.Hour)),
	}}, "tenderned": {Format: "tenderned", Name: "TenderNed", Notices: []bot.Notice{
		notice("tenderned:443728", "Onderhoud openbare verlichting", "50232000", "NL213", start.Add(-24*time.Hour)),
	}}}
	h.partners = partner.New(partner.Options{Store: store, Matcher: matcher, Rights: rights, Vocabulary: matching.NewVocabulary(), Clock: clock, Outbox: h.outbox, Probe: probe})
	events := engage.New(engage.Options{Store: store, Matcher: matcher, Rights: rights, Clock: clock, Outbox: h.outbox, Admins: admins, BaseURL: "https://tenderbot.example"})
	h.bot = bot.New(bot.Options{
		Store:      store,
		Matcher:    matcher,
		Vocabulary: matching.NewVocabulary(),
		Clock:      clock,
		Admins:     admins,
		Dispatcher: h.outbox,
		Feeds:      []bot.FeedSource{{URL: "https://feeds.example/tenders.xml", Name: "test feed"}},
		Events:     events,
		Partners:   h.partners,
		Roles:      roles.New(roles.Options{Store: store, Rights: rights, Clock: clock}),
	})
	if err := h.bot.Start(ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	feeds, err := h.bot.FeedsToPoll(ctx)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("feeds: got %v, %v; want one feed", feeds, err)
	}
	h.feed = feeds[0]
	return h
}

func (h *harness) say(from bot.Subscriber, text string) bot.Message {
	h.t.Helper()
	return h.bot.Handle(h.ctx, bot.Command{From: from, Text: text})
}

// deliver plays one round of scheduled work and sending.
func (h *harness) deliver() {
	h.t.Helper()
	if err := schedule.New(schedule.Options{Store: h.store, Clock: h.clock}).RunDue(h.ctx); err != nil {
		h.t.Fatalf("scheduled work: %v", err)
	}
	if err := h.outbox.DeliverDue(h.ctx); err != nil {
		h.t.Fatalf("deliver: %v", err)
	}
}

// poll plays one poll of feed id reading the given notices, as the poller
// does: with the feed as stored, then reporting the outcome.
func (h *harness) poll(id int64, notices ...bot.Notice) {
	h.t.Helper()
	feeds, err := h.bot.FeedsToPoll(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, feed := range feeds {
		if feed.ID != id {
			continue
		}
		if err := h.bot.Ingest(h.ctx, feed, notices); err != nil {
			h.t.Fatalf("ingest: %v", err)
		}
		h.bot.FeedPolled(h.ctx, feed, bot.PollResult{At: h.clock.Now(), Items: len(notices)})
		return
	}
	h.t.Fatalf("feed %d is not polled", id)
}

// feedNamed returns the stored feed with the name.
func (h *harness) feedNamed(name string) bot.Feed {
	h.t.Helper()
	feeds, err := h.store.ListFeeds(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, f := range feeds {
		if f.Name == name {
			return f
		}
	}
	h.t.Fatalf("no feed named %q", name)
	return bot.Feed{}
}

func notice(id, title string, cpv, nuts string, published time.Time) bot.Notice {
	return bot.Notice{
		ID:        id,
		Source:    "test feed",
		Title:     title,
		Buyer:     "Gemeente Almelo",
		Kind:      bot.KindTender,
		CPV:       []string{cpv},
		NUTS:      []string{nuts},
		Country:   nuts[:2],
		Published: published,
		Deadline:  published.AddDate(0, 2, 0),
		URL:       "https://feeds.example/" + id,
	}
}
