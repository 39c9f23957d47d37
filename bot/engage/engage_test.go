package engage_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
	"github.com/tenderbot/tenderbot/bot/engage"
)

func TestEventNewAsksOnlyForWhatIsMissing(t *testing.T) {
	h := newEventHarness(t)
	reply := h.say(staff, `event new title="Leveranciersdag Twente" start=2026-12-15T09:30+01:00 place="Hof88, Almelo"`)
	if !strings.Contains(reply.Text, "What kind of event") {
		t.Fatalf("first question: %q", reply.Text)
	}
	if reply = h.say(staff, "teatime"); !strings.Contains(reply.Text, "not a kind of event") || !strings.Contains(reply.Text, "What kind of event") {
		t.Fatalf("a wrong answer must say what would work and ask again: %q", reply.Text)
	}
	if reply = h.say(staff, "supplier day"); !strings.Contains(reply.Text, "When does it end") {
		t.Fatalf("after the kind it must ask for the end only (title, start, place were given): %q", reply.Text)
	}
	reply = h.say(staff, "12:30")
	if !strings.Contains(reply.Text, "Draft saved as event 1") || !strings.Contains(reply.Text, "09:30–12:30 (UTC+01:00)") {
		t.Fatalf("draft: %q", reply.Text)
	}
	// A draft is for staff only.
	if got := h.say(alice, "event 1"); !strings.Contains(got.Text, "no event 1") {
		t.Fatalf("a draft must be invisible to others: %q", got.Text)
	}
	if got := h.say(alice, "events"); !strings.Contains(got.Text, "No upcoming events") {
		t.Fatalf("events for others: %q", got.Text)
	}
}

func TestEventFormCancelSavesNothing(t *testing.T) {
	h := newEventHarness(t)
	h.say(staff, `event new title="Webinar"`)
	if reply := h.say(staff, "cancel"); !strings.Contains(reply.Text, "nothing was saved") {
		t.Fatalf("cancel: %q", reply.Text)
	}
	if got := h.say(staff, "events"); !strings.Contains(got.Text, "No upcoming events") {
		t.Fatalf("after cancel: %q", got.Text)
	}
	// Lines are commands again.
	if got := h.say(staff, "profiles"); strings.Contains(got.Text, "kind of event") {
		t.Fatalf("the form must be gone: %q", got.Text)
	}
	// While a form waits, a line is its answer, whatever word it starts with.
	h.say(staff, `event new kind=supplier_day start=2026-12-15T09:30+01:00 end=12:00 place="Hof88"`)
	if got := h.say(staff, "Home care supplier day"); !strings.Contains(got.Text, "Draft saved as event 1") || !strings.Contains(got.Text, "Home care supplier day (event 1)") {
		t.Fatalf("a title starting with a command word: %q", got.Text)
	}
}

func TestStaffCommandsRefuseOthers(t *testing.T) {
	h := newEventHarness(t)
	for _, line := range []string{solarEvent, "event publish 1", "event answer 1 1 yes", "event attendees 1", "event export 1", "event cancel 1"} {
		if got := h.say(alice, line); !strings.Contains(got.Text, "Only people with the staff role") {
			t.Errorf("%s by a non-staff member: %q", line, got.Text)
		}
	}
}

func TestEventReachPreviewCountsWithoutNaming(t *testing.T) {
	h := newEventHarness(t)
	h.say(alice, "subscribe cpv:09 nuts:NL2")
	h.say(bob, "subscribe cpv:45 nuts:NL21")           // another trade: not reached
	h.say(dave, "subscribe zonnedaken kind:early")     // by keyword
	h.say(carol, "subscribe cpv:09331200 kind:tender") // tenders only: not reached
	reply := h.say(staff, solarEvent)
	if !strings.Contains(reply.Text, "Reach: 2 subscribed businesses") {
		t.Fatalf("reach: %q", reply.Text)
	}
	for _, name := range []string{alice.User, bob.User, dave.User, carol.User} {
		if strings.Contains(reply.Text, name) {
			t.Errorf("the reach preview names %s: %q", name, reply.Text)
		}
	}
	if !strings.Contains(reply.Text, "By CPV division: 09") || !strings.Contains(reply.Text, "any CPV: 1") {
		t.Errorf("breakdown by division: %q", reply.Text)
	}
	if len(reply.Actions) != 1 || reply.Actions[0].Kind != bot.ActionPublish {
		t.Errorf("the draft must offer a Publish button: %+v", reply.Actions)
	}
}

