package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// eventUsage lists the event subcommands, for help and for mistakes.
const eventUsage = "event <id> | new [key=value …] | publish <id> | update <id> key=value … | cancel <id> [reason] | " +
	"rsvp <id> going|maybe|no [name=\"…\" company=\"…\"] | ask <id> <question> | answer <id> <n> <text> | " +
	"material <id> <url> [title] | involve <id> <user> <note> | attendees <id> | export <id>"

// eventCommand runs "event …": staff post and run engagement events,
// everybody registers and asks questions.
func (b *Bot) eventCommand(ctx context.Context, c Command, args string) (Message, error) {
	sub, rest := splitCommand(args)
	if _, err := strconv.ParseInt(sub, 10, 64); err == nil {
		return b.showEvent(ctx, c, sub)
	}
	switch sub {
	case "new":
		return b.eventNew(ctx, c, rest)
	case "show":
		return b.showEvent(ctx, c, rest)
	case "":
		return Message{}, Errorf(EINVALID, "Write `%s`; `events` lists them.", eventUsage)
	}
	run, ok := eventSubcommands[sub]
	if !ok {
		return Message{}, Errorf(EINVALID, "I don't know `event %s`. Write `%s`.", sub, eventUsage)
	}
	word, rest, _ := strings.Cut(strings.TrimSpace(rest), " ")
	id, err := parseEventID(word)
	if err != nil {
		return Message{}, err
	}
	return run(b, ctx, c, id, strings.TrimSpace(rest))
}

// eventSubcommands are the event subcommands that take the event's id
// first: "event rsvp 3 going".
var eventSubcommands = map[string]func(b *Bot, ctx context.Context, c Command, id int64, rest string) (Message, error){
	"publish":   (*Bot).publishEvent,
	"update":    (*Bot).updateEvent,
	"cancel":    (*Bot).cancelEvent,
	"rsvp":      (*Bot).rsvpCommand,
	"register":  (*Bot).rsvpCommand,
	"ask":       (*Bot).askQuestion,
	"answer":    (*Bot).answerQuestion,
	"material":  (*Bot).addMaterial,
	"involve":   (*Bot).flagInvolvement,
	"attendees": (*Bot).attendees,
	"export":    (*Bot).exportEvent,
}

// parseEventID reads an event id as `events` shows it.
func parseEventID(word string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(word, "#"), 10, 64)
	if err != nil || id <= 0 {
		if word == "" {
			return 0, Errorf(EINVALID, "Which event? Give its number, as `events` lists them.")
		}
		return 0, Errorf(EINVALID, "%q is not an event number; `events` lists them.", word)
	}
	return id, nil
}

// events lists the upcoming public events, and to staff their drafts too.
func (b *Bot) events(ctx context.Context, c Command, _ string) (Message, error) {
	statuses := []EventStatus{EventPublished, EventCancelled}
	staff, err := b.can(ctx, c.From, RoleStaff)
	if err != nil {
		return Message{}, err
	}
	if staff {
		statuses = append(statuses, EventDraft)
	}
	list, err := b.store.Events(ctx, statuses...)
	if err != nil {
		return Message{}, fmt.Errorf("events: %w", err)
	}
	now := b.clock.Now()
	var sb strings.Builder
	for _, e := range list {
		if e.End.Before(now) || !e.Public() && !staff {
			continue
		}
		fmt.Fprintf(&sb, "  %d. %s — %s, %s, %s", e.ID, e.Title, e.Kind.Label(), eventWhen(e), e.Place)
		switch e.Status {
		case EventDraft:
			sb.WriteString(" (draft: `event publish " + strconv.FormatInt(e.ID, 10) + "`)")
		case EventCancelled:
			sb.WriteString(" (cancelled)")
		}
		sb.WriteByte('\n')
	}
	if sb.Len() == 0 {
		text := "No upcoming events."
		if staff {
			text += " Post one with `event new`."
		}
		return Message{Text: text}, nil
	}
	return Message{Text: "Upcoming events (`event <number>` for details, `event rsvp <number> going` to register):\n" + strings.TrimRight(sb.String(), "\n")}, nil
}

