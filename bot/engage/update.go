package engage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// updateEvent answers "event update <id> key=value …". On a published
// event every registrant is told what changed, the calendar's SEQUENCE goes
// up, reminders are made anew with the new details, a larger capacity lets
// the waitlist in, and a new target invites those it newly reaches.
func (svc *Service) updateEvent(ctx context.Context, c bot.Command, id int64, args string) (bot.Message, error) {
	p := c.Printer()
	if err := svc.rights.Require(ctx, c.From, bot.RoleStaff, text.N("change events")); err != nil {
		return bot.Message{}, err
	}
	fields, err := parseFields(args)
	if err != nil {
		return bot.Message{}, err
	}
	if len(fields) == 0 {
		return bot.Message{}, bot.Errorf(bot.EINVALID, "What changes? Write `event update %d start=2027-02-10T15:00+01:00` with any of: %s.", id, eventFieldKeys())
	}
	now := svc.clock.Now()
	invites, err := svc.newInvitees(ctx, id, fields)
	if err != nil {
		return bot.Message{}, err
	}
	who := []bot.Subscriber{c.From}
	for _, inv := range invites {
		who = append(who, inv.Who)
	}
	var changed []string
	var told, invited int
	updated, err := svc.changeWithActors(ctx, id, who, func(st bot.EventState, actors map[bot.Subscriber]string, to readers) (bot.EventChange, error) {
		old := st.Event
		if old.Status == bot.EventCancelled {
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "Event %d is cancelled; post a new one with `event new`.", id)
		}
		e, err := svc.applyUpdate(p, old, fields, now)
		if err != nil {
			return bot.EventChange{}, err
		}
		changed = eventChanges(old, e)
		if len(changed) == 0 {
			return bot.EventChange{}, bot.Errorf(bot.EINVALID, "That changes nothing in event %d.", id)
		}
		e.UpdatedAt = now
		ch := bot.EventChange{Event: &e}
		trail := newAuditTrail(st, now)
		if e.Status == bot.EventPublished {
			e.Sequence++
			if told, invited, err = svc.tellRegistrants(st, old, &e, changed, invites, actors, to, trail, now, &ch); err != nil {
				return bot.EventChange{}, err
			}
		}
		record := eventRecord(e)
		record["changed"] = changed
		if err := trail.add("update", actors[c.From], record); err != nil {
			return bot.EventChange{}, err
		}
		ch.Audit = trail.entries
		return ch, nil
	})
	if err != nil {
		return bot.Message{}, err
	}
	svc.outbox.Wake()
	text := p.Sprintf("Updated event %d (%s).", id, strings.Join(changed, ", "))
	if updated.Status == bot.EventPublished {
		text += p.Sprintf(" %d registrant(s) are told; the calendar file is now version %d.", told, updated.Sequence)
		if slices.Contains(changed, "target") {
			text += p.Sprintf(" The new target invites %d more.", invited)
		}
	}
	return bot.Message{Text: text, Language: p.Language()}, nil
}

// applyUpdate returns old with the fields set, checked against each other
// and the clock. A registration deadline that has passed is fine, unless
// it is what changes.
func (svc *Service) applyUpdate(p text.Printer, old bot.Event, fields []field, now time.Time) (bot.Event, error) {
	e := old
	e.Documents = slices.Clone(old.Documents)
	if err := svc.applyEventFields(p, &e, fields); err != nil {
		return bot.Event{}, err
	}
	check := e
	if e.RegisterBy.Equal(old.RegisterBy) {
		check.RegisterBy = time.Time{}
	}
	if err := checkEvent(check, now); err != nil {
		return bot.Event{}, err
	}
	return e, nil
}