func TestPublishAnnouncesBeforeInvitingWithReasons(t *testing.T) {
	h := newEventHarness(t)
	h.say(alice, "subscribe cpv:09 nuts:NL2")
	h.say(bob, "subscribe cpv:45")
	id := h.publishSolar(solarEvent)
	h.deliver()
	sent := h.chat.Sent()
	if len(sent) != 2 {
		t.Fatalf("want the announcement and one invite, got %d: %+v", len(sent), sent)
	}
	if sent[0].To != announce || !strings.Contains(sent[0].Message.Text, "New market consultation") {
		t.Errorf("first the public announcement: %+v", sent[0])
	}
	invite := sent[1]
	if invite.To != alice || !strings.Contains(invite.Message.Text, "Matched because") || !strings.Contains(invite.Message.Text, "cpv") {
		t.Errorf("then the invite with its reasons: %+v", invite)
	}
	want := []bot.ActionKind{bot.ActionGoing, bot.ActionMaybe, bot.ActionCantGo, bot.ActionAsk}
	var got []bot.ActionKind
	for _, a := range invite.Message.Actions {
		got = append(got, a.Kind)
		if a.EventID != id {
			t.Errorf("button for event %d, want %d", a.EventID, id)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("invite buttons: %v, want %v", got, want)
	}
	if _, err := h.events.PublicEvent(h.ctx, id); err != nil {
		t.Errorf("published event not public: %v", err)
	}
	// Publishing twice changes nothing.
	if got := h.say(staff, fmt.Sprintf("event publish %d", id)); !strings.Contains(got.Text, "already") {
		t.Errorf("second publish: %q", got.Text)
	}
	h.deliver()
	if n := len(h.chat.Sent()); n != 2 {
		t.Errorf("a second publish sent %d more", n-2)
	}
}

func TestCapacityWaitlistAndPromotion(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent) // capacity 2
	rsvp := func(who bot.Subscriber, answer string) string {
		return h.say(who, fmt.Sprintf("event rsvp %d %s", id, answer)).Text
	}
	if got := rsvp(alice, `going name="Alice de Vries" company="Zon BV"`); !strings.Contains(got, "You're going") {
		t.Fatalf("alice: %q", got)
	}
	if got := rsvp(bob, "going"); !strings.Contains(got, "You're going") || !strings.Contains(got, "name and company") {
		t.Fatalf("bob: %q", got)
	}
	if got := rsvp(dave, "going"); !strings.Contains(got, "number 1 on the waitlist") {
		t.Fatalf("dave must wait: %q", got)
	}
	if got := rsvp(carol, "going"); !strings.Contains(got, "number 2 on the waitlist") {
		t.Fatalf("carol must wait behind dave: %q", got)
	}
	// Going again keeps one's place in the queue.
	if got := rsvp(dave, "going"); !strings.Contains(got, "number 1 on the waitlist") {
		t.Fatalf("dave again: %q", got)
	}
	page, err := h.events.PublicEvent(h.ctx, id)
	if err != nil || page.Going != 2 || page.Waitlisted != 2 || page.PlacesLeft != 0 {
		t.Fatalf("page counts: %+v, %v", page, err)
	}
	h.deliver()
	before := len(h.chat.Sent())
	if got := rsvp(alice, "no"); !strings.Contains(got, "can't go") {
		t.Fatalf("alice cancels: %q", got)
	}
	h.deliver()
	if got := h.sentTo(dave); len(got) != 1 || !strings.Contains(got[0], "A place opened up") {
		t.Fatalf("dave must be promoted with a message: %q", got)
	}
	if n := len(h.chat.Sent()) - before; n != 1 {
		t.Errorf("one promotion message, got %d messages", n)
	}
	page, _ = h.events.PublicEvent(h.ctx, id)
	if page.Going != 2 || page.Waitlisted != 1 {
		t.Fatalf("after promotion: going %d, waitlisted %d", page.Going, page.Waitlisted)
	}
	// Maybe takes no place.
	if got := rsvp(alice, "maybe"); !strings.Contains(got, "maybe") {
		t.Fatalf("maybe: %q", got)
	}
	page, _ = h.events.PublicEvent(h.ctx, id)
	if page.Going != 2 {
		t.Fatalf("maybe took a place: %+v", page)
	}
}

