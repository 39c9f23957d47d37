package engage

import (
	"context"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// eventPage is what anybody may see of the event at now.
func eventPage(st bot.EventState, now time.Time) bot.EventPage {
	p := bot.EventPage{Event: st.Event, Materials: st.Materials}
	p.Open = st.Event.Status == bot.EventPublished && !registrationClosed(st.Event, now)
	p.Event.Organizer = bot.Subscriber{}
	for _, r := range st.Registrations {
		switch r.Status {
		case bot.RSVPGoing:
			p.Going++
		case bot.RSVPWaitlisted:
			p.Waitlisted++
		}
	}
	p.PlacesLeft = max(0, st.Event.Capacity-p.Going)
	for _, q := range st.Questions {
		if q.Answered() {
			q.Asker = bot.Subscriber{}
			p.Questions = append(p.Questions, q)
		}
	}
	return p
}

// PublicEvents returns the published and cancelled events that ended at
// most 30 days ago, by start: the public page and Atom feed.
func (svc *Service) PublicEvents(ctx context.Context) ([]bot.EventPage, error) {
	list, err := svc.store.Events(ctx, bot.EventPublished, bot.EventCancelled)
	if err != nil {
		return nil, fmt.Errorf("public events: %w", err)
	}
	cutoff := svc.clock.Now().Add(-30 * 24 * time.Hour)
	var pages []bot.EventPage
	for _, e := range list {
		if !e.Public() || e.End.Before(cutoff) {
			continue
		}
		st, err := svc.store.EventState(ctx, e.ID)
		if err != nil {
			return nil, fmt.Errorf("public event %d: %w", e.ID, err)
		}
		pages = append(pages, eventPage(st, svc.clock.Now()))
	}
	return pages, nil
}

// PublicEvent returns one public event; ENOTFOUND for a draft or none.
func (svc *Service) PublicEvent(ctx context.Context, id int64) (bot.EventPage, error) {
	st, err := svc.store.EventState(ctx, id)
	if err != nil {
		return bot.EventPage{}, err
	}
	if !st.Event.Public() {
		return bot.EventPage{}, bot.Errorf(bot.ENOTFOUND, "There is no event %d.", id)
	}
	return eventPage(st, svc.clock.Now()), nil
}
