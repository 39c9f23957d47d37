package bot_test

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
	"github.com/tenderbot/tenderbot/bot/schedule"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

var (
	start = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	alice = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "alice"}
	bob   = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "bob"}
)

// harness is a bot on a real SQLite file and the real matcher, with a fixed
// clock and an outbox worker sending through a recording messenger.
type harness struct {
	t      testing.TB
	ctx    context.Context
	db     string // the database file
	store  *sqlite.Store
	bot    *bot.Bot
	events *engage.Service
	outbox *outbox.Worker
	// schedule does the digests, as cmd runs it beside the outbox worker.
	schedule *schedule.Scheduler
	clock    *bottest.Clock
	chat     *bottest.Messenger
	feed     bot.Feed
}

func newHarness(t *testing.T, options ...func(*bot.Options)) *harness {
	t.Helper()
	return newHarnessWithEvents(t, engage.Options{}, options...)
}

// newHarnessWithEvents is a harness whose engagement events run with
// events' public address and announcement channels; the rest of events'
// options come from the bot's.
func newHarnessWithEvents(t *testing.T, events engage.Options, options ...func(*bot.Options)) *harness {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "bot.db")
	clock := bottest.NewClock(start)
	store, err := sqlite.Open(ctx, db, sqlite.Options{Clock: clock})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	h := &harness{t: t, ctx: ctx, db: db, store: store, clock: clock, chat: &bottest.Messenger{}}
	h.outbox = newOutbox(store, h.clock, h.chat)
	opts := bot.Options{
		Store:      store,
		Matcher:    matching.NewScan(),
		Vocabulary: matching.NewVocabulary(),
		Clock:      h.clock,
		Feeds:      []bot.FeedSource{{URL: "https://feeds.example/tenders.xml", Name: "test feed"}},
	}
	for _, o := range options {
		o(&opts)
	}
	events.Store, events.Matcher, events.Clock = store, opts.Matcher, h.clock
	events.Rights, events.Admins = bot.Rights{Store: store, Admins: opts.Admins}, opts.Admins
	events.Outbox = h.outbox
	h.events = engage.New(events)
	opts.Events = h.events
	h.bot = bot.New(opts)
	h.schedule = newSchedule(store, h.clock, opts)
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

// poll plays one poll of the test feed reading the given notices, as the
// poller does: with the feed as stored, then reporting the outcome. The
// first poll of the feed is its baseline.
func (h *harness) poll(notices ...bot.Notice) {
	h.t.Helper()
	pollWith(h.t, h.ctx, h.bot, h.feed.ID, h.clock.Now(), notices...)
}

// pollWith plays one poll of feed id through b.
func pollWith(t testing.TB, ctx context.Context, b *bot.Bot, id int64, now time.Time, notices ...bot.Notice) {
	t.Helper()
	feeds, err := b.FeedsToPoll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, feed := range feeds {
		if feed.ID != id {
			continue
		}
		if err := b.Ingest(ctx, feed, notices); err != nil {
			t.Fatalf("ingest: %v", err)
		}
		b.FeedPolled(ctx, feed, bot.PollResult{At: now, Items: len(notices)})
		return
	}
	t.Fatalf("feed %d is not polled", id)
}

func (h *harness) say(from bot.Subscriber, text string) bot.Message {
	h.t.Helper()
	return h.bot.Handle(h.ctx, bot.Command{From: from, Text: text})
}

// newOutbox returns a worker sending through chat on the console platform.
func newOutbox(store *sqlite.Store, clock bot.Clock, chat bot.Messenger) *outbox.Worker {
	return outbox.New(outbox.Options{
		Store: store, Clock: clock,
		Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: chat},
	})
}

// newSchedule returns the scheduled work of a bot made with opts.
func newSchedule(store *sqlite.Store, clock bot.Clock, opts bot.Options) *schedule.Scheduler {
	return schedule.New(schedule.Options{Store: store, Clock: clock, Digests: opts.Digests, Location: opts.Location, Language: opts.Language, Outbox: opts.Dispatcher})
}

