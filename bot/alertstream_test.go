package bot_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// newStreamHarness is a harness whose bot has a digest schedule (08:00,
// weekly on Mondays, Amsterdam time) and an hourly cap; seed, if given,
// fills the store before the bot starts and loads its profiles.
func newStreamHarness(t testing.TB, capPerHour int, seed ...func(h *harness)) *harness {
	t.Helper()
	ctx := context.Background()
	clock := bottest.NewClock(start)
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bot.db"), sqlite.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	h := &harness{t: t, ctx: ctx, store: store, clock: clock, chat: &bottest.Messenger{}}
	h.outbox = newOutbox(store, h.clock, h.chat)
	for _, f := range seed {
		f(h)
	}
	opts := bot.Options{
		Store: store, Matcher: matching.NewScan(), Vocabulary: matching.NewVocabulary(), Clock: h.clock,
		Location:        ams,
		Digests:         bot.DigestSchedule{At: 8 * time.Hour, Weekday: time.Monday},
		AlertCapPerHour: capPerHour,
		Feeds:           []bot.FeedSource{{URL: "https://feeds.example/tenders.xml", Name: "test feed"}},
	}
	h.bot = bot.New(opts)
	h.schedule = newSchedule(store, h.clock, opts)
	if err := h.bot.Start(ctx); err != nil {
		t.Fatal(err)
	}
	feeds, _ := h.bot.FeedsToPoll(ctx)
	h.feed = feeds[0]
	return h
}

// runDue plays one round of the delivery loop: digests, then due sends.
func (h *harness) runDue() {
	h.t.Helper()
	h.deliver()
}

func fresh(h *harness, id, title, cpv string) bot.Notice {
	return notice(id, title, cpv, "NL213", h.clock.Now().Add(-time.Minute))
}

func TestDailyDigestGroupsByKindAndDeadline(t *testing.T) {
	h := newStreamHarness(t, 0) // start is Thu 26 Nov 2026 10:00 in Amsterdam
	h.poll()
	h.say(alice, "subscribe cpv:45")
	if reply := h.say(alice, "digest 1 daily"); !strings.Contains(reply.Text, "one message a day at 08:00") {
		t.Fatalf("digest command: %q", reply.Text)
	}
	late := fresh(h, "n-late", "Later tender", "45000000")
	late.Deadline = start.AddDate(0, 3, 0)
	soon := fresh(h, "n-soon", "Sooner tender", "45000000")
	soon.Deadline = start.AddDate(0, 1, 0)
	early := fresh(h, "n-early", "Marktconsultatie", "45000000")
	early.Kind = bot.KindEarly
	h.poll(late, soon, early)
	h.runDue()
	if n := len(h.chat.Sent()); n != 0 {
		t.Fatalf("a daily profile got %d instant messages", n)
	}
	h.clock.Advance(22*time.Hour + time.Minute) // Fri 08:01 in Amsterdam
	h.runDue()
	sent := h.chat.Sent()
	if len(sent) != 1 || !strings.Contains(sent[0].Message.Text, "Today's digest: 3 notice(s)") {
		t.Fatalf("digest: got %d messages: %+v", len(sent), sent)
	}
	if got := strings.Join(cardIDs(sent[0].Message), ","); got != "n-early,n-soon,n-late" {
		t.Errorf("digest order: got %s, want early engagement first, then by closing date", got)
	}
	h.runDue()
	if n := len(h.chat.Sent()); n != 1 {
		t.Errorf("the digest was sent %d times", n)
	}
}

func TestHourlyCapOverflowsIntoTheDigest(t *testing.T) {
	h := newStreamHarness(t, 2)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	var burst []bot.Notice
	for i := range 5 {
		burst = append(burst, fresh(h, fmt.Sprintf("n-%d", i), fmt.Sprintf("Onderhoud %d", i), "45000000"))
	}
	h.poll(burst...)
	h.runDue()
	var alerts, notes int
	for _, s := range h.chat.Sent() {
		if len(s.Message.Cards) > 0 {
			alerts++
		} else if strings.Contains(s.Message.Text, "next daily digest") {
			notes++
		}
	}
	if alerts != 2 || notes != 1 {
		t.Fatalf("got %d alerts and %d cap notices, want 2 and 1", alerts, notes)
	}
	h.clock.Advance(22 * time.Hour)
	h.runDue()
	last := h.chat.Sent()[len(h.chat.Sent())-1].Message
	if len(last.Cards) != 3 || !strings.Contains(last.Text, "3 of them arrived after you reached your hourly alert limit") {
		t.Errorf("the digest should carry the 3 held back: %q with %d cards", last.Text, len(last.Cards))
	}
}

