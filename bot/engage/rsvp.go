package engage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
)

// rsvpActions are the Going / Maybe / Can't go and Ask a question buttons
// of an event.
func rsvpActions(eventID int64) []bot.Action {
	return []bot.Action{
		{Kind: bot.ActionGoing, EventID: eventID},
		{Kind: bot.ActionMaybe, EventID: eventID},
		{Kind: bot.ActionCantGo, EventID: eventID},
		{Kind: bot.ActionAsk, EventID: eventID},
	}
}

// rsvpCommand answers "event rsvp <id> going|maybe|no [name="…"] [company="…"]".
func (svc *Service) rsvpCommand(ctx context.Context, c bot.Command, id int64, args string) (bot.Message, error) {
	word, rest, _ := strings.Cut(args, " ")
	want, ok := parseRSVP(word)
	if !ok {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "Write `event rsvp %d going`, `maybe` or `no`, optionally with name=\"…\" company=\"…\" for the attendance list.", id)
	}
	fields, err := parseFields(rest)
	if err != nil {
		return bot.Message{}, err
	}
	var name, company string
	for _, f := range fields {
		switch f.Key {
		case "name":
			name = bot.Truncate(f.Value, 120)
		case "company", "organisation", "organization":
			company = bot.Truncate(f.Value, 160)
		default:
			return bot.Message{}, bot.Errorf(bot.EINVALID, "An RSVP takes name=\"…\" and company=\"…\", not %s.", f.Key)
		}
	}
	return svc.rsvp(ctx, c.Printer(), c.From, id, want, name, company)
}

// parseRSVP reads an answer as people write it.
func parseRSVP(word string) (bot.RSVP, bool) {
	switch strings.ToLower(strings.Trim(word, ".!")) {
	case "going", "yes", "go", "ja":
		return bot.RSVPGoing, true
	case "maybe", "misschien":
		return bot.RSVPMaybe, true
	case "no", "not_going", "cant", "can't", "nee", "cancel":
		return bot.RSVPNotGoing, true
	}
	return "", false
}

// rsvp records a person's answer, with every consequence in one
// transaction: a promotion from the waitlist, reminders scheduled or
// cancelled, the audit entries. The reply confirms it in p's language, the
// person's; a first registration also brings the Q&A so far, the
// materials and the calendar file.
func (svc *Service) rsvp(ctx context.Context, p text.Printer, from bot.Subscriber, id int64, want bot.RSVP, name, company string) (bot.Message, error) {
	st, res, err := svc.answer(ctx, p, from, id, want, name, company, false)
	if err != nil {
		return bot.Message{}, err
	}
	return svc.rsvpReply(p, st, res), nil
}

// answer records a person's answer, as rsvp describes; p is the language
// the person reads, their reminders' too. With confirm, the reply rsvp
// would give is enqueued to the person in the same transaction, for people
// who answered outside chat (on the public page) and hear back by e-mail:
// their registration keeps p's language, for every mail after. It returns
// the event's state before the answer and what the answer did.
func (svc *Service) answer(ctx context.Context, p text.Printer, from bot.Subscriber, id int64, want bot.RSVP, name, company string, confirm bool) (bot.EventState, rsvpResult, error) {
	if from.User == "" {
		return bot.EventState{}, rsvpResult{}, bot.Errorf(bot.EINVALID, "Only a person can register for an event.")
	}
	invited, err := svc.store.HasDelivery(ctx, inviteKey(id, from))
	if err != nil {
		return bot.EventState{}, rsvpResult{}, fmt.Errorf("rsvp: %w", err)
	}
	now := svc.clock.Now()
	var res rsvpResult
	var st bot.EventState
	_, err = svc.changeWithActors(ctx, id, []bot.Subscriber{from}, func(s bot.EventState, actors map[bot.Subscriber]string, to readers) (bot.EventChange, error) {
		st = s
		e := s.Event
		switch {
		case e.Status == bot.EventDraft:
			return bot.EventChange{}, bot.Errorf(bot.ENOTFOUND, "There is no event %d; `events` lists them.", id)
		case e.Status == bot.EventCancelled:
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "%q is cancelled.", e.Title)
		case eventOver(e, now):
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "%q is over.", e.Title)
		case want != bot.RSVPNotGoing && registrationClosed(e, now):
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "Registration for %q closed on %s.", e.Title, p.Format(registrationCloses(e), dateTimeLayout(p)+" (MST)"))
		}
		// Free places go to the waitlist before a newcomer: none is left
		// free while people wait.
		healed := promote(s.Registrations, e.Capacity, now)
		s.Registrations = withRegistrations(s.Registrations, healed)
		res = applyRSVP(s, from, want, name, company, invited, now)
		if confirm {
			res.Registration.Language = p.Language()
		}
		// The presser may have been healed onto a place just now: what
		// they had before it is what their reminders and reply go by.
		res.Previous = nil
		if i := slices.IndexFunc(st.Registrations, func(r bot.Registration) bool { return r.Who == from }); i >= 0 {
			prev := st.Registrations[i]
			res.Previous = &prev
		}
		for _, h := range healed {
			if h.Who != from {
				res.Promoted = append(res.Promoted, h)
			}
		}
		ch := bot.EventChange{Registrations: append([]bot.Registration{res.Registration}, res.Promoted...)}
		trail := newAuditTrail(s, now)
		if err := trail.add("rsvp", actors[from], map[string]any{"answer": string(want), "status": string(res.Registration.Status)}); err != nil {
			return bot.EventChange{}, err
		}
		oldStatus := bot.RSVP("")
		if res.Previous != nil {
			oldStatus = res.Previous.Status
		}
		ch.Cancel, ch.Deliveries = svc.rescheduleReminders(p, e, from, oldStatus, res.Registration.Status, now, trail.change)
		promotions, err := svc.promotionEffects(e, res.Promoted, actors, to, trail, now)
		if err != nil {
			return bot.EventChange{}, err
		}
		ch.Deliveries = append(ch.Deliveries, promotions...)
		if confirm {
			ch.Deliveries = append(ch.Deliveries, bot.Delivery{
				Key: fmt.Sprintf("rsvp:%d:%s:%d", id, from.Key(), trail.change), To: from, Purpose: bot.PurposeEvent,
				DueAt: now, CreatedAt: now, Message: svc.rsvpReply(p, s, res),
			})
		}
		ch.Audit = trail.entries
		return ch, nil
	})
	if err != nil {
		return bot.EventState{}, rsvpResult{}, err
	}
	if len(res.Promoted) > 0 || confirm {
		svc.outbox.Wake()
	}
	svc.observe.RSVP(string(res.Registration.Status))
	return st, res, nil
}

