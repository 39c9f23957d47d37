package engage_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/text"
)

// readsDutch makes the subscribers read Dutch, as `language nl` (and, for
// a channel, `language nl here`) does.
func (h *harness) readsDutch(who ...bot.Subscriber) {
	h.t.Helper()
	for _, s := range who {
		if err := h.store.SaveSettings(h.ctx, s, bot.Settings{Language: text.Dutch}); err != nil {
			h.t.Fatalf("settings of %s: %v", s.Key(), err)
		}
	}
}

// register registers a person on the event's public page, in the page's
// language.
func (h *harness) register(id int64, addr string, lang text.Language) bot.Subscriber {
	h.t.Helper()
	done, err := h.events.Register(h.ctx, id, engage.Registrant{Name: "Jan Jansen", Company: "Zon BV", Email: addr, Language: lang})
	if err != nil {
		h.t.Fatalf("register %s: %v", addr, err)
	}
	return done.Who
}

// sentIn checks that the last message sent to who contains want and
// says it is in lang.
func (h *harness) sentIn(who bot.Subscriber, lang text.Language, want ...string) {
	h.t.Helper()
	var last bot.Message
	for _, s := range h.chat.Sent() {
		if s.To == who {
			last = s.Message
		}
	}
	if last.Language != lang {
		h.t.Errorf("%s: last message in %q, want %q: %q", who.Key(), last.Language, lang, last.Text)
	}
	for _, w := range want {
		if !strings.Contains(last.Text, w) {
			h.t.Errorf("%s: got %q, want it to contain %q", who.Key(), last.Text, w)
		}
	}
}

func contains(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: got %q, want it to contain %q", what, got, w)
		}
	}
}

func TestEventRepliesInTheLanguageOfWhoeverTyped(t *testing.T) {
	h := newEventHarness(t)
	h.say(alice, "language nl")
	contains(t, "alice's events", h.say(alice, "events").Text, "Er komen geen bijeenkomsten aan.")
	contains(t, "bob's events", h.say(bob, "events").Text, "No upcoming events.")

	id := h.publishSolar(solarEvent)
	show := fmt.Sprintf("event %d", id)
	contains(t, "alice's event", h.say(alice, show).Text, "Marktconsultatie zonnedaken (bijeenkomst 1)", "Marktconsultatie ·", "donderdag 10 december 2026, 14:00–16:00 (UTC+01:00)", "Plaatsen: nog 2 van 2 vrij")
	contains(t, "bob's event", h.say(bob, show).Text, "(event 1)", "Market consultation ·", "10 Dec 2026, 14:00–16:00", "Places: 2 of 2 left")
	contains(t, "alice's rsvp", h.say(alice, fmt.Sprintf("event rsvp %d going", id)).Text, `Je komt naar "Marktconsultatie zonnedaken"`, "name=")
	contains(t, "bob's rsvp", h.say(bob, fmt.Sprintf("event rsvp %d going", id)).Text, `You're going to "Marktconsultatie zonnedaken"`)
	contains(t, "alice's mistake", h.say(alice, "event frobnicate 1").Text, "`event frobnicate` ken ik niet")
	contains(t, "bob's mistake", h.say(bob, "event frobnicate 1").Text, "I don't know `event frobnicate`")
	contains(t, "alice's missing event", h.say(alice, "event 9").Text, "Er is geen bijeenkomst 9; `events` laat ze zien.")
	contains(t, "bob's missing event", h.say(bob, "event 9").Text, "There is no event 9; `events` lists them.")

	// A button answers in the language of who pressed it.
	reply := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: bot.Action{Kind: bot.ActionAsk, EventID: id}})
	if reply.Language != text.Dutch || !strings.Contains(reply.Text, "Schrijf `event ask 1 <je vraag>`") {
		t.Errorf("alice's button: %q in %q", reply.Text, reply.Language)
	}
}

func TestEventFormAsksInTheStaffMembersLanguage(t *testing.T) {
	h := newEventHarness(t)
	h.say(staff, "language nl")
	reply := h.say(staff, `event new title="Leveranciersdag zorg"`)
	contains(t, "the form", reply.Text, "Wat voor bijeenkomst is het: consultation, supplier_day, meet_the_buyer of webinar?", "met `cancel` gooi je het formulier weg")
	contains(t, "a wrong kind", h.say(staff, "teatime").Text, `"teatime" is geen soort bijeenkomst`, "Wat voor bijeenkomst")
	contains(t, "cancel", h.say(staff, "cancel").Text, "er is niets opgeslagen")
	if err := h.events.CheckEventForm(h.ctx, staff, map[string]string{"title": "Leveranciersdag"}); !strings.Contains(bot.ErrorText(text.For(text.Dutch), err), "Soort is verplicht") {
		t.Errorf("a form without its kind: %v", err)
	}
}

func TestAnnouncementsAndInvitationsInEachReadersLanguage(t *testing.T) {
	english := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", Channel: "tenders"}
	h := newHarness(t, engage.Options{BaseURL: "https://events.example", Announce: []bot.Subscriber{announce, english}})
	h.readsDutch(announce)
	h.say(alice, "language nl")
	h.say(alice, "subscribe cpv:09 nuts:NL2")
	h.say(dave, "subscribe zonnedaken kind:early")
	h.publishSolar(solarEvent)
	h.deliver()
	h.sentIn(announce, text.Dutch, "Nieuwe marktconsultatie: Marktconsultatie zonnedaken", "donderdag 10 december 2026", "Iedereen kan zich aanmelden")
	h.sentIn(english, text.English, "New market consultation: Marktconsultatie zonnedaken", "10 Dec 2026", "Everybody can register")
	h.sentIn(alice, text.Dutch, "Je bent uitgenodigd: Marktconsultatie zonnedaken (marktconsultatie)", "Dit past bij je profiel", "agenda: https://events.example/events/1.ics")
	h.sentIn(dave, text.English, "You're invited: Marktconsultatie zonnedaken (market consultation)", "Matched because")
}