func TestEventRemindersDayAndHourBefore(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent)
	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.say(bob, fmt.Sprintf("event rsvp %d maybe", id))
	h.say(dave, fmt.Sprintf("event rsvp %d going", id))
	h.say(dave, fmt.Sprintf("event rsvp %d no", id)) // withdraws: no reminders
	h.deliver()
	start := time.Date(2026, 12, 10, 13, 0, 0, 0, time.UTC)
	h.clock.Advance(start.Add(-24*time.Hour - time.Minute).Sub(h.clock.Now()))
	h.deliver()
	if got := h.sentTo(alice); slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "Reminder") }) {
		t.Fatalf("a reminder came early: %q", got)
	}
	h.clock.Advance(2 * time.Minute)
	h.deliver()
	for _, who := range []bot.Subscriber{alice, bob} {
		if got := h.sentTo(who); len(got) == 0 || !strings.Contains(got[len(got)-1], "starts in 24 hours") {
			t.Errorf("%s: day-before reminder missing: %q", who.User, got)
		}
	}
	h.clock.Advance(23 * time.Hour)
	h.deliver()
	if got := h.sentTo(alice); !strings.Contains(got[len(got)-1], "starts in 1 hour") {
		t.Errorf("hour-before reminder missing: %q", got)
	}
	if got := h.sentTo(dave); slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "Reminder") }) {
		t.Errorf("dave said no and still got a reminder: %q", got)
	}
}

func TestEventUpdateMovesRemindersAndRaisesSequence(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent)
	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.deliver()
	reply := h.say(staff, fmt.Sprintf("event update %d start=2026-12-11T14:00+01:00 end=16:00", id))
	if !strings.Contains(reply.Text, "1 registrant(s) are told") || !strings.Contains(reply.Text, "version 1") {
		t.Fatalf("update: %q", reply.Text)
	}
	h.deliver()
	if got := h.sentTo(alice); !strings.Contains(got[len(got)-1], "Changed") || !strings.Contains(got[len(got)-1], "Fri 11 Dec 2026") {
		t.Fatalf("alice must be told: %q", got)
	}
	page, _ := h.events.PublicEvent(h.ctx, id)
	ics := string(engage.EventICS(page.Event, "https://events.example"))
	if !strings.Contains(ics, "SEQUENCE:1\r\n") {
		t.Errorf("calendar file after an update:\n%s", ics)
	}
	// The old day's reminder is gone; the new day's comes.
	h.clock.Advance(time.Date(2026, 12, 9, 13, 30, 0, 0, time.UTC).Sub(h.clock.Now()))
	h.deliver()
	if got := h.sentTo(alice); strings.Contains(got[len(got)-1], "Reminder") {
		t.Fatalf("reminder for the old start: %q", got)
	}
	h.clock.Advance(24 * time.Hour)
	h.deliver()
	if got := h.sentTo(alice); !strings.Contains(got[len(got)-1], "starts in 24 hours") {
		t.Fatalf("reminder for the new start: %q", got)
	}
	reply = h.say(staff, fmt.Sprintf("event cancel %d the room is flooded", id))
	if !strings.Contains(reply.Text, "1 registrant(s) are told") {
		t.Fatalf("cancel: %q", reply.Text)
	}
	h.deliver()
	if got := h.sentTo(alice); !strings.Contains(got[len(got)-1], "Cancelled") || !strings.Contains(got[len(got)-1], "flooded") {
		t.Fatalf("cancellation: %q", got)
	}
	page, _ = h.events.PublicEvent(h.ctx, id)
	if ics := string(engage.EventICS(page.Event, "")); !strings.Contains(ics, "STATUS:CANCELLED") || !strings.Contains(ics, "SEQUENCE:2") {
		t.Errorf("cancelled calendar file:\n%s", ics)
	}
}

func TestQuestionsAreAnsweredToEveryoneAnonymously(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent)
	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.say(bob, fmt.Sprintf("event rsvp %d no", id))
	reply := h.say(carol, fmt.Sprintf("event ask %d Mogen consortia inschrijven?", id))
	if !strings.Contains(reply.Text, "Q1") || !strings.Contains(reply.Text, "without your name") {
		t.Fatalf("ask: %q", reply.Text)
	}
	h.deliver()
	toStaff := h.sentTo(staff)
	if len(toStaff) != 1 || !strings.Contains(toStaff[0], "Mogen consortia") || !strings.Contains(toStaff[0], "anonymously") {
		t.Fatalf("staff must get the question: %q", toStaff)
	}
	if got := h.say(staff, fmt.Sprintf("event answer %d 1 Ja, consortia zijn welkom.", id)); !strings.Contains(got.Text, "Q1 answered") {
		t.Fatalf("answer: %q", got.Text)
	}
	if got := h.say(staff, fmt.Sprintf("event answer %d 1 Nee.", id)); !strings.Contains(got.Text, "answered already") {
		t.Fatalf("an answer is published once: %q", got.Text)
	}
	h.deliver()
	for _, who := range []bot.Subscriber{alice, bob, carol} {
		got := h.sentTo(who)
		if len(got) == 0 || !strings.Contains(got[len(got)-1], "Ja, consortia zijn welkom") {
			t.Errorf("%s must get the answer: %q", who.User, got)
		}
	}
	// The asker's id appears in nothing sent to anybody else, nor on the page.
	for _, s := range h.chat.Sent() {
		if s.To != carol && strings.Contains(s.Message.Text, carol.User) {
			t.Errorf("the asker is named to %s: %q", s.To.Key(), s.Message.Text)
		}
	}
	page, err := h.events.PublicEvent(h.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	pageJSON, _ := json.Marshal(page)
	if strings.Contains(string(pageJSON), carol.User) {
		t.Errorf("the asker is on the page: %s", pageJSON)
	}
	if len(page.Questions) != 1 || page.Questions[0].Answer != "Ja, consortia zijn welkom." {
		t.Errorf("page Q&A: %+v", page.Questions)
	}
	// A late registrant gets the whole backlog with the confirmation.
	late := h.say(dave, fmt.Sprintf("event rsvp %d going", id))
	if !strings.Contains(late.Text, "Q1: Mogen consortia") || !strings.Contains(late.Text, "A: Ja, consortia") {
		t.Errorf("late registrant without the backlog: %q", late.Text)
	}
	if late.Attachment == nil || !strings.HasPrefix(string(late.Attachment.Data), "BEGIN:VCALENDAR\r\n") {
		t.Errorf("the confirmation must bring the calendar file: %+v", late.Attachment)
	}
}