func TestQuietHoursHoldInstantAlerts(t *testing.T) {
	h := newStreamHarness(t, 0)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	if reply := h.say(alice, "quiet 9-7"); !strings.Contains(reply.Text, "quiet 22:00-07:00") {
		t.Errorf("bad quiet hours: %q", reply.Text)
	}
	if reply := h.say(alice, "quiet 09:30-12:00"); !strings.Contains(reply.Text, "09:30-12:00") {
		t.Fatalf("quiet: %q", reply.Text)
	}
	h.poll(fresh(h, "n-1", "Onderhoud", "45000000")) // 10:00 local: quiet
	h.runDue()
	if n := len(h.chat.Sent()); n != 0 {
		t.Fatalf("sent during quiet hours: %d", n)
	}
	h.clock.Advance(2 * time.Hour) // 12:00 local
	h.runDue()
	if n := len(h.chat.Sent()); n != 1 {
		t.Errorf("after quiet hours: got %d messages, want the held alert", n)
	}
}

func TestFollowedTenderUpdatesThreadUnderTheAlert(t *testing.T) {
	h := newStreamHarness(t, 0)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	tender := fresh(h, "n-1", "Renovatie sporthal", "45000000")
	tender.ProcedureID = "ocds-b5fd17-almelo-2026-0412"
	tender.Deadline = start.AddDate(0, 0, 30)
	h.poll(tender)
	h.runDue()
	alertID := h.chat.Sent()[0].ID
	if reply := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: alertAction(t, h, bot.ActionFollow)}); !strings.Contains(reply.Text, "reminder") {
		t.Fatalf("follow: %q", reply.Text)
	}

	change := tender
	change.ID, change.Kind = "n-1-corr", bot.KindChange
	change.Deadline = tender.Deadline.AddDate(0, 0, 14)
	h.poll(change)
	h.runDue()
	sent := h.chat.Sent()
	update := sent[len(sent)-1].Message
	if !strings.Contains(update.Text, "the deadline moved") || update.ReplyTo != alertID {
		t.Fatalf("update: %q replying to %q, want the moved deadline under alert %q", update.Text, update.ReplyTo, alertID)
	}

	// The reminder 7 days before the new deadline comes; none for the old.
	h.clock.Advance(38 * 24 * time.Hour)
	h.runDue()
	var reminders []string
	for _, s := range h.chat.Sent() {
		if strings.HasPrefix(s.Message.Text, "Reminder:") {
			reminders = append(reminders, s.Message.Text)
		}
	}
	if len(reminders) != 1 || !strings.Contains(reminders[0], "closes in 7 days") {
		t.Errorf("reminders: got %q, want one for 7 days before the moved deadline", reminders)
	}

	award := tender
	award.ID, award.Kind = "n-1-award", bot.KindAward
	h.poll(award)
	h.runDue()
	sent = h.chat.Sent()
	if closing := sent[len(sent)-1].Message.Text; !strings.Contains(closing, "awarded") || !strings.Contains(closing, "no longer follow") {
		t.Errorf("award: %q", closing)
	}
	if home := h.bot.Home(h.ctx, alice); !strings.Contains(home.Text, "You follow no tenders") {
		t.Errorf("after the award the tender is still followed: %q", home.Text)
	}
	h.clock.Advance(10 * 24 * time.Hour) // past the 2-day reminder
	before := len(h.chat.Sent())
	h.runDue()
	if n := len(h.chat.Sent()) - before; n != 0 {
		t.Errorf("%d messages after the award closed the tender, want none", n)
	}
}

func TestOrderIsKeptPerConversationAcrossRetries(t *testing.T) {
	h := newStreamHarness(t, 0)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.chat.FailNext(errors.New("connection reset"))
	h.poll(fresh(h, "n-1", "Eerste", "45000000"), fresh(h, "n-2", "Tweede", "45000000"), fresh(h, "n-3", "Derde", "45000000"))
	h.runDue()
	if n := len(h.chat.Sent()); n != 0 {
		t.Fatalf("sent %d after the first failed; want none until it goes out", n)
	}
	h.clock.Advance(time.Minute)
	h.runDue()
	if got := strings.Join(cardIDs(sentMessages(h.chat.Sent())...), ","); got != "n-1,n-2,n-3" {
		t.Errorf("order: got %s, want n-1,n-2,n-3", got)
	}
}

func TestDeadLettersAreListed(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.chat.FailNext(&bot.PermanentError{Err: errors.New("channel_not_found")})
	h.poll(sporthal)
	h.deliver()
	if reply := h.say(alice, "deliveries failed"); !strings.Contains(reply.Text, "alert to console/local/@alice") || !strings.Contains(reply.Text, "channel_not_found") {
		t.Errorf("alice's failed deliveries: %q", reply.Text)
	}
	if reply := h.say(bob, "deliveries failed"); !strings.Contains(reply.Text, "No delivery has failed") {
		t.Errorf("bob sees another's dead letters: %q", reply.Text)
	}
	if reply := h.say(bob, "deliveries"); !strings.Contains(reply.Text, "deliveries failed") {
		t.Errorf("usage: %q", reply.Text)
	}
	asAdmin := bot.New(bot.Options{Store: h.store, Matcher: matching.NewScan(), Clock: h.clock, Admins: []bot.Subscriber{bob}})
	if reply := asAdmin.Handle(h.ctx, bot.Command{From: bob, Text: "deliveries failed"}); !strings.Contains(reply.Text, "@alice") {
		t.Errorf("an admin should see everyone's dead letters: %q", reply.Text)
	}
}
