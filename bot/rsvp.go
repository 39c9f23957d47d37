package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
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

// rsvpResult is what applying an answer did.
type rsvpResult struct {
	Registration Registration   // the person's registration as it now is
	Previous     *Registration  // as it was; nil when this is the first answer
	Promoted     []Registration // waitlisted people who got a place
}

// applyRSVP works out a person's answer against the event's registrations:
// Going takes a place while there is one and joins the waitlist when the
// event is full; giving up a place promotes the longest-waiting person on
// the waitlist. Registrations are returned as they must be written.
func applyRSVP(st EventState, who Subscriber, want RSVP, name, company string, invited bool, now time.Time) rsvpResult {
	var res rsvpResult
	reg := Registration{EventID: st.Event.ID, Who: who, RegisteredAt: now, Invited: invited}
	if i := slices.IndexFunc(st.Registrations, func(r Registration) bool { return r.Who == who }); i >= 0 {
		prev := st.Registrations[i]
		res.Previous = &prev
		reg = prev
	}
	if name != "" {
		reg.Name = name
	}
	if company != "" {
		reg.Company = company
	}
	reg.Invited = reg.Invited || invited
	old := reg.Status
	switch {
	case want == RSVPGoing && (old == RSVPGoing || old == RSVPWaitlisted):
		// Keep the place, or the place in the queue.
	case want == RSVPGoing && (st.Event.Capacity == 0 || goingCount(st.Registrations, who) < st.Event.Capacity):
		reg.Status, reg.UpdatedAt = RSVPGoing, now
	case want == RSVPGoing:
		reg.Status, reg.UpdatedAt = RSVPWaitlisted, now
	default:
		if old != want {
			reg.Status, reg.UpdatedAt = want, now
		}
	}
	res.Registration = reg
	if old == RSVPGoing && reg.Status != RSVPGoing {
		others := slices.Clone(st.Registrations)
		if i := slices.IndexFunc(others, func(r Registration) bool { return r.Who == who }); i >= 0 {
			others[i] = reg
		}
		res.Promoted = promote(others, st.Event.Capacity, now)
	}
	return res
}

// promote gives free places to the waitlist, longest waiting first, and
// returns the registrations it changed.
func promote(regs []Registration, capacity int, now time.Time) []Registration {
	var waiting []Registration
	for _, r := range regs {
		if r.Status == RSVPWaitlisted {
			waiting = append(waiting, r)
		}
	}
	slices.SortStableFunc(waiting, func(x, y Registration) int { return x.UpdatedAt.Compare(y.UpdatedAt) })
	free := len(waiting)
	if capacity > 0 {
		free = capacity - goingCount(regs, Subscriber{})
	}
	var promoted []Registration
	for _, r := range waiting {
		if len(promoted) >= free {
			break
		}
		r.Status, r.UpdatedAt = RSVPGoing, now
		promoted = append(promoted, r)
	}
	return promoted
}

// goingCount counts the registrations with a place, leaving out except.
func goingCount(regs []Registration, except Subscriber) int {
	n := 0
	for _, r := range regs {
		if r.Status == RSVPGoing && r.Who != except {
			n++
		}
	}
	return n
}