func TestMaterialsReachNoShows(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent)
	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.say(bob, fmt.Sprintf("event rsvp %d no", id))
	if got := h.say(staff, fmt.Sprintf("event material %d https://almelo.example/slides.pdf Slides of the consultation", id)); !strings.Contains(got.Text, "2 registrant(s)") {
		t.Fatalf("material: %q", got.Text)
	}
	h.deliver()
	for _, who := range []bot.Subscriber{alice, bob} {
		if got := h.sentTo(who); len(got) == 0 || !strings.Contains(got[len(got)-1], "slides.pdf") {
			t.Errorf("%s: %q", who.User, got)
		}
	}
	if got := h.say(staff, fmt.Sprintf("event material %d javascript:alert(1)", id)); !strings.Contains(got.Text, "not an http") {
		t.Errorf("a bad link: %q", got.Text)
	}
}

func TestEventExportIsAVerifiableRecord(t *testing.T) {
	h := newEventHarness(t)
	h.say(alice, "subscribe cpv:09 nuts:NL2")
	id := h.publishSolar(solarEvent)
	h.say(alice, fmt.Sprintf(`event rsvp %d going name="Alice de Vries" company="=cmd|' /C calc'!A0"`, id))
	h.say(carol, fmt.Sprintf("event ask %d Is er een budget?", id))
	h.say(staff, fmt.Sprintf("event answer %d 1 Ongeveer 2 miljoen.", id))
	h.say(staff, fmt.Sprintf("event involve %d @%s gaf een demonstratie van zonnedakpannen", id, alice.User))
	reply := h.say(staff, fmt.Sprintf("event export %d", id))
	if reply.Attachment == nil {
		t.Fatalf("export: %q", reply.Text)
	}
	files := exportFiles(t, reply.Attachment.Data)
	for _, name := range engage.RecordFiles {
		if files[name] == "" {
			t.Fatalf("%s missing from the export", name)
		}
	}
	n, err := audit.Verify(strings.NewReader(files["audit.jsonl"]))
	if err != nil {
		t.Fatalf("audit chain: %v", err)
	}
	actions := auditActions(t, files["audit.jsonl"])
	want := []string{"create", "publish", "announce", "invite", "rsvp", "question", "answer", "prior_involvement", "export"}
	if !slices.Equal(actions, want) || n != len(want) {
		t.Errorf("audit actions %v, want %v", actions, want)
	}
	// The chain names nobody: pseudonyms only.
	for _, who := range []bot.Subscriber{alice, carol, staff} {
		if strings.Contains(files["audit.jsonl"], who.User) {
			t.Errorf("the audit log names %s", who.User)
		}
	}
	// A modified entry is detected.
	tampered := strings.Replace(files["audit.jsonl"], "Ongeveer 2 miljoen", "Ongeveer 3 miljoen", 1)
	if _, err := audit.Verify(strings.NewReader(tampered)); err == nil {
		t.Error("a modified answer passed verification")
	}
	if !strings.Contains(files["attendance.csv"], "Alice de Vries,'=cmd") {
		t.Errorf("attendance.csv must defuse formulas: %q", files["attendance.csv"])
	}
	if !strings.Contains(files["event.json"], "gaf een demonstratie") || !strings.Contains(files["event.json"], "Ongeveer 2 miljoen") {
		t.Errorf("event.json must list prior involvement with what was shared: %s", files["event.json"])
	}
	if strings.Contains(files["qa.json"], carol.User) || !strings.Contains(files["qa.json"], "Is er een budget?") {
		t.Errorf("qa.json: %s", files["qa.json"])
	}
}

