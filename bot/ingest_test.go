package bot_test

import (
	"errors"
	"strings"
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

func TestSameTenderOnTwoSourcesIsOneNotice(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")

	national := sporthal
	national.ID, national.URL, national.Source = "tenderned-418655", "https://www.tenderned.nl/418655", "TenderNed"
	national.Value = &bot.Money{Amount: 450000, Currency: "EUR"}
	partner := sporthal
	partner.ID, partner.URL, partner.Source = "partner-77", "https://twente.example/77", "Twente Business Desk"
	partner.Title = "Renovatie sporthal De Sluis." // punctuation differs between sources
	partner.CPV, partner.Value = nil, nil

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

func TestFeedsCommandShowsPollState(t *testing.T) {
	h := newHarness(t)
	if reply := h.say(alice, "feeds"); !strings.Contains(reply.Text, "#1 test feed — added by the operator, auto-detected, 0 alerts\n   not read yet") {
		t.Errorf("before any poll: %q", reply.Text)
	}
	h.poll(sporthal, zonne)
	if reply := h.say(alice, "feeds"); !strings.Contains(reply.Text, "read 09:00, 2 items") {
		t.Errorf("after a poll: %q", reply.Text)
	}
	h.clock.Advance(time.Hour)
	h.bot.FeedPolled(h.ctx, h.feed, bot.PollResult{At: h.clock.Now(), Err: errors.New("server answered 502 Bad Gateway"), NextPoll: h.clock.Now().Add(30 * time.Minute)})
	reply := h.say(alice, "feeds")
	for _, want := range []string{"failing (1 in a row): server answered 502 Bad Gateway", "last read 09:00 with 2 items", "next read 10:30"} {
		if !strings.Contains(reply.Text, want) {
			t.Errorf("after a failure: %q lacks %q", reply.Text, want)
		}
	}
	// Go's error text, with the resolver's address, is for the log only.
	h.bot.FeedPolled(h.ctx, h.feed, bot.PollResult{At: h.clock.Now(), Err: errors.New("read https://feeds.example/tenders.xml: fetch: dial tcp: lookup feeds.example on 127.0.0.53:53: no such host"), NextPoll: h.clock.Now().Add(30 * time.Minute)})
	reply = h.say(alice, "feeds")
	if strings.Contains(reply.Text, "127.0.0.53") || strings.Contains(reply.Text, "dial tcp") || !strings.Contains(reply.Text, "could not be read") {
		t.Errorf("a network failure: %q, want it said without Go's error text", reply.Text)
	}
	h.bot.FeedPolled(h.ctx, h.feed, bot.PollResult{At: h.clock.Now(), Err: errors.New("read https://desk.example/rss: refused https://desk.example/rss: the host desk.example cannot be resolved: lookup desk.example on 127.0.0.53:53: no such host"), NextPoll: h.clock.Now().Add(30 * time.Minute)})
	reply = h.say(alice, "feeds")
	if strings.Contains(reply.Text, "127.0.0.53") || !strings.Contains(reply.Text, "refused https://desk.example/rss: the host desk.example cannot be resolved;") {
		t.Errorf("a refusal: %q, want the rule without the resolver's answer", reply.Text)
	}
}
