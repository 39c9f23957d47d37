package bot

import (
	"context"
	"fmt"
	"slices"
	"time"
)

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
		res.Promoted = promote(withRegistrations(st.Registrations, []Registration{reg}), st.Event.Capacity, now)
	}
	return res
}

// promote gives free places to the waitlist, longest waiting first, and
// returns the registrations it changed.
func promote(regs []Registration, capacity int, now time.Time) []Registration {
	waiting := waitlist(regs)
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

// waitlist returns the waitlisted registrations, longest waiting first.
func waitlist(regs []Registration) []Registration {
	var waiting []Registration
	for _, r := range regs {
		if r.Status == RSVPWaitlisted {
			waiting = append(waiting, r)
		}
	}
	slices.SortStableFunc(waiting, func(x, y Registration) int { return x.UpdatedAt.Compare(y.UpdatedAt) })
	return waiting
}

// waitlistPlace is the person's place on the waitlist, from 1.
func waitlistPlace(regs []Registration, who Subscriber) int {
	return slices.IndexFunc(waitlist(regs), func(r Registration) bool { return r.Who == who }) + 1
}

// withRegistrations returns regs with the changed registrations in place
// of the same people's.
func withRegistrations(regs, changed []Registration) []Registration {
	out := slices.Clone(regs)
	for _, c := range changed {
		if i := slices.IndexFunc(out, func(r Registration) bool { return r.Who == c.Who }); i >= 0 {
			out[i] = c
		} else {
			out = append(out, c)
		}
	}
	return out
}

// promotionEffects are what promoting people from the waitlist causes: an
// audit entry, a message and the reminders for each.
func (b *Bot) promotionEffects(e Event, promoted []Registration, actors map[Subscriber]string, trail *auditTrail, now time.Time) ([]Delivery, error) {
	var out []Delivery
	for _, p := range promoted {
		if err := trail.add("waitlist_promotion", botActor, map[string]any{"who": actors[p.Who]}); err != nil {
			return nil, err
		}
		out = append(out, Delivery{
			Key: fmt.Sprintf("promoted:%d:%s:%d", e.ID, p.Who.Key(), trail.change), To: p.Who, Purpose: PurposeEvent, DueAt: now, CreatedAt: now,
			Message: Message{Text: fmt.Sprintf("A place opened up: you're going to %q now.\n%s · %s", e.Title, eventWhen(e), e.Place), Actions: rsvpActions(e.ID)},
		})
		out = append(out, b.eventReminders(e, p.Who, now, trail.change)...)
	}
	return out, nil
}

// fillPlaces gives an event's free places to its waitlist: forget me calls
// it when a person who held a place is erased.
func (b *Bot) fillPlaces(ctx context.Context, id int64) error {
	now := b.clock.Now()
	promoted := 0
	_, err := b.changeWithActors(ctx, id, nil, func(st EventState, actors map[Subscriber]string) (EventChange, error) {
		if st.Event.Status != EventPublished || eventOver(st.Event, now) {
			return EventChange{}, nil
		}
		regs := promote(st.Registrations, st.Event.Capacity, now)
		if len(regs) == 0 {
			return EventChange{}, nil
		}
		trail := newAuditTrail(st, now)
		out, err := b.promotionEffects(st.Event, regs, actors, trail, now)
		if err != nil {
			return EventChange{}, err
		}
		promoted = len(regs)
		return EventChange{Registrations: regs, Audit: trail.entries, Deliveries: out}, nil
	})
	if promoted > 0 {
		b.wakeDispatcher()
	}
	return err
}
