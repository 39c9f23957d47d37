package bot

import (
	"context"
	"fmt"
	"time"
)

// eventPage is what anybody may see of the event.
func eventPage(st EventState) EventPage {
	p := EventPage{Event: st.Event, Materials: st.Materials}
	p.Event.Organizer = Subscriber{}
	for _, r := range st.Registrations {
		switch r.Status {
		case RSVPGoing:
			p.Going++
		case RSVPWaitlisted:
			p.Waitlisted++
		}
	}
	p.PlacesLeft = max(0, st.Event.Capacity-p.Going)
	for _, q := range st.Questions {
		if q.Answered() {
			q.Asker = Subscriber{}
			p.Questions = append(p.Questions, q)
		}
	}
	return p
}

// PublicEvents returns the published and cancelled events that ended at
// most 30 days ago, by start: the public page and Atom feed.
func (b *Bot) PublicEvents(ctx context.Context) ([]EventPage, error) {
	list, err := b.store.Events(ctx, EventPublished, EventCancelled)
	if err != nil {
		return nil, fmt.Errorf("public events: %w", err)
	}
	cutoff := b.clock.Now().Add(-30 * 24 * time.Hour)
	var pages []EventPage
	for _, e := range list {
		if !e.Public() || e.End.Before(cutoff) {
			continue
		}
		st, err := b.store.EventState(ctx, e.ID)
		if err != nil {
			return nil, fmt.Errorf("public event %d: %w", e.ID, err)
		}
		pages = append(pages, eventPage(st))
	}
	return pages, nil
}

// PublicEvent returns one public event; ENOTFOUND for a draft or none.
func (b *Bot) PublicEvent(ctx context.Context, id int64) (EventPage, error) {
	st, err := b.store.EventState(ctx, id)
	if err != nil {
		return EventPage{}, err
	}
	if !st.Event.Public() {
		return EventPage{}, Errorf(ENOTFOUND, "There is no event %d.", id)
	}
	return eventPage(st), nil
}