func TestEverybodyHearsOfAnEventInTheirLanguage(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(strings.Replace(solarEvent, "capacity=2", "capacity=3", 1))
	h.say(alice, "language nl")
	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.say(bob, fmt.Sprintf("event rsvp %d going", id))
	jan := h.register(id, "jan@zon.example", text.Dutch)
	h.deliver()
	h.sentIn(jan, text.Dutch, `Je komt naar "Marktconsultatie zonnedaken"`, "donderdag 10 december 2026")
	st, err := h.store.EventState(h.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range st.Registrations {
		if r.Who == jan && r.Language != text.Dutch {
			t.Errorf("jan's registration keeps %q, want nl", r.Language)
		}
	}
	// Full now: the next web registrant waits, in English.
	ann := h.register(id, "ann@zon.example", text.English)
	h.deliver()
	h.sentIn(ann, text.English, "is full: you're number 1 on the waitlist")

	h.say(carol, fmt.Sprintf("event ask %d Mogen consortia inschrijven?", id))
	h.say(staff, fmt.Sprintf("event answer %d 1 Ja.", id))
	h.deliver()
	for _, who := range []bot.Subscriber{alice, jan} {
		h.sentIn(who, text.Dutch, `Vragen en antwoorden over "Marktconsultatie zonnedaken" — vraag 1 beantwoord`, "V1: Mogen consortia inschrijven?\nA: Ja.")
	}
	for _, who := range []bot.Subscriber{bob, ann, carol} {
		h.sentIn(who, text.English, "Q&A for", "Q1: Mogen consortia inschrijven?\nA: Ja.")
	}

	h.say(staff, fmt.Sprintf("event material %d https://almelo.example/slides.pdf Dia's", id))
	h.deliver()
	h.sentIn(jan, text.Dutch, "Nieuw materiaal over")
	h.sentIn(bob, text.English, "New material for")

	// Bob gives up his place: ann, on the page in English, gets it.
	h.say(bob, fmt.Sprintf("event rsvp %d no", id))
	h.deliver()
	h.sentIn(ann, text.English, "A place opened up")

	h.say(staff, fmt.Sprintf(`event update %d place="Hof88, Almelo"`, id))
	h.deliver()
	h.sentIn(alice, text.Dutch, `Gewijzigd: "Marktconsultatie zonnedaken" (plaats).`, "Hof88")
	h.sentIn(jan, text.Dutch, "Gewijzigd:")
	h.sentIn(ann, text.English, `Changed: "Marktconsultatie zonnedaken" (place).`)

	start := time.Date(2026, 12, 10, 13, 0, 0, 0, time.UTC)
	h.clock.Advance(start.Add(-24*time.Hour + time.Minute).Sub(h.clock.Now()))
	h.deliver()
	h.sentIn(alice, text.Dutch, `Herinnering: "Marktconsultatie zonnedaken" begint over 24 uur.`, "donderdag 10 december 2026, 14:00–16:00 (UTC+01:00) · Hof88")
	h.sentIn(jan, text.Dutch, "Herinnering:")
	h.sentIn(ann, text.English, `Reminder: "Marktconsultatie zonnedaken" starts in 24 hours.`, "10 Dec 2026")

	h.say(staff, fmt.Sprintf("event cancel %d de zaal is ondergelopen", id))
	h.deliver()
	h.sentIn(jan, text.Dutch, `Gaat niet door: "Marktconsultatie zonnedaken"`, "Reden: de zaal is ondergelopen")
	h.sentIn(ann, text.English, `Cancelled: "Marktconsultatie zonnedaken"`, "Reason: de zaal is ondergelopen")
}

func TestOrganisersHearQuestionsInTheirLanguage(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent)
	h.readsDutch(staff)
	h.say(carol, fmt.Sprintf("event ask %d Is parkeren gratis?", id))
	h.deliver()
	h.sentIn(staff, text.Dutch, `Vraag 1 over "Marktconsultatie zonnedaken" (bijeenkomst 1), anoniem gesteld:`, "Is parkeren gratis?")
	if got := h.say(staff, fmt.Sprintf("event answer %d V1 Ja.", id)); !strings.Contains(got.Text, "Vraag 1 beantwoord") {
		t.Errorf("an answer to V1: %q", got.Text)
	}
}

func TestWorkspaceLanguageIsTheDefault(t *testing.T) {
	h := newHarness(t, engage.Options{BaseURL: "https://events.example", Announce: []bot.Subscriber{announce}, Language: text.Dutch})
	h.publishSolar(solarEvent)
	h.deliver()
	h.sentIn(announce, text.Dutch, "Nieuwe marktconsultatie")
	jan := h.register(1, "jan@zon.example", "")
	h.deliver()
	h.sentIn(jan, text.Dutch, "Je komt naar")
	if ics := string(h.chat.Sent()[len(h.chat.Sent())-1].Message.Attachment.Data); !strings.Contains(ics, "Aanmelden: druk in de chat") {
		t.Errorf("the calendar file of a Dutch registrant:\n%s", ics)
	}
}