func TestEventFormNamesTheBadField(t *testing.T) {
	h := newEventHarness(t)
	values := map[string]string{"title": "Leveranciersdag", "kind": "supplier_day", "start": "2026-12-15T09:30+01:00", "end": "12:00", "place": "Hof88"}
	if err := h.events.CheckEventForm(h.ctx, staff, values); err != nil {
		t.Fatalf("a good form: %v", err)
	}
	for field, bad := range map[string]string{"start": "soon", "end": "08:00", "capacity": "lots", "kind": "party", "target": "cpv:(", "documents": "ftp://x"} {
		v := maps.Clone(values)
		v[field] = bad
		if err := h.events.CheckEventForm(h.ctx, staff, v); bot.ErrorField(err) != field {
			t.Errorf("%s=%q: error %v names field %q", field, bad, err, bot.ErrorField(err))
		}
	}
	v := maps.Clone(values)
	delete(v, "place")
	if err := h.events.CheckEventForm(h.ctx, staff, v); bot.ErrorField(err) != "place" {
		t.Errorf("a missing place: %v", err)
	}
	if err := h.events.CheckEventForm(h.ctx, alice, values); err == nil || !strings.Contains(bot.ErrorMessage(err), "staff role") {
		t.Errorf("a form from a non-staff member: %v", err)
	}
	if reply := h.events.SubmitEventForm(h.ctx, staff, values); !strings.Contains(reply.Text, "Draft saved as event 1") {
		t.Fatalf("submit: %q", reply.Text)
	}
	h.say(staff, "event publish 1")
	if reply := h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: bot.Action{Kind: bot.ActionAsk, EventID: 1}}); !strings.Contains(reply.Text, "event ask 1") {
		t.Errorf("Ask a question without a form: %q", reply.Text)
	}
	if reply := h.events.Ask(h.ctx, alice, 1, "Is parkeren gratis?"); !strings.Contains(reply.Text, "Q1") {
		t.Errorf("a question from a form: %q", reply.Text)
	}
}

func TestQuestionsAreAuditedWithoutThePseudonym(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent)
	h.say(carol, fmt.Sprintf(`event rsvp %d going name="Carol Jansen"`, id))
	h.say(carol, fmt.Sprintf("event ask %d Is er een budget?", id))
	h.say(staff, fmt.Sprintf("event answer %d 1 Ja.", id)) // the question is sealed with its answer
	chain, err := h.store.AuditLog(h.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var rsvpActor, questionActor string
	for _, e := range chain {
		switch e.Action {
		case "rsvp":
			rsvpActor = e.Actor
		case "question":
			questionActor = e.Actor
		}
	}
	if questionActor != "anonymous" || rsvpActor == "" || rsvpActor == questionActor {
		t.Errorf("question by %q, RSVP by %q: a question must not carry the asker's pseudonym", questionActor, rsvpActor)
	}
}

func TestCancelledDraftStaysPrivate(t *testing.T) {
	h := newEventHarness(t)
	h.say(staff, strings.Replace(solarEvent, "Marktconsultatie zonnedaken", "Geheim concept", 1))
	h.say(staff, "event cancel 1 not going ahead")
	if got := h.say(alice, "event 1"); !strings.Contains(got.Text, "no event 1") {
		t.Errorf("a withdrawn draft is visible: %q", got.Text)
	}
	if pages, _ := h.events.PublicEvents(h.ctx); len(pages) != 0 {
		t.Errorf("a withdrawn draft is on the public pages: %+v", pages)
	}
}

func TestForgetMeGivesThePlaceToTheWaitlist(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(strings.Replace(solarEvent, "capacity=2", "capacity=1", 1))
	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.say(bob, fmt.Sprintf("event rsvp %d going", id))
	h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: bot.Action{Kind: bot.ActionForget, NoticeRef: strings.Repeat("0", 16)}})
	h.deliver()
	if got := h.sentTo(bob); len(got) == 0 || !strings.Contains(got[len(got)-1], "A place opened up") {
		t.Fatalf("bob must get alice's place: %q", got)
	}
	if got := h.say(dave, fmt.Sprintf("event rsvp %d going", id)); !strings.Contains(got.Text, "waitlist") {
		t.Errorf("a newcomer took the place ahead of the waitlist: %q", got.Text)
	}
}