// deliver plays one round of scheduled work and sending, as the running
// bot does: digests are enqueued, then every due delivery is sent.
func (h *harness) deliver() {
	h.t.Helper()
	if err := h.schedule.RunDue(h.ctx); err != nil {
		h.t.Fatalf("scheduled work: %v", err)
	}
	if err := h.outbox.DeliverDue(h.ctx); err != nil {
		h.t.Fatalf("deliver: %v", err)
	}
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

// The notices of the tests, published within the hours before start: news
// to a feed polled at start, not backfill.
var (
	sporthal = notice("n-sporthal", "Renovatie sporthal De Sluis", "45212225", "NL213", start.Add(-4*time.Hour))
	zonne    = notice("n-zonne", "Marktconsultatie zonnepanelen gemeentelijke daken", "09331200", "NL213", start.Add(-3*time.Hour))
	cumbria  = notice("n-cumbria", "Highway maintenance framework", "45233141", "UKD11", start.Add(-2*time.Hour))
	ict      = notice("n-ict", "ICT werkplekbeheer", "72000000", "NL211", start.Add(-1*time.Hour))
)

// cardIDs lists the notice IDs of every card in the messages.
func cardIDs(msgs ...bot.Message) []string {
	var ids []string
	for _, m := range msgs {
		for _, c := range m.Cards {
			ids = append(ids, c.Notice.ID)
		}
	}
	return ids
}

func sentMessages(sent []bottest.Sent) []bot.Message {
	msgs := make([]bot.Message, len(sent))
	for i, s := range sent {
		msgs[i] = s.Message
	}
	return msgs
}

func TestSubscribeShowsPreviewOfStoredNotices(t *testing.T) {
	h := newHarness(t)
	h.poll(sporthal, zonne, cumbria, ict)

	reply := h.say(alice, "subscribe cpv:45 nuts:NL21")

	if !strings.Contains(reply.Text, "Saved profile 1") {
		t.Errorf("reply %q does not confirm the profile", reply.Text)
	}
	if got, want := strings.Join(cardIDs(reply), ","), "n-sporthal"; got != want {
		t.Fatalf("preview cards: got %s, want %s", got, want)
	}
	card := reply.Cards[0]
	if len(card.Reasons) == 0 || !strings.Contains(strings.Join(card.Reasons, ";"), "45212225") {
		t.Errorf("reasons %q do not name the matching CPV code", card.Reasons)
	}
	if card.DaysLeft <= 0 {
		t.Errorf("days left: got %d, want the days until the deadline", card.DaysLeft)
	}
	h.deliver()
	if sent := h.chat.Sent(); len(sent) != 0 {
		t.Errorf("a preview of stored notices must not alert: sent %d messages", len(sent))
	}
}

func TestNewNoticeAlertsOncePerSubscriber(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.say(alice, "subscribe nuts:NL21") // matches the same notice: still one alert
	h.say(bob, "subscribe sporthal")

	h.poll(sporthal, cumbria)
	h.deliver()
	h.poll(sporthal, cumbria) // seen again on the next poll: no new alert
	h.deliver()

	got := map[string][]string{}
	for _, s := range h.chat.Sent() {
		got[s.To.User] = append(got[s.To.User], cardIDs(s.Message)...)
	}
	if want := "n-sporthal,n-cumbria"; strings.Join(got["alice"], ",") != want {
		t.Errorf("alice's alerts: got %v, want %s", got["alice"], want)
	}
	if want := "n-sporthal"; strings.Join(got["bob"], ",") != want {
		t.Errorf("bob's alerts: got %v, want %s", got["bob"], want)
	}
}

func TestFirstPollIsABaselineAndThePreviewWaitsForIt(t *testing.T) {
	h := newHarness(t)
	reply := h.say(alice, "subscribe nuts:NL21")
	if !strings.Contains(reply.Text, "still loading") || len(reply.Cards) != 0 {
		t.Fatalf("before the first poll the reply should promise a preview, got %q with %d cards", reply.Text, len(reply.Cards))
	}
	h.poll(sporthal, zonne, cumbria) // the feed's first poll: stored, no alerts
	h.deliver()

	sent := h.chat.Sent()
	if len(sent) != 1 || !strings.Contains(sent[0].Message.Text, "feeds have loaded") {
		t.Fatalf("after the first poll: got %d messages, want only the preview", len(sent))
	}
	if got := strings.Join(cardIDs(sent[0].Message), ","); got != "n-zonne,n-sporthal" {
		t.Errorf("preview cards: got %s, want n-zonne,n-sporthal (newest first)", got)
	}
	<-h.bot.Loaded() // as the console waits at the end of its input
	if err := h.outbox.WaitIdle(h.ctx); err != nil {
		t.Errorf("wait idle after everything was delivered: %v", err)
	}
}

func TestPreviewAfterRestartNeverRepeatsAnAlert(t *testing.T) {
	h := newHarness(t)
	h.poll(sporthal) // the baseline, in an earlier run

	restarted := bot.New(bot.Options{
		Store:   h.store,
		Matcher: matching.NewScan(),
		Clock:   h.clock,
		Feeds:   []bot.FeedSource{{URL: h.feed.URL, Name: h.feed.Name}},
	})
	if err := restarted.Start(h.ctx); err != nil {
		t.Fatal(err)
	}
	reply := restarted.Handle(h.ctx, bot.Command{From: alice, Text: "subscribe nuts:NL21"})
	if !strings.Contains(reply.Text, "still loading") {
		t.Fatalf("the restarted bot's first poll is pending; got %q", reply.Text)
	}
	// This poll is not the feed's first: its new notice alerts, and the
	// preview that follows must not show it again.
	pollWith(t, h.ctx, restarted, h.feed.ID, h.clock.Now(), sporthal, zonne)
	h.deliver()
	var alerts, previews []bot.Message
	for _, s := range h.chat.Sent() {
		if strings.Contains(s.Message.Text, "feeds have loaded") {
			previews = append(previews, s.Message)
		} else {
			alerts = append(alerts, s.Message)
		}
	}
	if got := strings.Join(cardIDs(alerts...), ","); got != "n-zonne" {
		t.Errorf("alerts: got %s, want n-zonne", got)
	}
	if got := strings.Join(cardIDs(previews...), ","); len(previews) != 1 || got != "n-sporthal" {
		t.Errorf("preview: got %d with cards %s, want one showing only n-sporthal", len(previews), got)
	}
}

func TestRateLimitedSendIsRescheduledNotDropped(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.chat.FailNext(&bot.RetryAfterError{RetryAfter: 2 * time.Minute, Err: errors.New("429")})
	h.poll(sporthal)

	h.deliver()
	if n := len(h.chat.Sent()); n != 0 {
		t.Fatalf("sent during the rate limit: got %d, want 0", n)
	}
	h.clock.Advance(time.Minute)
	h.deliver()
	if n := len(h.chat.Sent()); n != 0 {
		t.Fatalf("sent before retry-after passed: got %d, want 0", n)
	}
	h.clock.Advance(time.Minute)
	h.deliver()
	h.deliver()
	if got := cardIDs(sentMessages(h.chat.Sent())...); strings.Join(got, ",") != "n-sporthal" {
		t.Errorf("after retry-after: got %v, want exactly one alert for n-sporthal", got)
	}
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.chat.FailNext(&bot.PermanentError{Err: errors.New("user cannot be messaged")})
	h.poll(sporthal)
	h.deliver()
	h.clock.Advance(24 * time.Hour)
	h.deliver()
	if n := len(h.chat.Sent()); n != 0 {
		t.Errorf("a permanently failed delivery was sent later: %d messages", n)
	}
}

func TestTransientFailureRetriesWithBackoff(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.chat.FailNext(errors.New("connection reset"), errors.New("connection reset"))
	h.poll(sporthal)
	h.deliver() // fails, retry in 30s
	h.clock.Advance(30 * time.Second)
	h.deliver() // fails, retry in 60s
	h.clock.Advance(30 * time.Second)
	h.deliver()
	if n := len(h.chat.Sent()); n != 0 {
		t.Fatalf("retried before the backoff ended: %d messages", n)
	}
	h.clock.Advance(30 * time.Second)
	h.deliver()
	if n := len(h.chat.Sent()); n != 1 {
		t.Errorf("after the backoff: got %d messages, want 1", n)
	}
}

func TestCommands(t *testing.T) {
	h := newHarness(t)
	h.poll(sporthal, zonne, cumbria, ict)
	h.say(alice, `subscribe name="Bouw Twente" cpv:45 nuts:NL21`)
	h.say(alice, "subscribe zonne*")

	tests := []struct {
		name    string
		from    bot.Subscriber
		text    string
		want    []string // fragments the reply must contain
		cards   string   // notice IDs of the reply's cards
		notWant string
	}{
		{name: "help lists commands", from: alice, text: "help", want: []string{"subscribe", "unsubscribe", "profiles", "search", "cpv:45"}},
		{name: "help on one command", from: alice, text: "help search", want: []string{"search <query>", "nuts:NL21"}},
		{name: "unknown command suggests the nearest", from: alice, text: "subscirbe cpv:45", want: []string{`"subscirbe"`, "`subscribe`"}},
		{name: "profiles lists in order", from: alice, text: "profiles", want: []string{"1. Bouw Twente", "2. zonne*"}},
		{name: "other subscriber sees none", from: bob, text: "profiles", want: []string{"no profiles yet"}},
		{name: "malformed query says why", from: alice, text: "subscribe cpv:4x", want: []string{"cpv"}, notWant: "Saved"},
		{name: "empty subscribe explains", from: alice, text: "subscribe", want: []string{"subscribe cpv:45"}},
		{name: "duplicate name refused", from: alice, text: `subscribe name="Bouw Twente" cpv:72`, want: []string{"Bouw Twente"}, notWant: "Saved"},
		{name: "search by word", from: bob, text: "search zonnepanelen", want: []string{"1 notice(s) match"}, cards: "n-zonne"},
		{name: "search by code, newest first", from: bob, text: "search cpv:45", cards: "n-cumbria,n-sporthal"},
		{name: "search with no hits", from: bob, text: "search dijkversterking", want: []string{"None of the 4 notices"}},
		{name: "unsubscribe unknown", from: alice, text: "unsubscribe 9", want: []string{"no profile"}},
		{name: "unsubscribe needs an argument", from: alice, text: "unsubscribe", want: []string{"unsubscribe 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := h.say(tt.from, tt.text)
			for _, w := range tt.want {
				if !strings.Contains(reply.Text, w) {
					t.Errorf("reply to %q: got %q, want it to contain %q", tt.text, reply.Text, w)
				}
			}
			if tt.notWant != "" && strings.Contains(reply.Text, tt.notWant) {
				t.Errorf("reply to %q: got %q, must not contain %q", tt.text, reply.Text, tt.notWant)
			}
			if tt.cards != "" {
				if got := strings.Join(cardIDs(reply), ","); got != tt.cards {
					t.Errorf("cards for %q: got %s, want %s", tt.text, got, tt.cards)
				}
			}
		})
	}
	profiles, err := h.store.ListProfiles(h.ctx, alice)
	if err != nil || len(profiles) != 2 {
		t.Fatalf("bad input changed the profiles: got %d, %v; want 2", len(profiles), err)
	}
}

func TestUnsubscribeStopsAlerts(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.say(alice, "subscribe ict")
	if reply := h.say(alice, "unsubscribe 1"); !strings.Contains(reply.Text, "Deleted") {
		t.Fatalf("unsubscribe by number: %q", reply.Text)
	}
	if reply := h.say(alice, "unsubscribe ICT"); !strings.Contains(reply.Text, "Deleted") {
		t.Fatalf("unsubscribe by name, any case: %q", reply.Text)
	}
	h.poll(sporthal, ict)
	h.deliver()
	if n := len(h.chat.Sent()); n != 0 {
		t.Errorf("alerts after unsubscribing: got %d, want 0", n)
	}
}

func TestProfilesSurviveRestart(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	feeds, err := h.bot.FeedsToPoll(h.ctx)
	if err != nil {
		t.Fatal(err)
	}

	restarted := bot.New(bot.Options{
		Store:   h.store,
		Matcher: matching.NewScan(),
		Clock:   h.clock,
		Feeds:   []bot.FeedSource{{URL: h.feed.URL, Name: h.feed.Name}},
	})
	if err := restarted.Start(h.ctx); err != nil {
		t.Fatal(err)
	}
	if err := restarted.Ingest(h.ctx, feeds[0], []bot.Notice{sporthal}); err != nil {
		t.Fatal(err)
	}
	h.deliver()
	if got := cardIDs(sentMessages(h.chat.Sent())...); strings.Join(got, ",") != "n-sporthal" {
		t.Errorf("after restart the stored profile should alert: got %v", got)
	}
}