// waitlistPlace is the person's place on the waitlist, from 1.
func waitlistPlace(regs []Registration, who Subscriber) int {
	var waiting []Registration
	for _, r := range regs {
		if r.Status == RSVPWaitlisted {
			waiting = append(waiting, r)
		}
	}
	slices.SortStableFunc(waiting, func(x, y Registration) int { return x.UpdatedAt.Compare(y.UpdatedAt) })
	return slices.IndexFunc(waiting, func(r Registration) bool { return r.Who == who }) + 1
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
		res = applyRSVP(s, from, want, name, company, invited, now)
		ch := EventChange{Registrations: append([]Registration{res.Registration}, res.Promoted...)}
		trail := newAuditTrail(s, now)
		if err := trail.add("rsvp", actors[from], map[string]any{"answer": string(want), "status": string(res.Registration.Status)}); err != nil {
			return EventChange{}, err
		}
		oldStatus := RSVP("")
		if res.Previous != nil {
			oldStatus = res.Previous.Status
		}
		ch.Cancel, ch.Deliveries = b.rescheduleReminders(e, from, oldStatus, res.Registration.Status, now)
		for _, p := range res.Promoted {
			if err := trail.add("waitlist_promotion", botActor, map[string]any{"who": actors[p.Who]}); err != nil {
				return EventChange{}, err
			}
			ch.Deliveries = append(ch.Deliveries, Delivery{Key: fmt.Sprintf("promoted:%d:%s:%d", e.ID, p.Who.Key(), now.UnixNano()), To: p.Who, Purpose: PurposeEvent,
				Message: Message{Text: fmt.Sprintf("A place opened up: you're going to %q now.\n%s · %s", e.Title, eventWhen(e), e.Place), Actions: rsvpActions(e.ID)},
				DueAt:   now, CreatedAt: now})
			_, reminders := b.rescheduleReminders(e, p.Who, RSVPWaitlisted, RSVPGoing, now)
			ch.Deliveries = append(ch.Deliveries, reminders...)
		}
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

// remindsOf reports whether a registration in this state gets reminders.
func remindsOf(s RSVP) bool { return s == RSVPGoing || s == RSVPMaybe }

// reminderOffsets are how long before the start registrants are reminded.
var reminderOffsets = []struct {
	before time.Duration
	label  string // in the delivery key
	words  string // in the message
}{{24 * time.Hour, "24h", "24 hours"}, {time.Hour, "1h", "1 hour"}}

// eventReminderPrefix is the key prefix of a person's reminders for an event;
// "" for who selects everybody's.
func eventReminderPrefix(eventID int64, who Subscriber) string {
	p := fmt.Sprintf("event-reminder:%d:", eventID)
	if who != (Subscriber{}) {
		p += who.Key() + ":"
	}
	return p
}

// rescheduleReminders cancels and schedules a person's reminders for a
// change of their answer: the reminders 24 hours and 1 hour before the
// start, those still ahead, for Going and Maybe.
func (b *Bot) rescheduleReminders(e Event, who Subscriber, from, to RSVP, now time.Time) (cancel []string, schedule []Delivery) {
	if remindsOf(from) == remindsOf(to) {
		return nil, nil
	}
	if !remindsOf(to) {
		return []string{eventReminderPrefix(e.ID, who)}, nil
	}
	return nil, b.eventReminders(e, who, now)
}

// eventReminders are a person's reminders for the event as it now stands.
func (b *Bot) eventReminders(e Event, who Subscriber, now time.Time) []Delivery {
	var out []Delivery
	for _, r := range reminderOffsets {
		due := e.Start.Add(-r.before)
		if !due.After(now) {
			continue
		}
		text := fmt.Sprintf("Reminder: %q starts in %s.\n%s · %s", e.Title, r.words, eventWhen(e), e.Place)
		if u := b.eventURL(e.ID); u != "" {
			text += "\n" + u
		}
		out = append(out, Delivery{
			Key: eventReminderPrefix(e.ID, who) + strconv.FormatInt(e.Start.Unix(), 10) + ":" + r.label + ":" + strconv.FormatInt(now.UnixNano(), 10),
			To:  who, Purpose: PurposeReminder, Message: Message{Text: text}, DueAt: due, CreatedAt: now,
		})
	}
	return out
}

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
		regs := slices.Clone(st.Registrations)
		if i := slices.IndexFunc(regs, func(r Registration) bool { return r.Who == reg.Who }); i >= 0 {
			regs[i] = reg
		} else {
			regs = append(regs, reg)
		}
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
	first := res.Previous == nil || res.Previous.Status == RSVPNotGoing
	if first && reg.Status != RSVPNotGoing {
		if qa := qaBacklog(st); qa != "" {
			m.Text += "\n\n" + qa
		}
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
	}
	return b.rsvp(ctx, from, a.EventID, RSVPGoing, "", "")
}
