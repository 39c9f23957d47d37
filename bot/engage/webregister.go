package engage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Registrant is a person registering on an event's public page rather
// than in chat: they hear from the bot by e-mail, in the language of the
// page.
type Registrant struct {
	Name     string
	Company  string
	Email    string
	Language text.Language // the page's; "": the workspace's default
}

// Registered is what a registration on the public page did.
type Registered struct {
	Event  bot.Event
	Status bot.RSVP // bot.RSVPGoing or bot.RSVPWaitlisted
	// WaitlistPlace is the person's place on the waitlist, from 1; 0 when
	// they have a place.
	WaitlistPlace int
	Who           bot.Subscriber
}

// The lengths the public form allows, the same as an RSVP in chat keeps.
const (
	maxRegistrantName    = 120
	maxRegistrantCompany = 160
)

// CheckRegistrant reads the fields of the public registration form and
// returns them as they would be kept, or an EINVALID error whose Field
// names the field to fix ("name", "company" or "email").
func CheckRegistrant(r Registrant) (Registrant, error) {
	r.Name = strings.TrimSpace(r.Name)
	r.Company = strings.TrimSpace(r.Company)
	switch {
	case r.Name == "":
		return r, onField("name", bot.Errorf(bot.EINVALID, "Give your name, for the attendance list."))
	case utf8.RuneCountInString(r.Name) > maxRegistrantName || !utf8.ValidString(r.Name):
		return r, onField("name", bot.Errorf(bot.EINVALID, "Give your name in at most %d characters.", maxRegistrantName))
	case utf8.RuneCountInString(r.Company) > maxRegistrantCompany || !utf8.ValidString(r.Company):
		return r, onField("company", bot.Errorf(bot.EINVALID, "Give your company's name in at most %d characters.", maxRegistrantCompany))
	case strings.ContainsFunc(r.Name+r.Company, isControl):
		return r, onField("name", bot.Errorf(bot.EINVALID, "Your name and company must be on one line each."))
	}
	addr, err := email.Parse(r.Email)
	if err != nil {
		var be *bot.Error
		if !errors.As(err, &be) {
			return r, err
		}
		return r, onField("email", be)
	}
	r.Email = addr
	return r, nil
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

// Register registers a person from the event's public page as going, by
// the same rules as an RSVP in chat: a place while there is one, the
// waitlist when the event is full; ECONFLICT for an event that is
// cancelled, over or closed to registration, ENOTFOUND for one that is not
// public, and EINVALID (with the field) for a form that is not right. The
// person is a subscriber on email.Platform; the confirmation, with the
// questions answered so far and the calendar file, is sent to them by
// e-mail through the outbox, as is everything registrants hear after, all
// in the language of the page they registered on.
func (svc *Service) Register(ctx context.Context, id int64, r Registrant) (Registered, error) {
	r, err := CheckRegistrant(r)
	if err != nil {
		return Registered{}, err
	}
	who := email.Subscriber(r.Email)
	lang := r.Language
	if lang == "" {
		lang = svc.language
	}
	st, res, err := svc.answer(ctx, text.For(lang), who, id, bot.RSVPGoing, r.Name, r.Company, true)
	if err != nil {
		return Registered{}, err
	}
	out := Registered{Event: st.Event, Status: res.Registration.Status, Who: who}
	out.Event.Organizer = bot.Subscriber{}
	if out.Status == bot.RSVPWaitlisted {
		out.WaitlistPlace = waitlistPlace(withRegistrations(st.Registrations, []bot.Registration{res.Registration}), who)
	}
	return out, nil
}

// Unsubscribe ends every registration of the e-mail address for events
// still to come, each as a "can't go", so its place goes to the waitlist,
// and returns the titles of those events. It is what the unsubscribe link
// of every e-mail does; an address with no registration left is not an
// error.
func (svc *Service) Unsubscribe(ctx context.Context, addr string) ([]string, error) {
	addr, err := email.Parse(addr)
	if err != nil {
		return nil, err
	}
	who := email.Subscriber(addr)
	events, err := svc.store.Events(ctx, bot.EventPublished)
	if err != nil {
		return nil, fmt.Errorf("unsubscribe: %w", err)
	}
	now := svc.clock.Now()
	var left []string
	for _, e := range events {
		if eventOver(e, now) {
			continue
		}
		st, err := svc.store.EventState(ctx, e.ID)
		if err != nil {
			return left, fmt.Errorf("unsubscribe: event %d: %w", e.ID, err)
		}
		if !registered(st.Registrations, who) {
			continue
		}
		if _, _, err := svc.answer(ctx, text.For(svc.language), who, e.ID, bot.RSVPNotGoing, "", "", false); err != nil && bot.ErrorCode(err) != bot.ECONFLICT {
			return left, fmt.Errorf("unsubscribe: event %d: %w", e.ID, err)
		}
		left = append(left, e.Title)
	}
	return left, nil
}

// registered reports whether who has a registration other than "can't go".
func registered(regs []bot.Registration, who bot.Subscriber) bool {
	for _, r := range regs {
		if r.Who == who && r.Status != bot.RSVPNotGoing {
			return true
		}
	}
	return false
}
