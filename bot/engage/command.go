package engage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Event answers "event …": staff post and run engagement events,
// everybody registers and asks questions.
func (svc *Service) Event(ctx context.Context, c bot.Command, args string) (bot.Message, error) {
	sub, rest := bot.SplitCommand(args)
	if _, err := strconv.ParseInt(sub, 10, 64); err == nil {
		return svc.showEvent(ctx, c, sub)
	}
	switch sub {
	case "new":
		return svc.eventNew(ctx, c, rest)
	case "show":
		return svc.showEvent(ctx, c, rest)
	case "":
		return bot.Message{}, bot.Errorf(bot.EINVALID, "Write `%s`; `events` lists them.", text.Phrase(bot.EventUsage))
	}
	run, ok := eventSubcommands[sub]
	if !ok {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "I don't know `event %s`. Write `%s`.", sub, text.Phrase(bot.EventUsage))
	}
	word, rest, _ := strings.Cut(strings.TrimSpace(rest), " ")
	id, err := parseEventID(word)
	if err != nil {
		return bot.Message{}, err
	}
	return run(svc, ctx, c, id, strings.TrimSpace(rest))
}

// eventSubcommands are the event subcommands that take the event's id
// first: "event rsvp 3 going".
var eventSubcommands = map[string]func(svc *Service, ctx context.Context, c bot.Command, id int64, rest string) (bot.Message, error){
	"publish":   (*Service).publishEvent,
	"update":    (*Service).updateEvent,
	"cancel":    (*Service).cancelEvent,
	"rsvp":      (*Service).rsvpCommand,
	"register":  (*Service).rsvpCommand,
	"ask":       (*Service).askQuestion,
	"answer":    (*Service).answerQuestion,
	"material":  (*Service).addMaterial,
	"involve":   (*Service).flagInvolvement,
	"attendees": (*Service).attendees,
	"export":    (*Service).exportEvent,
}

// parseEventID reads an event id as `events` shows it.
func parseEventID(word string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(word, "#"), 10, 64)
	if err != nil || id <= 0 {
		if word == "" {
			return 0, bot.Errorf(bot.EINVALID, "Which event? Give its number, as `events` lists them.")
		}
		return 0, bot.Errorf(bot.EINVALID, "%q is not an event number; `events` lists them.", word)
	}
	return id, nil
}

// Events answers "events": the upcoming public events, and to staff their
// drafts too.
func (svc *Service) Events(ctx context.Context, c bot.Command) (bot.Message, error) {
	statuses := []bot.EventStatus{bot.EventPublished, bot.EventCancelled}
	staff, err := svc.rights.Can(ctx, c.From, bot.RoleStaff)
	if err != nil {
		return bot.Message{}, err
	}
	if staff {
		statuses = append(statuses, bot.EventDraft)
	}
	list, err := svc.store.Events(ctx, statuses...)
	if err != nil {
		return bot.Message{}, fmt.Errorf("events: %w", err)
	}
	p := c.Printer()
	now := svc.clock.Now()
	var sb strings.Builder
	for _, e := range list {
		if e.End.Before(now) || !e.Public() && !staff {
			continue
		}
		fmt.Fprintf(&sb, "  %d. %s — %s, %s, %s", e.ID, e.Title, kindLabel(p, e.Kind), eventWhen(p, e), e.Place)
		switch e.Status {
		case bot.EventDraft:
			sb.WriteString(p.Sprintf(" (draft: `event publish %d`)", e.ID))
		case bot.EventCancelled:
			sb.WriteString(p.Sprintf(" (cancelled)"))
		}
		sb.WriteByte('\n')
	}
	switch {
	case sb.Len() > 0:
		return bot.Message{Text: p.Sprintf("Upcoming events (`event <number>` for details, `event rsvp <number> going` to register):\n%s", strings.TrimRight(sb.String(), "\n")), Language: p.Language()}, nil
	case staff:
		return bot.Message{Text: p.Sprintf("No upcoming events. Post one with `event new`."), Language: p.Language()}, nil
	}
	return bot.Message{Text: p.Sprintf("No upcoming events."), Language: p.Language()}, nil
}

// showEvent answers "event <id>" with the event's details, for anybody
// while it is public and for staff while it is a draft.
func (svc *Service) showEvent(ctx context.Context, c bot.Command, args string) (bot.Message, error) {
	id, err := parseEventID(strings.TrimSpace(args))
	if err != nil {
		return bot.Message{}, err
	}
	st, err := svc.visibleEvent(ctx, c.From, id)
	if err != nil {
		return bot.Message{}, err
	}
	p := c.Printer()
	text := svc.eventSummary(p, st.Event)
	page := eventPage(st, svc.clock.Now())
	switch {
	case st.Event.Capacity > 0 && page.Waitlisted > 0:
		text += "\n" + p.Sprintf("Places: %d of %d left, %d on the waitlist", page.PlacesLeft, st.Event.Capacity, page.Waitlisted)
	case st.Event.Capacity > 0:
		text += "\n" + p.Sprintf("Places: %d of %d left", page.PlacesLeft, st.Event.Capacity)
	}
	if qa := qaBacklog(p, st); qa != "" {
		text += "\n\n" + qa
	}
	m := bot.Message{Text: text, Language: p.Language()}
	if st.Event.Status == bot.EventPublished {
		m.Actions = rsvpActions(id)
	}
	return m, nil
}

