package engage

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// rsvpResult is what applying an answer did.
type rsvpResult struct {
	Registration bot.Registration   // the person's registration as it now is
	Previous     *bot.Registration  // as it was; nil when this is the first answer
	Promoted     []bot.Registration // waitlisted people who got a place
}

// applyRSVP works out a person's answer against the event's registrations:
// Going takes a place while there is one and joins the waitlist when the
// event is full; giving up a place promotes the longest-waiting person on
// the waitlist. Registrations are returned as they must be written.
func applyRSVP(st bot.EventState, who bot.Subscriber, want bot.RSVP, name, company string, invited bool, now time.Time) rsvpResult {
	var res rsvpResult
	reg := bot.Registration{EventID: st.Event.ID, Who: who, RegisteredAt: now, Invited: invited}
	if i := slices.IndexFunc(st.Registrations, func(r bot.Registration) bool { return r.Who == who }); i >= 0 {
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
	case want == bot.RSVPGoing && (old == bot.RSVPGoing || old == bot.RSVPWaitlisted):
		// Keep the place, or the place in the queue.
	case want == bot.RSVPGoing && (st.Event.Capacity == 0 || goingCount(st.Registrations, who) < st.Event.Capacity):
		reg.Status, reg.UpdatedAt = bot.RSVPGoing, now
	case want == bot.RSVPGoing:
		reg.Status, reg.UpdatedAt = bot.RSVPWaitlisted, now
	default:
		if old != want {
			reg.Status, reg.UpdatedAt = want, now
		}
	}
	res.Registration = reg
	if old == bot.RSVPGoing && reg.Status != bot.RSVPGoing {
		res.Promoted = promote(withRegistrations(st.Registrations, []bot.Registration{reg}), st.Event.Capacity, now)
	}
	return res
}

// promote gives free places to the waitlist, longest waiting first, and
// returns the registrations it changed.
func promote(regs []bot.Registration, capacity int, now time.Time) []bot.Registration {
	waiting := waitlist(regs)
	free := len(waiting)
	if capacity > 0 {
		free = capacity - goingCount(regs, bot.Subscriber{})
	}
	var promoted []bot.Registration
	for _, r := range waiting {
		if len(promoted) >= free {
			break
		}
		r.Status, r.UpdatedAt = bot.RSVPGoing, now
		promoted = append(promoted, r)
	}
	return promoted
}

// goingCount counts the registrations with a place, leaving out except.
func goingCount(regs []bot.Registration, except bot.Subscriber) int {
	n := 0
	for _, r := range regs {
		if r.Status == bot.RSVPGoing && r.Who != except {
			n++
		}
	}
	return n
}

// waitlist returns the waitlisted registrations, longest waiting first.
func waitlist(regs []bot.Registration) []bot.Registration {
	var waiting []bot.Registration
	for _, r := range regs {
		if r.Status == bot.RSVPWaitlisted {
			waiting = append(waiting, r)
		}
	}
	slices.SortStableFunc(waiting, func(x, y bot.Registration) int { return x.UpdatedAt.Compare(y.UpdatedAt) })
	return waiting
}

// waitlistPlace is the person's place on the waitlist, from 1.
func waitlistPlace(regs []bot.Registration, who bot.Subscriber) int {
	return slices.IndexFunc(waitlist(regs), func(r bot.Registration) bool { return r.Who == who }) + 1
}

// withRegistrations returns regs with the changed registrations in place
// of the same people's.
func withRegistrations(regs, changed []bot.Registration) []bot.Registration {
	out := slices.Clone(regs)
	for _, c := range changed {
		if i := slices.IndexFunc(out, func(r bot.Registration) bool { return r.Who == c.Who }); i >= 0 {
			out[i] = c
		} else {
			out = append(out, c)
		}
	}
	return out
}

// promotionEffects are what promoting people from the waitlist causes: an
// audit entry, a message and the reminders for each.
// Each is written in the promoted person's language.
func (svc *Service) promotionEffects(e bot.Event, promoted []bot.Registration, actors map[bot.Subscriber]string, to readers, trail *auditTrail, now time.Time) ([]bot.Delivery, error) {
	var out []bot.Delivery
	for _, r := range promoted {
		if err := trail.add("waitlist_promotion", botActor, map[string]any{"who": actors[r.Who]}); err != nil {
			return nil, err
		}
		p := to.printer(r.Who)
		out = append(out, bot.Delivery{
			Key: fmt.Sprintf("promoted:%d:%s:%d", e.ID, r.Who.Key(), trail.change), To: r.Who, Purpose: bot.PurposeEvent, DueAt: now, CreatedAt: now,
			Message: bot.Message{
				Text:       p.Sprintf("A place opened up: you're going to %q now.\n%s · %s\nThe calendar file replaces the tentative one.", e.Title, eventWhen(p, e), e.Place),
				Actions:    rsvpActions(e.ID),
				Attachment: &bot.Attachment{Name: fmt.Sprintf("event-%d.ics", e.ID), ContentType: "text/calendar", Data: promotionICS(p, e, svc.baseURL, now)},
				Language:   p.Language(),
			},
		})
		out = append(out, svc.eventReminders(p, e, r.Who, now, trail.change)...)
	}
	return out, nil
}

// FillPlaces gives an event's free places to its waitlist: forget me calls
// it when a person who held a place is erased.
func (svc *Service) FillPlaces(ctx context.Context, id int64) error {
	now := svc.clock.Now()
	promoted := 0
	_, err := svc.changeWithActors(ctx, id, nil, func(st bot.EventState, actors map[bot.Subscriber]string, to readers) (bot.EventChange, error) {
		if st.Event.Status != bot.EventPublished || eventOver(st.Event, now) {
			return bot.EventChange{}, nil
		}
		regs := promote(st.Registrations, st.Event.Capacity, now)
		if len(regs) == 0 {
			return bot.EventChange{}, nil
		}
		trail := newAuditTrail(st, now)
		out, err := svc.promotionEffects(st.Event, regs, actors, to, trail, now)
		if err != nil {
			return bot.EventChange{}, err
		}
		promoted = len(regs)
		return bot.EventChange{Registrations: regs, Audit: trail.entries, Deliveries: out}, nil
	})
	if promoted > 0 {
		svc.outbox.Wake()
	}
	return err
}
