package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// rsvpActions are the Going / Maybe / Can't go and Ask a question buttons
// of an event.
func rsvpActions(eventID int64) []Action {
	return []Action{
		{Kind: ActionGoing, EventID: eventID},
		{Kind: ActionMaybe, EventID: eventID},
		{Kind: ActionCantGo, EventID: eventID},
		{Kind: ActionAsk, EventID: eventID},
	}
}

// rsvpCommand answers "event rsvp <id> going|maybe|no [name="…"] [company="…"]".
func (b *Bot) rsvpCommand(ctx context.Context, c Command, id int64, args string) (Message, error) {
	word, rest, _ := strings.Cut(args, " ")
	want, ok := parseRSVP(word)
	if !ok {
		return Message{}, Errorf(EINVALID, "Write `event rsvp %d going`, `maybe` or `no`, optionally with name=\"…\" company=\"…\" for the attendance list.", id)
	}
	fields, err := parseFields(rest)
	if err != nil {
		return Message{}, err
	}
	var name, company string
	for _, f := range fields {
		switch f.Key {
		case "name":
			name = truncate(f.Value, 120)
		case "company", "organisation", "organization":
			company = truncate(f.Value, 160)
		default:
			return Message{}, Errorf(EINVALID, "An RSVP takes name=\"…\" and company=\"…\", not %s.", f.Key)
		}
	}
	return b.rsvp(ctx, c.From, id, want, name, company)
}

// parseRSVP reads an answer as people write it.
func parseRSVP(word string) (RSVP, bool) {
	switch strings.ToLower(strings.Trim(word, ".!")) {
	case "going", "yes", "go", "ja":
		return RSVPGoing, true
	case "maybe", "misschien":
		return RSVPMaybe, true
	case "no", "not_going", "cant", "can't", "nee", "cancel":
		return RSVPNotGoing, true
	}
	return "", false
}

// rsvp records a person's answer, with every consequence in one
// transaction: a promotion from the waitlist, reminders scheduled or
// cancelled, the audit entries. The reply confirms it; a first
// registration also brings the Q&A so far, the materials and the calendar
// file.
func (b *Bot) rsvp(ctx context.Context, from Subscriber, id int64, want RSVP, name, company string) (Message, error) {
	if from.User == "" {
		return Message{}, Errorf(EINVALID, "Only a person can register for an event.")
	}
	invited, err := b.store.HasDelivery(ctx, inviteKey(id, from))
	if err != nil {
		return Message{}, fmt.Errorf("rsvp: %w", err)
	}
	now := b.clock.Now()
	var res rsvpResult
	var st EventState
	_, err = b.changeWithActors(ctx, id, []Subscriber{from}, func(s EventState, actors map[Subscriber]string) (EventChange, error) {
		st = s
		e := s.Event
		switch {
		case e.Status == EventDraft:
			return EventChange{}, Errorf(ENOTFOUND, "There is no event %d; `events` lists them.", id)
		case e.Status == EventCancelled:
			return EventChange{}, Errorf(ECONFLICT, "%q is cancelled.", e.Title)
		case eventOver(e, now):
			return EventChange{}, Errorf(ECONFLICT, "%q is over.", e.Title)
		case want != RSVPNotGoing && registrationClosed(e, now):
			return EventChange{}, Errorf(ECONFLICT, "Registration for %q closed on %s.", e.Title, registrationCloses(e).Format("Mon 2 Jan 2006 15:04 (MST)"))
		}
		// Free places go to the waitlist before a newcomer: none is left
		// free while people wait.
		healed := promote(s.Registrations, e.Capacity, now)
		s.Registrations = withRegistrations(s.Registrations, healed)
		res = applyRSVP(s, from, want, name, company, invited, now)
		// The presser may have been healed onto a place just now: what
		// they had before it is what their reminders and reply go by.
		res.Previous = nil
		if i := slices.IndexFunc(st.Registrations, func(r Registration) bool { return r.Who == from }); i >= 0 {
			prev := st.Registrations[i]
			res.Previous = &prev
		}
		for _, h := range healed {
			if h.Who != from {
				res.Promoted = append(res.Promoted, h)
			}
		}
		ch := EventChange{Registrations: append([]Registration{res.Registration}, res.Promoted...)}
		trail := newAuditTrail(s, now)
		if err := trail.add("rsvp", actors[from], map[string]any{"answer": string(want), "status": string(res.Registration.Status)}); err != nil {
			return EventChange{}, err
		}
		oldStatus := RSVP("")
		if res.Previous != nil {
			oldStatus = res.Previous.Status
		}
		ch.Cancel, ch.Deliveries = b.rescheduleReminders(e, from, oldStatus, res.Registration.Status, now, trail.change)
		promotions, err := b.promotionEffects(e, res.Promoted, actors, trail, now)
		if err != nil {
			return EventChange{}, err
		}
		ch.Deliveries = append(ch.Deliveries, promotions...)
		ch.Audit = trail.entries
		return ch, nil
	})
	if err != nil {
		return Message{}, err
	}
	if len(res.Promoted) > 0 {
		b.wakeDispatcher()
	}
	b.observe.RSVP(string(res.Registration.Status))
	return b.rsvpReply(st, res), nil
}