// visibleEvent returns the event if from may see it: public, or a draft
// and from is staff. An event that is not there is said as a sentence
// that points at the list.
func (svc *Service) visibleEvent(ctx context.Context, from bot.Subscriber, id int64) (bot.EventState, error) {
	st, err := svc.store.EventState(ctx, id)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return bot.EventState{}, bot.Errorf(bot.ENOTFOUND, "There is no event %d; `events` lists them.", id)
	}
	if err != nil {
		return bot.EventState{}, err
	}
	if !st.Event.Public() {
		staff, err := svc.rights.Can(ctx, from, bot.RoleStaff)
		if err != nil {
			return bot.EventState{}, err
		}
		if !staff {
			return bot.EventState{}, bot.Errorf(bot.ENOTFOUND, "There is no event %d; `events` lists them.", id)
		}
	}
	return st, nil
}

// eventSummary is an event in a few lines, in p's language: what, when,
// where, and its page.
func (svc *Service) eventSummary(p text.Printer, e bot.Event) string {
	var sb strings.Builder
	if e.Status == bot.EventCancelled {
		sb.WriteString(p.Sprintf("CANCELLED: %s (event %d)", e.Title, e.ID))
	} else {
		sb.WriteString(p.Sprintf("%s (event %d)", e.Title, e.ID))
	}
	fmt.Fprintf(&sb, "\n%s · %s\n%s", kindLabel(p, e.Kind), eventWhen(p, e), e.Place)
	if e.Description != "" {
		sb.WriteString("\n" + bot.Truncate(e.Description, 600))
	}
	if !e.RegisterBy.IsZero() {
		sb.WriteString("\n" + p.Sprintf("Register by %s", p.Format(e.RegisterBy, dateTimeLayout(p)+" (MST)")))
	}
	if e.Related != "" {
		sb.WriteString("\n" + p.Sprintf("Related notice: %s", e.Related))
	}
	for _, d := range e.Documents {
		sb.WriteString("\n" + p.Sprintf("Document: %s", d))
	}
	if who := organiserLine(e); who != "" {
		sb.WriteString("\n" + p.Sprintf("Organiser: %s", who))
	}
	if e.Status == bot.EventCancelled && e.Reason != "" {
		sb.WriteString("\n" + p.Sprintf("Reason: %s", e.Reason))
	}
	if u := svc.eventURL(e.ID); u != "" {
		sb.WriteString("\n" + p.Sprintf("Page: %s · calendar: %s.ics", u, u))
	}
	return sb.String()
}

// dateTimeLayout is how p's language writes a day and a time in a
// message: short in English, as chat has it ("Wed 10 Feb 2027, 14:00"),
// in full in Dutch, as a Dutch municipality writes to entrepreneurs
// ("woensdag 10 februari 2027, 14:00").
func dateTimeLayout(p text.Printer) string {
	if p.Language() == text.Dutch {
		return "Monday 2 January 2006, 15:04"
	}
	return "Mon 2 Jan 2006, 15:04"
}

// eventWhen is the event's date and time in its own zone, in p's
// language: "Wed 10 Feb 2027, 14:00–16:00 (UTC+01:00)", "woensdag 10
// februari 2027, 14:00–16:00 (UTC+01:00)"; an end in another offset (a
// clock change in between) is shown with its own.
func eventWhen(p text.Printer, e bot.Event) string {
	layout := dateTimeLayout(p)
	start, end := e.Start, e.End
	zone := utcOffset(start)
	if utcOffset(end) != zone {
		return p.Format(start, layout) + " (UTC" + zone + ") – " + p.Format(end, layout) + " (UTC" + utcOffset(end) + ")"
	}
	text := p.Format(start, layout) + "–"
	if end.YearDay() != start.YearDay() || end.Year() != start.Year() {
		text += p.Format(end, layout)
	} else {
		text += end.Format("15:04")
	}
	return text + " (UTC" + zone + ")"
}

// utcOffset is a time's offset from UTC as "+01:00".
func utcOffset(t time.Time) string {
	if z := t.Format("Z07:00"); z != "Z" {
		return z
	}
	return "+00:00"
}

// eventOver reports whether the event has ended.
func eventOver(e bot.Event, now time.Time) bool { return !e.End.After(now) }

// organiserLine is the organiser and the contact on one line, "" when
// neither is given.
func organiserLine(e bot.Event) string {
	switch {
	case e.OrganiserName != "" && e.Contact != "":
		return e.OrganiserName + " (" + e.Contact + ")"
	case e.OrganiserName != "":
		return e.OrganiserName
	}
	return e.Contact
}
