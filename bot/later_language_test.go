package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// TestWhatComesLaterIsInEachRecipientsLanguage checks that what the bot
// writes to people later, digests, updates of a followed tender and
// reminders, is in each recipient's language: alice chose Dutch, bob
// nothing.
func TestWhatComesLaterIsInEachRecipientsLanguage(t *testing.T) {
	h := newStreamHarness(t, 0)
	h.poll()
	h.say(alice, "language nl")
	for _, who := range []bot.Subscriber{alice, bob} {
		h.say(who, "subscribe cpv:45")
		h.say(who, "digest 1 daily")
	}
	tender := fresh(h, "n-1", "Renovatie sporthal", "45000000")
	tender.ProcedureID = "ocds-b5fd17-almelo-2026-0412"
	tender.Deadline = start.AddDate(0, 0, 30)
	h.poll(tender)
	h.clock.Advance(22*time.Hour + time.Minute) // Fri 08:01 in Amsterdam
	h.runDue()
	want := map[string]struct {
		lang                     text.Language
		digest, update, reminder string
	}{
		"alice": {text.Dutch, "Je overzicht van vandaag — aankondigingen die bij je profielen passen: 1", "Nieuws over \"Renovatie sporthal\": de sluitingsdatum is verschoven van", "Herinnering: \"Renovatie sporthal\" sluit over 7 dagen, op za 9 jan 2027"},
		"bob":   {text.English, "Today's digest: 1 notice(s) matched your profiles", "Update on \"Renovatie sporthal\": the deadline moved from", "Reminder: \"Renovatie sporthal\" closes in 7 days, on Sat 9 Jan 2027"},
	}
	check := func(what string, prefix func(user string) string) {
		t.Helper()
		got := map[string]bot.Message{}
		for _, s := range h.chat.Sent() {
			if strings.HasPrefix(s.Message.Text, prefix(s.To.User)[:8]) {
				got[s.To.User] = s.Message
			}
		}
		for user, w := range want {
			if m := got[user]; !strings.HasPrefix(m.Text, prefix(user)) || m.Printer().Language() != w.lang {
				t.Errorf("%s's %s: %q in %q, want it to start %q", user, what, m.Text, m.Language, prefix(user))
			}
		}
	}
	check("digest", func(user string) string { return want[user].digest })

	for _, who := range []bot.Subscriber{alice, bob} {
		h.bot.HandleAction(h.ctx, bot.Click{From: who, Action: bot.Action{Kind: bot.ActionFollow, NoticeRef: bot.NoticeRef(tender.ID)}})
	}
	change := tender
	change.ID, change.Kind = "n-1-corr", bot.KindChange
	change.Deadline = tender.Deadline.AddDate(0, 0, 14)
	h.poll(change)
	h.runDue()
	check("update", func(user string) string { return want[user].update })

	h.clock.Advance(37 * 24 * time.Hour)
	h.runDue()
	check("reminder", func(user string) string { return want[user].reminder })
}

// TestHourlyCapSaysSoInDutch checks that the word about the hourly cap, and
// the digest that carries what it held back, reach a Dutch reader in Dutch.
func TestHourlyCapSaysSoInDutch(t *testing.T) {
	h := newStreamHarness(t, 1)
	h.poll()
	h.say(alice, "language nl")
	h.say(alice, "subscribe cpv:45")
	h.poll(fresh(h, "n-1", "Onderhoud 1", "45000000"), fresh(h, "n-2", "Onderhoud 2", "45000000"))
	h.runDue()
	var note bot.Message
	for _, s := range h.chat.Sent() {
		if len(s.Message.Cards) == 0 {
			note = s.Message
		}
	}
	if !strings.HasPrefix(note.Text, "Je hebt het afgelopen uur 1 meldingen gehad") || note.Language != text.Dutch {
		t.Errorf("the cap's word: %q in %q", note.Text, note.Language)
	}
	h.clock.Advance(22 * time.Hour)
	h.runDue()
	last := h.chat.Sent()[len(h.chat.Sent())-1].Message
	if !strings.Contains(last.Text, "1 daarvan kwamen binnen nadat je het maximum aantal meldingen per uur had bereikt") {
		t.Errorf("the digest of what the cap held back: %q", last.Text)
	}
}
