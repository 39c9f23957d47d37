package engage_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot/engage"
)

// TestEventOrganiserAndContact sets an event's organiser and contact,
// shows them in chat and in the calendar file, refuses a contact that
// looks like an address but is not one, and tells registrants of a change.
func TestEventOrganiserAndContact(t *testing.T) {
	h := newEventHarness(t)
	if r := h.say(staff, solarEvent+` contact=inkoop@almelo`); !strings.Contains(r.Text, "Contact:") || !strings.Contains(r.Text, "phone number") {
		t.Fatalf("a bad contact: %q", r.Text)
	}
	h.say(staff, "cancel")
	id := h.publishSolar(solarEvent + ` organiser="Gemeente Almelo" contact=Inkoop@Almelo.example`)
	if r := h.say(alice, fmt.Sprintf("event %d", id)); !strings.Contains(r.Text, "Organiser: Gemeente Almelo (inkoop@almelo.example)") {
		t.Errorf("event %d: %q", id, r.Text)
	}
	page, err := h.events.PublicEvent(h.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if e := page.Event; e.OrganiserName != "Gemeente Almelo" || e.Contact != "inkoop@almelo.example" {
		t.Errorf("stored: organiser %q, contact %q", e.OrganiserName, e.Contact)
	}
	ics := string(engage.EventICS(page.Event, "https://events.example"))
	for _, want := range []string{"ORGANIZER;CN=\"Gemeente Almelo\":mailto:inkoop@almelo.example\r\n", "CONTACT:Gemeente Almelo (inkoop@almelo.example)\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf("calendar file lacks %q:\n%s", want, ics)
		}
	}

	h.say(alice, fmt.Sprintf("event rsvp %d going", id))
	h.deliver()
	if r := h.say(staff, fmt.Sprintf(`event update %d contact="0546 541 111"`, id)); !strings.Contains(r.Text, "1 registrant(s) are told") {
		t.Fatalf("update: %q", r.Text)
	}
	h.deliver()
	if got := h.sentTo(alice); !strings.Contains(got[len(got)-1], "(contact)") {
		t.Errorf("alice is not told the contact changed: %q", got[len(got)-1])
	}
	page, _ = h.events.PublicEvent(h.ctx, id)
	ics = string(engage.EventICS(page.Event, "https://events.example"))
	if strings.Contains(ics, "ORGANIZER") || !strings.Contains(ics, "CONTACT:Gemeente Almelo (0546 541 111)\r\n") {
		t.Errorf("a phone number is a CONTACT, not an ORGANIZER:\n%s", ics)
	}
}
