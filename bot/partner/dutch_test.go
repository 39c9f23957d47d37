package partner_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// sayDutch sends text from a chat that reports Dutch for its sender.
func (h *harness) sayDutch(from bot.Subscriber, text string) bot.Message {
	h.t.Helper()
	return h.bot.Handle(h.ctx, bot.Command{From: from, Text: text, Locale: "nl-NL"})
}

// TestFeedsSpeakTheirReadersLanguage: a partner whose chat speaks Dutch
// proposes, saves, lists and pauses a feed in Dutch, is refused in Dutch,
// and is told in Dutch when the feed keeps failing; English stays the
// default for everybody else.
func TestFeedsSpeakTheirReadersLanguage(t *testing.T) {
	h := newHarness(t)
	h.say(admin, "role grant desk partner")
	steps := []struct {
		name, command string
		want          []string
	}{
		{"preview", "feed add https://desk.example.nl/rss Twente Business Desk", []string{`"Twente Business Desk" is een rss-feed met 2 items`, "Daarin gevonden: CPV-codes in 2", "om hem te bewaren"}},
		{"refusal", "feed add http://10.0.0.1/rss", []string{"Ik kan die feed niet gebruiken: 10.0.0.1 verwijst naar 10.0.0.1, een privéadres."}},
		{"unreadable", "feed add https://gone.example/rss", []string{"Ik kon die feed niet lezen"}},
		{"bad kind", "feed add https://desk.example.nl/rss kind=tenders", []string{"Bijvoorbeeld `feed add"}},
		{"save", "feed add https://desk.example.nl/rss Desk kind=tender confirm", []string{`Feed #2 "Desk" is toegevoegd`, "Items zonder soort tellen als aanbesteding."}},
		{"pause", "feed pause 2", []string{`Feed #2 "Desk" is stilgezet; met ` + "`feed resume 2`"}},
		{"list", "feed list", []string{"Feeds (2):", "#1 test feed — toegevoegd door de beheerder van de bot, vorm zelf herkend, 0 meldingen", "nog niet gelezen",
			"#2 Desk — toegevoegd door desk, rss, items zonder soort tellen als aanbesteding, 0 meldingen", "stilgezet: stilgezet door desk"}},
		{"not theirs", "feed pause 1", []string{"ingesteld door de beheerder van de bot"}},
		{"no such feed", "feed stats 9", []string{"Er is geen feed #9"}},
		{"usage", "feed frobnicate", []string{"Schrijf `feed add <url>"}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			reply := h.sayDutch(partnerUser, step.command)
			for _, want := range step.want {
				if !strings.Contains(reply.Text, want) {
					t.Errorf("%s: got %q, want %q in it", step.command, reply.Text, want)
				}
			}
		})
	}
	if got := h.say(bob, "feed list").Text; !strings.Contains(got, "added by the operator") {
		t.Errorf("English by default: got %q", got)
	}

	h.sayDutch(partnerUser, "feed resume 2")
	for range 10 {
		h.bot.FeedPolled(h.ctx, h.feedNamed("Desk"), bot.PollResult{At: h.clock.Now(), Err: errors.New("fetch: server answered 500 Internal Server Error")})
		h.clock.Advance(time.Hour)
	}
	h.deliver()
	var told []string
	for _, s := range h.chat.Sent() {
		if s.To == partnerUser && strings.Contains(s.Message.Text, "Desk") {
			told = append(told, s.Message.Text)
		}
	}
	want := `Ik lees je feed #2 "Desk" niet meer: lezen mislukte 10 keer op rij, de laatste keer: de server antwoordde 500 Internal Server Error.`
	if len(told) != 1 || !strings.HasPrefix(told[0], want) {
		t.Errorf("the owner was told %q, want once %q", told, want)
	}
	if got := h.sayDutch(partnerUser, "feed list").Text; !strings.Contains(got, "uitgezet: 10 keer op rij mislukt, de laatste keer: de server antwoordde 500 Internal Server Error") {
		t.Errorf("list of a disabled feed: got %q", got)
	}
}
