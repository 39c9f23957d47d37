package bot_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestBackfillDoesNotAlert(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.clock.Advance(7 * 24 * time.Hour)

	old := notice("n-old", "Onderhoud kademuren", "45241000", "NL213", start.AddDate(0, -2, 0))
	fresh := notice("n-fresh", "Herinrichting Marktplein", "45233000", "NL213", h.clock.Now().Add(-time.Hour))
	h.poll(old, fresh)
	h.deliver()

	if got := strings.Join(cardIDs(sentMessages(h.chat.Sent())...), ","); got != "n-fresh" {
		t.Errorf("alerts: got %s, want only n-fresh (n-old is dated weeks before the previous poll)", got)
	}
	if _, err := h.store.Notice(h.ctx, "n-old"); err != nil {
		t.Errorf("backfill must still be stored and searchable: %v", err)
	}
}

// sporthalOnTwoSources is one tender as the national portal publishes it
// and as a partner's feed does, with less said.
func sporthalOnTwoSources() (national, partner bot.Notice) {
	national = sporthal
	national.ID, national.URL, national.Source = "tenderned-418655", "https://www.tenderned.nl/418655", "TenderNed"
	national.Value = &bot.Money{Amount: 450000, Currency: "EUR"}
	partner = sporthal
	partner.ID, partner.URL, partner.Source = "partner-77", "https://twente.example/77", "Twente Business Desk"
	partner.Title = "Renovatie sporthal De Sluis." // punctuation differs between sources
	partner.CPV, partner.Value = nil, nil
	return national, partner
}

func TestSameTenderOnTwoSourcesIsOneNotice(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")

	national, partner := sporthalOnTwoSources()
	h.poll(national)
	h.poll(partner)
	h.deliver()

	if n := len(h.chat.Sent()); n != 1 {
		t.Fatalf("alerts for one tender on two sources: got %d, want 1", n)
	}
	if count, _ := h.store.CountNotices(h.ctx); count != 1 {
		t.Errorf("stored notices: got %d, want 1", count)
	}
	stored, err := h.store.Notice(h.ctx, national.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Sources) != 2 || stored.Sources[1].URL != partner.URL {
		t.Errorf("sources: got %+v, want both links", stored.Sources)
	}
	if stored.Value == nil || stored.Value.Amount != 450000 || len(stored.CPV) == 0 {
		t.Errorf("a poorer copy must not erase what is known: value %+v, cpv %v", stored.Value, stored.CPV)
	}
	h.poll(partner) // the partner's feed again: still one notice, no alert
	h.deliver()
	if n := len(h.chat.Sent()); n != 1 {
		t.Errorf("after the partner feed's next poll: %d alerts, want still 1", n)
	}
}

// A poll's notices are planned one ahead of the one being stored; two of
// them that are the same tender must still meet as one, however the poll
// orders them, and the other notices around them alert as usual.
func TestSameTenderTwiceInOnePollIsOneNotice(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")

	national, partner := sporthalOnTwoSources()
	other := notice("n-other", "Onderhoud kademuren", "45241000", "NL213", h.clock.Now().Add(-time.Hour))
	h.poll(other, national, partner, other)
	h.deliver()

	if got := strings.Join(cardIDs(sentMessages(h.chat.Sent())...), ","); got != "n-other,"+national.ID {
		t.Errorf("alerts: got %s, want n-other and the tender once", got)
	}
	if count, _ := h.store.CountNotices(h.ctx); count != 2 {
		t.Errorf("stored notices: got %d, want 2", count)
	}
	stored, err := h.store.Notice(h.ctx, national.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Sources) != 2 {
		t.Errorf("sources: got %+v, want both links", stored.Sources)
	}
}