func TestRemindersCarryTheChangedPlace(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent)
	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.say(staff, fmt.Sprintf(`event update %d place="Hof88, Almelo"`, id))
	h.clock.Advance(time.Date(2026, 12, 10, 12, 30, 0, 0, time.UTC).Sub(h.clock.Now()))
	h.deliver()
	var reminders []string
	for _, text := range h.sentTo(alice) {
		if strings.HasPrefix(text, "Reminder") {
			reminders = append(reminders, text)
		}
	}
	if len(reminders) != 2 {
		t.Fatalf("want the day and hour reminders once each, got %q", reminders)
	}
	for _, r := range reminders {
		if !strings.Contains(r, "Hof88") || strings.Contains(r, "Stadhuis") {
			t.Errorf("a reminder with the old place: %q", r)
		}
	}
}

func TestCancelWithdrawsPendingInvitations(t *testing.T) {
	h := newEventHarness(t)
	h.say(alice, "subscribe cpv:09")
	id := h.publishSolar(solarEvent)
	h.say(staff, fmt.Sprintf("event cancel %d", id)) // before the outbox ran
	h.deliver()
	for _, s := range h.chat.Sent() {
		if strings.Contains(s.Message.Text, "invited") || strings.Contains(s.Message.Text, "New market consultation") {
			t.Errorf("sent after the cancellation: %q", s.Message.Text)
		}
	}
}

func TestPublishNeedsAnOpenRegistrationAndAPublicPlace(t *testing.T) {
	h := newEventHarness(t)
	h.say(staff, solarEvent+" register_by=2026-11-30T12:00+01:00")
	h.clock.Advance(5 * 24 * time.Hour)
	if got := h.say(staff, "event publish 1"); !strings.Contains(got.Text, "Registration would be closed") {
		t.Errorf("publishing after the registration deadline: %q", got.Text)
	}
	private := newHarness(t, engage.Options{})
	private.say(staff, solarEvent)
	if got := private.say(staff, "event publish 1"); !strings.Contains(got.Text, "nowhere to announce the event publicly") {
		t.Errorf("publishing with no public page nor channel: %q", got.Text)
	}
}

func TestEventFormTakesAnswersAsFields(t *testing.T) {
	h := newEventHarness(t)
	reply := h.say(staff, `event new title="Meet the buyer" kind=meet_the_buyer start=2026-12-15T09:30+01:00`)
	if !strings.Contains(reply.Text, "`event end=…`") {
		t.Fatalf("the question must show the field form: %q", reply.Text)
	}
	// As a Discord slash command sends it: "event <fields>".
	if reply = h.say(staff, `event end=11:00 place="Hof88"`); !strings.Contains(reply.Text, "Draft saved as event 1") {
		t.Fatalf("answer as fields: %q", reply.Text)
	}
}

func TestNewTargetInvitesOnlyTheNewlyReached(t *testing.T) {
	h := newEventHarness(t)
	h.say(alice, "subscribe cpv:09")
	h.say(bob, "subscribe cpv:45")
	id := h.publishSolar(solarEvent)
	reply := h.say(staff, fmt.Sprintf(`event update %d target="cpv:09331200,45212225"`, id))
	if !strings.Contains(reply.Text, "The new target invites 1 more") {
		t.Fatalf("update target: %q", reply.Text)
	}
	h.deliver()
	for who, want := range map[bot.Subscriber]int{alice: 1, bob: 1} {
		n := 0
		for _, text := range h.sentTo(who) {
			if strings.HasPrefix(text, "You're invited") {
				n++
			}
		}
		if n != want {
			t.Errorf("%s got %d invitations, want %d", who.User, n, want)
		}
	}
}

func TestUpdateAfterRegistrationClosed(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent + " register_by=2026-12-08T12:00+01:00")
	h.clock.Advance(time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC).Sub(h.clock.Now()))
	if got := h.say(staff, fmt.Sprintf(`event update %d place="Hof88, Almelo"`, id)); !strings.Contains(got.Text, "Updated event") {
		t.Errorf("a change of place after registration closed: %q", got.Text)
	}
}

func TestNoPromotionAfterTheEvent(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(strings.Replace(solarEvent, "capacity=2", "capacity=1", 1))
	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.say(bob, fmt.Sprintf("event rsvp %d going", id))
	h.deliver()
	h.clock.Advance(30 * 24 * time.Hour)
	h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: bot.Action{Kind: bot.ActionForget, NoticeRef: strings.Repeat("0", 16)}})
	h.deliver()
	for _, text := range h.sentTo(bob) {
		if strings.Contains(text, "A place opened up") {
			t.Errorf("bob was promoted to an event that is over: %q", text)
		}
	}
}