// registrationCloses is when registration ends: the deadline set, or the
// start.
func registrationCloses(e bot.Event) time.Time {
	if !e.RegisterBy.IsZero() {
		return e.RegisterBy
	}
	return e.Start
}

func registrationClosed(e bot.Event, now time.Time) bool { return now.After(registrationCloses(e)) }

// rsvpReply confirms an answer. Somebody who was not registered before
// (or had said they can't go) gets the whole Q&A so far, the materials
// and the calendar file with it: late registrants learn what everybody
// learnt.
func (svc *Service) rsvpReply(p text.Printer, st bot.EventState, res rsvpResult) bot.Message {
	e, reg := st.Event, res.Registration
	var text string
	switch reg.Status {
	case bot.RSVPGoing:
		text = p.Sprintf("You're going to %q.\n%s · %s\nReminders come 24 hours and 1 hour before.", e.Title, eventWhen(p, e), e.Place)
	case bot.RSVPWaitlisted:
		regs := withRegistrations(st.Registrations, []bot.Registration{reg})
		text = p.Sprintf("%q is full: you're number %d on the waitlist. When a place opens you get it automatically, and a message here.", e.Title, waitlistPlace(regs, reg.Who))
	case bot.RSVPMaybe:
		text = p.Sprintf("Noted: maybe for %q. Press Going when you know, while places last.", e.Title)
	default:
		text = p.Sprintf("Noted: you can't go to %q. You still receive every answer and the materials.", e.Title)
	}
	if reg.Status != bot.RSVPNotGoing && (reg.Name == "" || reg.Company == "") && reg.Who.Platform != email.Platform {
		text += "\n" + p.Sprintf("For the attendance list, add your name and company: `event rsvp %d %s name=\"…\" company=\"…\"`.", e.ID, rsvpWord(reg.Status))
	}
	m := bot.Message{Text: text, Language: p.Language()}
	// Somebody new to the event learns what everybody learnt so far;
	// somebody coming back after "can't go" gets the calendar file again.
	if res.Previous == nil {
		if qa := qaBacklog(p, st); qa != "" {
			m.Text += "\n\n" + qa
		}
	}
	if (res.Previous == nil || res.Previous.Status == bot.RSVPNotGoing) && reg.Status != bot.RSVPNotGoing {
		m.Attachment = &bot.Attachment{Name: fmt.Sprintf("event-%d.ics", e.ID), ContentType: "text/calendar", Data: registrationICS(p, e, reg, svc.baseURL)}
	}
	return m
}

// rsvpWord is the word of `event rsvp` that gives a status.
func rsvpWord(s bot.RSVP) string {
	switch s {
	case bot.RSVPMaybe:
		return "maybe"
	case bot.RSVPNotGoing:
		return "no"
	}
	return "going"
}

// Act answers the Going / Maybe / Can't go and Publish buttons, in the
// language of the person who pressed them.
func (svc *Service) Act(ctx context.Context, from bot.Subscriber, a bot.Action) (bot.Message, error) {
	p := svc.printerOf(ctx, from)
	switch a.Kind {
	case bot.ActionPublish:
		return svc.publishEvent(ctx, bot.Command{From: from, Language: p.Language()}, a.EventID, "")
	case bot.ActionAsk:
		return askInstructions(p, a.EventID), nil
	case bot.ActionMaybe:
		return svc.rsvp(ctx, p, from, a.EventID, bot.RSVPMaybe, "", "")
	case bot.ActionCantGo:
		return svc.rsvp(ctx, p, from, a.EventID, bot.RSVPNotGoing, "", "")
	case bot.ActionGoing:
		return svc.rsvp(ctx, p, from, a.EventID, bot.RSVPGoing, "", "")
	}
	return bot.Message{}, bot.Errorf(bot.EINVALID, "That button does something I no longer know.")
}