// showEvent answers "event <id>" with the event's details, for anybody
// while it is public and for staff while it is a draft.
func (b *Bot) showEvent(ctx context.Context, c Command, args string) (Message, error) {
	id, err := parseEventID(strings.TrimSpace(args))
	if err != nil {
		return Message{}, err
	}
	st, err := b.visibleEvent(ctx, c.From, id)
	if err != nil {
		return Message{}, err
	}
	text := b.eventSummary(st.Event)
	page := eventPage(st)
	if st.Event.Capacity > 0 {
		text += fmt.Sprintf("\nPlaces: %d of %d left", page.PlacesLeft, st.Event.Capacity)
		if page.Waitlisted > 0 {
			text += fmt.Sprintf(", %d on the waitlist", page.Waitlisted)
		}
	}
	if qa := qaBacklog(st); qa != "" {
		text += "\n\n" + qa
	}
	m := Message{Text: text}
	if st.Event.Status == EventPublished {
		m.Actions = rsvpActions(id)
	}
	return m, nil
}

// visibleEvent returns the event if from may see it: public, or a draft
// and from is staff.
func (b *Bot) visibleEvent(ctx context.Context, from Subscriber, id int64) (EventState, error) {
	st, err := b.store.EventState(ctx, id)
	if err != nil {
		return EventState{}, err
	}
	if !st.Event.Public() {
		staff, err := b.can(ctx, from, RoleStaff)
		if err != nil {
			return EventState{}, err
		}
		if !staff {
			return EventState{}, Errorf(ENOTFOUND, "There is no event %d; `events` lists them.", id)
		}
	}
	return st, nil
}

// eventSummary is an event in a few lines: what, when, where, and its page.
func (b *Bot) eventSummary(e Event) string {
	var sb strings.Builder
	if e.Status == EventCancelled {
		sb.WriteString("CANCELLED: ")
	}
	fmt.Fprintf(&sb, "%s (event %d)\n%s · %s\n%s", e.Title, e.ID, e.Kind.Label(), eventWhen(e), e.Place)
	if e.Description != "" {
		sb.WriteString("\n" + truncate(e.Description, 600))
	}
	if !e.RegisterBy.IsZero() {
		sb.WriteString("\nRegister by " + e.RegisterBy.Format("Mon 2 Jan 2006 15:04 (MST)"))
	}
	if e.Related != "" {
		sb.WriteString("\nRelated notice: " + e.Related)
	}
	for _, d := range e.Documents {
		sb.WriteString("\nDocument: " + d)
	}
	if e.Status == EventCancelled && e.Reason != "" {
		sb.WriteString("\nReason: " + e.Reason)
	}
	if u := b.eventURL(e.ID); u != "" {
		sb.WriteString("\nPage: " + u + " · calendar: " + u + ".ics")
	}
	return sb.String()
}

// eventWhen is the event's date and time in its own zone:
// "Wed 10 Feb 2027, 14:00–16:00 (UTC+01:00)"; an end in another offset (a
// clock change in between) is shown with its own.
func eventWhen(e Event) string {
	start, end := e.Start, e.End
	zone := utcOffset(start)
	if utcOffset(end) != zone {
		return start.Format("Mon 2 Jan 2006, 15:04") + " (UTC" + zone + ") – " + end.Format("Mon 2 Jan 2006, 15:04") + " (UTC" + utcOffset(end) + ")"
	}
	text := start.Format("Mon 2 Jan 2006, 15:04") + "–"
	if end.YearDay() != start.YearDay() || end.Year() != start.Year() {
		text += end.Format("Mon 2 Jan 2006, 15:04")
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

// eventURL is the public page of an event, "" when the bot has no public
// address configured.
func (b *Bot) eventURL(id int64) string {
	if b.baseURL == "" {
		return ""
	}
	return b.baseURL + "/events/" + strconv.FormatInt(id, 10)
}

// eventOver reports whether the event has ended.
func eventOver(e Event, now time.Time) bool { return !e.End.After(now) }