// tellRegistrants adds to ch what an update of a published event causes,
// e being the event as updated (its Sequence raised): every registrant is
// told what changed, reminders are made anew, a new target invites those
// it newly reaches and a larger capacity lets the waitlist in, each
// message in its reader's language. It returns how many were told and
// invited.
func (svc *Service) tellRegistrants(st bot.EventState, old bot.Event, e *bot.Event, changed []string, invites []invitee,
	actors map[bot.Subscriber]string, to readers, trail *auditTrail, now time.Time, ch *bot.EventChange) (told, invited int, err error) {
	id := e.ID
	for _, who := range registrants(st) {
		p := to.printer(who)
		msg := bot.Message{Text: p.Sprintf("Changed: %q (%s).\n%s", e.Title, changeWords(p, changed), svc.eventSummary(p, *e)), Actions: rsvpActions(id), Language: p.Language()}
		ch.Deliveries = append(ch.Deliveries, bot.Delivery{Key: fmt.Sprintf("update:%d:%d:%s", id, e.Sequence, who.Key()), To: who, Purpose: bot.PurposeEvent, Message: msg, DueAt: now, CreatedAt: now})
	}
	told = len(ch.Deliveries)
	// Reminders carry the title, time and place: they are made anew.
	ch.Cancel = []string{eventReminderPrefix(id, bot.Subscriber{})}
	for _, r := range st.Registrations {
		if remindsOf(r.Status) {
			ch.Deliveries = append(ch.Deliveries, svc.eventReminders(to.printer(r.Who), *e, r.Who, now, trail.change)...)
		}
	}
	if e.Target != old.Target {
		out, err := svc.invitations(*e, invites, actors, to, trail, now)
		if err != nil {
			return 0, 0, err
		}
		ch.Deliveries = append(ch.Deliveries, out...)
		invited = len(out)
	}
	if e.Capacity != old.Capacity {
		promoted := promote(st.Registrations, e.Capacity, now)
		out, err := svc.promotionEffects(*e, promoted, actors, to, trail, now)
		if err != nil {
			return 0, 0, err
		}
		ch.Registrations = append(ch.Registrations, promoted...)
		ch.Deliveries = append(ch.Deliveries, out...)
	}
	return told, invited, nil
}

// eventChanges names the fields that differ, as the form calls them.
func eventChanges(old, e bot.Event) []string {
	var out []string
	add := func(differs bool, key string) {
		if differs {
			out = append(out, key)
		}
	}
	add(old.Title != e.Title, "title")
	add(old.Kind != e.Kind, "kind")
	add(!old.Start.Equal(e.Start), "start")
	add(!old.End.Equal(e.End), "end")
	add(old.Place != e.Place, "place")
	add(old.Description != e.Description, "description")
	add(old.Capacity != e.Capacity, "capacity")
	add(!old.RegisterBy.Equal(e.RegisterBy), "register_by")
	add(old.Target != e.Target, "target")
	add(old.Related != e.Related, "related")
	add(!slices.Equal(old.Documents, e.Documents), "documents")
	add(old.OrganiserName != e.OrganiserName, "organiser")
	add(old.Contact != e.Contact, "contact")
	return out
}

// changedWords name the fields that changed for registrants, by key.
var changedWords = map[string]string{
	"title":       text.N("title"),
	"kind":        text.N("kind"),
	"start":       text.N("start"),
	"end":         text.N("end"),
	"place":       text.N("place"),
	"description": text.N("description"),
	"capacity":    text.N("capacity"),
	"register_by": text.N("registration deadline"),
	"target":      text.N("who is invited"),
	"related":     text.N("related notice"),
	"documents":   text.N("documents"),
	"organiser":   text.N("organiser"),
	"contact":     text.N("contact"),
}

// changeWords names the changed fields in p's language: "start, place".
func changeWords(p text.Printer, changed []string) string {
	words := make([]string, len(changed))
	for i, key := range changed {
		words[i] = p.Text(changedWords[key])
	}
	return strings.Join(words, ", ")
}