func TestHealedWaitlisterGetsReminders(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(strings.Replace(solarEvent, "capacity=2", "capacity=1", 1))
	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.say(bob, fmt.Sprintf("event rsvp %d going", id))
	// A place comes free without a promotion (erased at the store only).
	if err := h.store.Forget(h.ctx, alice); err != nil {
		t.Fatal(err)
	}
	if got := h.say(bob, fmt.Sprintf("event rsvp %d going", id)); !strings.Contains(got.Text, "You're going") {
		t.Fatalf("bob pressing Going on a free place: %q", got.Text)
	}
	h.clock.Advance(time.Date(2026, 12, 10, 12, 30, 0, 0, time.UTC).Sub(h.clock.Now()))
	h.deliver()
	n := 0
	for _, text := range h.sentTo(bob) {
		if strings.HasPrefix(text, "Reminder") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("bob got %d reminders, want 2", n)
	}
}

func TestConcurrentAnswersSaveOneDraft(t *testing.T) {
	h := newEventHarness(t)
	h.say(staff, `event new kind=webinar start=2026-12-15T09:30+01:00 end=10:30 place="https://meet.example/x"`)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() { h.say(staff, fmt.Sprintf("Webinar %d", i)) })
	}
	wg.Wait()
	events, err := h.store.Events(h.ctx, bot.EventDraft)
	if err != nil || len(events) != 1 {
		t.Errorf("drafts: %d, %v; want one", len(events), err)
	}
}

// TestWaitlistCalendarIsTentative: a waitlisted supplier's calendar file
// says the place is not theirs yet; the promotion brings the confirmed one,
// with a higher SEQUENCE so the calendar replaces the tentative entry.
func TestWaitlistCalendarIsTentative(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent) // capacity 2
	rsvp := func(who bot.Subscriber, answer string) bot.Message {
		return h.say(who, fmt.Sprintf("event rsvp %d %s", id, answer))
	}
	rsvp(alice, "going")
	rsvp(bob, "going")
	waiting := rsvp(dave, "going")
	if waiting.Attachment == nil {
		t.Fatalf("the waitlisted RSVP came without a calendar file: %q", waiting.Text)
	}
	tentative := string(waiting.Attachment.Data)
	if !strings.Contains(tentative, "STATUS:TENTATIVE") {
		t.Errorf("the waitlisted calendar file is not tentative:\n%s", tentative)
	}
	h.deliver()
	rsvp(alice, "no")
	h.deliver()
	var promotion *bot.Attachment
	for _, m := range h.chat.Sent() {
		if m.To == dave && strings.Contains(m.Message.Text, "A place opened up") {
			promotion = m.Message.Attachment
		}
	}
	if promotion == nil {
		t.Fatal("the promotion came without a calendar file")
	}
	confirmed := string(promotion.Data)
	if !strings.Contains(confirmed, "STATUS:CONFIRMED") {
		t.Errorf("the promotion's calendar file is not confirmed:\n%s", confirmed)
	}
	if got, was := icsSequence(t, confirmed), icsSequence(t, tentative); got <= was {
		t.Errorf("SEQUENCE: got %d after promotion, want more than the tentative %d", got, was)
	}
}

