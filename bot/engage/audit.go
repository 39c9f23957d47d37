package engage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/audit"
)

// botActor is the audit actor of what the bot does by itself: invites,
// announcements, waitlist promotions.
const botActor = "tenderbot"

// anonymousActor is the audit actor of a question: nobody, not even staff
// reading the record, may learn who asked.
const anonymousActor = "anonymous"

// auditTrail collects the entries one change appends to an event's chain,
// each sealed onto the one before.
type auditTrail struct {
	last    audit.Entry
	event   int64
	at      time.Time
	entries []audit.Entry
	// change numbers the change the trail belongs to: the seq of its first
	// entry, unique per event. Keys of messages that a change schedules
	// anew (reminders, promotions) carry it, so a later change never
	// collides with an earlier, cancelled one.
	change int64
}

// newAuditTrail starts the entries of a change at time at, or at the last
// entry's time if a change that began later committed first: the log's
// times never go back.
func newAuditTrail(st bot.EventState, at time.Time) *auditTrail {
	if last, err := time.Parse(time.RFC3339Nano, st.Last.Time); err == nil && at.Before(last) {
		at = last
	}
	return &auditTrail{last: st.Last, event: st.Event.ID, at: at, change: st.Last.Seq + 1}
}

// add appends an entry: what happened, who did it (a pseudonym from
// AuditActors, or botActor) and its details, which never hold a person's
// id or name.
func (t *auditTrail) add(action, actor string, data any) error {
	if actor == "" {
		return errMissingActor
	}
	e, err := audit.Next(t.last, t.at, t.event, action, actor, data)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	t.last = e
	t.entries = append(t.entries, e)
	return nil
}

// errMissingActor is returned inside a change when a person appears whose
// pseudonym was not fetched before the change began (they registered in
// between): the change is run again with the pseudonyms fetched afresh.
var errMissingActor = errors.New("audit actor not fetched")

// changeWithActors runs an event change that needs the audit pseudonyms of
// the people it touches: those of who, and of everybody registered for the
// event. It fetches them, and the languages those people and the askers of
// the event's questions read, runs change, and runs it again with fresh
// pseudonyms if somebody new turned up in between.
func (svc *Service) changeWithActors(ctx context.Context, id int64, who []bot.Subscriber, change func(st bot.EventState, actors map[bot.Subscriber]string, to readers) (bot.EventChange, error)) (bot.Event, error) {
	for attempt := 0; ; attempt++ {
		st, err := svc.store.EventState(ctx, id)
		if err != nil {
			return bot.Event{}, err
		}
		people := append([]bot.Subscriber(nil), who...)
		for _, r := range st.Registrations {
			people = append(people, r.Who)
		}
		actors, err := svc.store.AuditActors(ctx, people)
		if err != nil {
			return bot.Event{}, fmt.Errorf("audit actors: %w", err)
		}
		for _, q := range st.Questions {
			if q.Asker != (bot.Subscriber{}) {
				people = append(people, q.Asker)
			}
		}
		to := svc.readersOf(ctx, people)
		e, err := svc.store.ChangeEvent(ctx, id, func(st bot.EventState) (bot.EventChange, error) {
			return change(st, actors, to.withRegistrations(st.Registrations...))
		})
		if errors.Is(err, errMissingActor) && attempt < 3 {
			continue
		}
		return e, err
	}
}

// eventRecord is what the audit chain keeps of an event's fields.
func eventRecord(e bot.Event) map[string]any {
	r := map[string]any{
		"title":    e.Title,
		"kind":     string(e.Kind),
		"start":    e.Start.Format(time.RFC3339),
		"end":      e.End.Format(time.RFC3339),
		"place":    e.Place,
		"capacity": e.Capacity,
		"target":   e.Target,
		"sequence": e.Sequence,
	}
	if e.Description != "" {
		r["description"] = e.Description
	}
	if !e.RegisterBy.IsZero() {
		r["register_by"] = e.RegisterBy.Format(time.RFC3339)
	}
	if e.Related != "" {
		r["related"] = e.Related
	}
	if len(e.Documents) > 0 {
		r["documents"] = e.Documents
	}
	if e.OrganiserName != "" {
		r["organiser"] = e.OrganiserName
	}
	if e.Contact != "" {
		r["contact"] = e.Contact
	}
	return r
}