// cancelEvent answers "event cancel <id> [reason]": registrants are told,
// reminders are withdrawn, the page and calendar file say cancelled.
func (svc *Service) cancelEvent(ctx context.Context, c bot.Command, id int64, reason string) (bot.Message, error) {
	p := c.Printer()
	if err := svc.rights.Require(ctx, c.From, bot.RoleStaff, text.N("cancel events")); err != nil {
		return bot.Message{}, err
	}
	now := svc.clock.Now()
	var told int
	_, err := svc.changeWithActors(ctx, id, []bot.Subscriber{c.From}, func(st bot.EventState, actors map[bot.Subscriber]string, to readers) (bot.EventChange, error) {
		e := st.Event
		if e.Status == bot.EventCancelled {
			return bot.EventChange{}, bot.Errorf(bot.ECONFLICT, "Event %d is cancelled already.", id)
		}
		wasPublic := e.Public()
		e.Status, e.Reason, e.UpdatedAt = bot.EventCancelled, bot.Truncate(reason, 500), now
		ch := bot.EventChange{Event: &e, Cancel: pendingEventKeys(id)}
		if wasPublic {
			e.Sequence++
			for _, who := range registrants(st) {
				r := to.printer(who)
				text := r.Sprintf("Cancelled: %q (%s).", e.Title, eventWhen(r, e))
				if e.Reason != "" {
					text += "\n" + r.Sprintf("Reason: %s", e.Reason)
				}
				ch.Deliveries = append(ch.Deliveries, bot.Delivery{Key: fmt.Sprintf("cancel:%d:%s", id, who.Key()), To: who, Purpose: bot.PurposeEvent,
					Message: bot.Message{Text: text, Language: r.Language()}, DueAt: now, CreatedAt: now})
			}
			told = len(ch.Deliveries)
		}
		trail := newAuditTrail(st, now)
		if err := trail.add("cancel", actors[c.From], map[string]any{"reason": e.Reason, "sequence": e.Sequence}); err != nil {
			return bot.EventChange{}, err
		}
		ch.Audit = trail.entries
		return ch, nil
	})
	if err != nil {
		return bot.Message{}, err
	}
	svc.outbox.Wake()
	return bot.Message{Text: p.Sprintf("Cancelled event %d; %d registrant(s) are told, and the page and calendar file say so.", id, told), Language: p.Language()}, nil
}

// pendingEventKeys are the key prefixes of every message about an event
// that a cancellation withdraws while it still waits in the outbox:
// announcements, invitations, promotions, answers, materials, changes,
// questions to staff and reminders.
func pendingEventKeys(id int64) []string {
	var out []string
	for _, kind := range []string{"announce", "invite", "promoted", "answer", "material", "update", "question"} {
		out = append(out, fmt.Sprintf("%s:%d:", kind, id))
	}
	return append(out, eventReminderPrefix(id, bot.Subscriber{}))
}

// newInvitees are who a published event's new target reaches that were not
// invited yet; none when the update leaves the target alone.
func (svc *Service) newInvitees(ctx context.Context, id int64, fields []field) ([]invitee, error) {
	if !slices.ContainsFunc(fields, func(f field) bool { g, _ := findEventField(f.Key); return g.key == "target" }) {
		return nil, nil
	}
	st, err := svc.store.EventState(ctx, id)
	if err != nil || st.Event.Status != bot.EventPublished {
		return nil, err
	}
	e := st.Event
	if err := svc.applyEventFields(text.Printer{}, &e, fields); err != nil {
		return nil, nil // the change itself says what is wrong
	}
	r, err := svc.reach(ctx, e)
	if err != nil {
		return nil, err
	}
	var out []invitee
	for _, inv := range r.Invitees {
		sent, err := svc.store.HasDelivery(ctx, inviteKey(id, inv.Who))
		if err != nil {
			return nil, fmt.Errorf("invitees: %w", err)
		}
		if !sent {
			out = append(out, inv)
		}
	}
	return out, nil
}
