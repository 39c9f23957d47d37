package partner_test

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestFeedAddWithDefaultKind(t *testing.T) {
	h := newHarness(t)
	h.poll(h.feed.ID)
	h.say(admin, "role grant desk partner")

	preview := h.say(partnerUser, "feed add https://desk.example.nl/rss kind=tender Twente Business Desk")
	for _, want := range []string{`"Twente Business Desk" is a rss feed`, "Its items that say no kind count as tender.",
		"`feed add https://desk.example.nl/rss Twente Business Desk kind=tender confirm`"} {
		if !strings.Contains(preview.Text, want) {
			t.Errorf("preview lacks %q: %q", want, preview.Text)
		}
	}
	if reply := h.say(partnerUser, "feed add https://desk.example.nl/rss Twente Business Desk kind=tender confirm"); !strings.Contains(reply.Text, "count as tender") {
		t.Fatalf("confirm: %q", reply.Text)
	}
	desk := h.feedNamed("Twente Business Desk")
	if desk.DefaultKind != bot.KindTender {
		t.Errorf("stored default kind %q, want tender", desk.DefaultKind)
	}
	if list := h.say(partnerUser, "feed list"); !strings.Contains(list.Text, "Twente Business Desk — added by desk, rss, items without a kind count as tender") {
		t.Errorf("feed list does not show the default kind: %q", list.Text)
	}
	if reply := h.say(partnerUser, "feed add https://desk.example.nl/rss kind=tenders"); !strings.Contains(reply.Text, `"tenders" is not a kind of notice`) {
		t.Errorf("an unknown kind: %q", reply.Text)
	}
}

func TestFeedAddNamedSourceAndItsHealth(t *testing.T) {
	h := newHarness(t)
	h.poll(h.feed.ID)
	h.say(admin, "role grant desk partner")

	if preview := h.say(partnerUser, "feed add tenderned"); !strings.Contains(preview.Text, `"TenderNed" is a tenderned feed with 1 items`) {
		t.Errorf("preview of a named source: %q", preview.Text)
	}
	if reply := h.say(partnerUser, "feed add tenderned confirm"); !strings.Contains(reply.Text, `Added feed #2 "TenderNed"`) {
		t.Fatalf("confirm: %q", reply.Text)
	}
	tn := h.feedNamed("TenderNed")
	if tn.URL != "tenderned" {
		t.Errorf("stored location %q, want tenderned", tn.URL)
	}

	// Before a poll that reports it, no source line; after, the line.
	if list := h.say(admin, "feeds"); strings.Contains(list.Text, "read today") {
		t.Errorf("feeds shows a source line before any poll: %q", list.Text)
	}
	h.bot.FeedPolled(h.ctx, tn, bot.PollResult{At: h.clock.Now(), Items: 230, Source: &bot.SourceHealth{
		ReadToday: 230, DetailsPending: 3, UnknownCodes: map[string]int{"XYZ": 2, "AAW": 1}, LastCompleteDay: "2026-11-25"}})
	want := "230 notices read today, 3 details pending, unknown codes AAW (1), XYZ (2), complete up to 2026-11-25"
	if list := h.say(admin, "feeds"); !strings.Contains(list.Text, want) {
		t.Errorf("feeds lacks %q: %q", want, list.Text)
	}
	// A failed poll keeps the last known standing.
	h.bot.FeedPolled(h.ctx, tn, bot.PollResult{At: h.clock.Now(), Err: errString("server answered 502 Bad Gateway")})
	if list := h.say(admin, "feeds"); !strings.Contains(list.Text, want) {
		t.Errorf("after a failed poll, feeds lacks %q: %q", want, list.Text)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