// registrationCloses is when registration ends: the deadline set, or the
// start.
func registrationCloses(e Event) time.Time {
	if !e.RegisterBy.IsZero() {
		return e.RegisterBy
	}
	return e.Start
}

func registrationClosed(e Event, now time.Time) bool { return now.After(registrationCloses(e)) }

// rsvpReply confirms an answer. Somebody who was not registered before
// (or had said they can't go) gets the whole Q&A so far, the materials
// and the calendar file with it: late registrants learn what everybody
// learnt.
func (b *Bot) rsvpReply(st EventState, res rsvpResult) Message {
	e, reg := st.Event, res.Registration
	var text string
	switch reg.Status {
	case RSVPGoing:
		text = fmt.Sprintf("You're going to %q.\n%s · %s\nReminders come 24 hours and 1 hour before.", e.Title, eventWhen(e), e.Place)
	case RSVPWaitlisted:
		regs := withRegistrations(st.Registrations, []Registration{reg})
		text = fmt.Sprintf("%q is full: you're number %d on the waitlist. When a place opens you get it automatically, and a message here.", e.Title, waitlistPlace(regs, reg.Who))
	case RSVPMaybe:
		text = fmt.Sprintf("Noted: maybe for %q. Press Going when you know, while places last.", e.Title)
	default:
		text = fmt.Sprintf("Noted: you can't go to %q. You still receive every answer and the materials.", e.Title)
	}
	if reg.Status != RSVPNotGoing && (reg.Name == "" || reg.Company == "") {
		text += fmt.Sprintf("\nFor the attendance list, add your name and company: `event rsvp %d %s name=\"…\" company=\"…\"`.", e.ID, rsvpWord(reg.Status))
	}
	m := Message{Text: text}
	// Somebody new to the event learns what everybody learnt so far;
	// somebody coming back after "can't go" gets the calendar file again.
	if res.Previous == nil {
		if qa := qaBacklog(st); qa != "" {
			m.Text += "\n\n" + qa
		}
	}
	if (res.Previous == nil || res.Previous.Status == RSVPNotGoing) && reg.Status != RSVPNotGoing {
		m.Attachment = &Attachment{Name: fmt.Sprintf("event-%d.ics", e.ID), ContentType: "text/calendar", Data: EventICS(e, b.baseURL)}
	}
	return m
}

// rsvpWord is the word of `event rsvp` that gives a status.
func rsvpWord(s RSVP) string {
	switch s {
	case RSVPMaybe:
		return "maybe"
	case RSVPNotGoing:
		return "no"
	}
	return "going"
}

// handleEventAction answers the Going / Maybe / Can't go and Publish
// buttons.
func (b *Bot) handleEventAction(ctx context.Context, from Subscriber, a Action) (Message, error) {
	switch a.Kind {
	case ActionPublish:
		return b.publishEvent(ctx, Command{From: from}, a.EventID, "")
	case ActionAsk:
		return askInstructions(a.EventID), nil
	case ActionMaybe:
		return b.rsvp(ctx, from, a.EventID, RSVPMaybe, "", "")
	case ActionCantGo:
		return b.rsvp(ctx, from, a.EventID, RSVPNotGoing, "", "")
	case ActionGoing:
		return b.rsvp(ctx, from, a.EventID, RSVPGoing, "", "")
	}
	return Message{}, Errorf(EINVALID, "That button does something I no longer know.")
}