func TestChangeAndAwardUpdateWithoutAlerting(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	tender := sporthal
	tender.ProcedureID = "ocds-b5fd17-2026-0412-almelo"
	h.poll(tender)
	h.deliver()

	change := tender
	change.ID, change.Kind = "change-1", bot.KindChange
	change.Deadline = tender.Deadline.AddDate(0, 0, 14)
	h.poll(change)
	stored, err := h.store.Notice(h.ctx, tender.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.Deadline.Equal(change.Deadline) || stored.Kind != bot.KindTender {
		t.Errorf("after the change: deadline %v kind %s, want %v and still a tender", stored.Deadline, stored.Kind, change.Deadline)
	}

	award := tender
	award.ID, award.Kind = "award-1", bot.KindAward
	h.poll(award)
	if stored, _ = h.store.Notice(h.ctx, tender.ID); stored.Kind != bot.KindAward {
		t.Errorf("after the award: kind %s, want award", stored.Kind)
	}

	orphan := notice("award-of-unseen", "Gunning onderhoud bruggen", "45221000", "NL213", h.clock.Now())
	orphan.Kind = bot.KindAward
	h.poll(orphan)
	h.deliver()
	if n := len(h.chat.Sent()); n != 1 {
		t.Errorf("messages: got %d, want only the tender's alert (changes and awards never alert afresh)", n)
	}
}

// savingCounter counts the notices a bot asks its store to save.
type savingCounter struct {
	bot.Store
	saves atomic.Int64
}

func (s *savingCounter) SaveNotice(ctx context.Context, n bot.Notice, keys []string, fx bot.Effects) (bool, error) {
	s.saves.Add(1)
	return s.Store.SaveNotice(ctx, n, keys, fx)
}

// TestAnUnchangedNoticeReadAgainIsNotWritten: a feed read again as it was
// costs no write, though its notices came back from the store in another
// zone and with empty lists; a changed one is written, and alerts its
// followers as before.
func TestAnUnchangedNoticeReadAgainIsNotWritten(t *testing.T) {
	var counter *savingCounter
	h := newHarness(t, func(o *bot.Options) {
		counter = &savingCounter{Store: o.Store}
		o.Store = counter
	})
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	local := sporthal
	local.Published, local.Deadline = local.Published.In(ams), local.Deadline.In(ams)
	local.Lots = []bot.Lot{}
	h.poll(local, zonne) // the baseline
	h.clock.Advance(time.Hour)
	h.poll(zonne) // makes the feed read once more with news
	saved := counter.saves.Load()
	h.poll(local, zonne)
	h.poll(sporthal, zonne)
	if got := counter.saves.Load() - saved; got != 0 {
		t.Errorf("unchanged notices read again: %d saves, want none", got)
	}
	changed := sporthal
	changed.Deadline = changed.Deadline.AddDate(0, 0, 7)
	h.poll(changed, zonne)
	if got := counter.saves.Load() - saved; got != 1 {
		t.Errorf("a changed deadline: %d saves, want 1", got)
	}
	if stored, err := h.store.Notice(h.ctx, sporthal.ID); err != nil || !stored.Deadline.Equal(changed.Deadline) {
		t.Errorf("stored deadline %v, %v; want %v", stored.Deadline, err, changed.Deadline)
	}
}

// TestFeedDefaultKind reads a configured feed whose kind is tender, as
// TENDERBOT_FEEDS gives it: an item that says no kind is a tender and
// reaches the default profiles; one that says its kind keeps it.
func TestFeedDefaultKind(t *testing.T) {
	h := newHarness(t, func(o *bot.Options) { o.Feeds[0].Kind = bot.KindTender })
	feeds, err := h.bot.FeedsToPoll(h.ctx)
	if err != nil || feeds[0].DefaultKind != bot.KindTender {
		t.Fatalf("FeedsToPoll: got %+v, %v; want the configured default kind", feeds, err)
	}
	h.poll()
	h.say(alice, "subscribe cpv:45") // kind:early,tender added

	plain := notice("n-plain", "Renovatie brug", "45221111", "NL213", h.clock.Now())
	plain.Kind = bot.KindOther
	award := notice("n-award", "Gegund: onderhoud kade", "45241000", "NL213", h.clock.Now())
	award.Kind = bot.KindAward
	h.poll(plain, award)
	h.deliver()

	if got := strings.Join(cardIDs(sentMessages(h.chat.Sent())...), ","); got != "n-plain" {
		t.Errorf("alerts: got %q, want n-plain (its kind the feed's), not the award", got)
	}
	for id, want := range map[string]bot.Kind{"n-plain": bot.KindTender, "n-award": bot.KindAward} {
		if n, err := h.store.Notice(h.ctx, id); err != nil || n.Kind != want {
			t.Errorf("%s: got kind %q, %v; want %q", id, n.Kind, err, want)
		}
	}
}