// icsSequence reads the SEQUENCE of a calendar file.
func icsSequence(t *testing.T, ics string) int {
	t.Helper()
	var n int
	for _, line := range strings.Split(ics, "\r\n") {
		if v, ok := strings.CutPrefix(line, "SEQUENCE:"); ok {
			if _, err := fmt.Sscan(v, &n); err != nil {
				t.Fatalf("SEQUENCE %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatalf("no SEQUENCE in\n%s", ics)
	return 0
}

// TestForgetMeKeepsPriorInvolvementPseudonymised: the procurement file must
// keep that a supplier had a head start, after the supplier is erased: an
// erased person, the note and the date, and a chain that still verifies.
func TestForgetMeKeepsPriorInvolvementPseudonymised(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent)
	h.say(alice, fmt.Sprintf(`event rsvp %d going name="Alice de Vries" company="Zon BV"`, id))
	h.say(staff, fmt.Sprintf("event involve %d @%s schreef de marktverkenning", id, alice.User))
	h.bot.HandleAction(h.ctx, bot.Click{From: alice, Action: bot.Action{Kind: bot.ActionForget, NoticeRef: strings.Repeat("0", 16)}})
	files, err := h.events.EventRecord(h.ctx, id, "operator")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := audit.Verify(bytes.NewReader(files[engage.RecordAudit])); err != nil {
		t.Errorf("audit chain after forget me: %v", err)
	}
	var ev struct {
		PriorInvolvement []struct {
			Name, Company, Note string
			Date                time.Time
		} `json:"prior_involvement"`
	}
	if err := json.Unmarshal(files[engage.RecordEvent], &ev); err != nil {
		t.Fatal(err)
	}
	if len(ev.PriorInvolvement) != 1 {
		t.Fatalf("prior involvement after forget me: got %+v, want the one entry kept", ev.PriorInvolvement)
	}
	got := ev.PriorInvolvement[0]
	if got.Name != "an erased person" || got.Company != "" || got.Note != "schreef de marktverkenning" || !got.Date.Equal(h.clock.Now()) {
		t.Errorf("got %+v, want an erased person, the note and the date %s", got, h.clock.Now())
	}
	if strings.Contains(string(files[engage.RecordEvent]), "Alice") || strings.Contains(string(files[engage.RecordEvent]), "Zon BV") {
		t.Errorf("event.json still names the erased supplier: %s", files[engage.RecordEvent])
	}
}

// TestEventFormAsksBeforeTakingACommand: while the form waits, a line that
// is a command is not silently taken as the answer: the form asks whether
// to leave it.
func TestEventFormAsksBeforeTakingACommand(t *testing.T) {
	h := newEventHarness(t)
	h.say(staff, `event new kind=supplier_day start=2026-12-15T09:30+01:00 end=12:00 place="Hof88"`)
	asked := h.say(staff, "profiles").Text
	if !strings.Contains(asked, "leave") || !strings.Contains(asked, "answer") {
		t.Fatalf("a command while the form waits: got %q, want the question whether to leave the form", asked)
	}
	if got := h.say(staff, "leave").Text; !strings.Contains(got, "nothing was saved") {
		t.Fatalf("leave: %q", got)
	}
	if got := h.say(staff, "profiles").Text; !strings.Contains(got, "profiles") {
		t.Errorf("after leaving, a command is a command: %q", got)
	}
	// Or it is the answer after all.
	h.say(staff, `event new kind=supplier_day start=2026-12-15T09:30+01:00 end=12:00 place="Hof88"`)
	h.say(staff, "search energie")
	if got := h.say(staff, "answer").Text; !strings.Contains(got, "search energie (event 1)") {
		t.Errorf("answer: got %q, want the line taken as the title", got)
	}
}

// TestAuditOrderAndTimesDoNotPointAtTheAsker checks that nothing in the
// record ties a question to the RSVP its asker made just before: the
// question enters the audit chain when it is answered, next to the staff's
// answer, and its time is kept to the minute.
func TestAuditOrderAndTimesDoNotPointAtTheAsker(t *testing.T) {
	h := newEventHarness(t)
	id := h.publishSolar(solarEvent)
	h.say(carol, fmt.Sprintf(`event rsvp %d going name="Carol" company="Zon BV"`, id))
	h.clock.Advance(3*time.Millisecond + 17*time.Second)
	h.say(carol, fmt.Sprintf("event ask %d Is er een budget?", id))
	h.say(alice, fmt.Sprintf(`event rsvp %d going name="Alice" company="Dak BV"`, id))
	h.say(staff, fmt.Sprintf("event answer %d 1 Ongeveer 2 miljoen.", id))
	reply := h.say(staff, fmt.Sprintf("event export %d", id))
	if reply.Attachment == nil {
		t.Fatalf("export: %q", reply.Text)
	}
	files := exportFiles(t, reply.Attachment.Data)
	if _, err := audit.Verify(strings.NewReader(files["audit.jsonl"])); err != nil {
		t.Fatalf("audit chain: %v", err)
	}
	actions := auditActions(t, files["audit.jsonl"])
	i := slices.Index(actions, "question")
	if i < 0 || i+1 >= len(actions) || actions[i+1] != "answer" {
		t.Errorf("audit actions %v: want the question just before its answer, not after an RSVP", actions)
	}
	var qa []struct {
		AskedAt time.Time `json:"asked_at"`
	}
	if err := json.Unmarshal([]byte(files["qa.json"]), &qa); err != nil || len(qa) != 1 {
		t.Fatalf("qa.json: %v %s", err, files["qa.json"])
	}
	if at := qa[0].AskedAt; !at.Equal(at.Truncate(time.Minute)) {
		t.Errorf("asked_at %s: want it to the minute", at)
	}
}

// exportFiles unpacks an event export's zip: its files by name, without
// the folder they sit in.
func exportFiles(t *testing.T, zipped []byte) map[string]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range z.File {
		r, _ := f.Open()
		data, _ := io.ReadAll(r)
		files[f.Name[strings.Index(f.Name, "/")+1:]] = string(data)
	}
	return files
}

// auditActions is the action of each line of an audit.jsonl, in order.
func auditActions(t *testing.T, jsonl string) []string {
	t.Helper()
	var actions []string
	for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		var e audit.Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, e.Action)
	}
	return actions
}
