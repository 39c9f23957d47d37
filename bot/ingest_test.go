package bot_test

import (
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
