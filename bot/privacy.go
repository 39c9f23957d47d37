package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// PersonalData is everything the bot holds about one person.
type PersonalData struct {
	Subscriber Subscriber   `json:"subscriber"`
	Roles      []Role       `json:"roles"`
	Settings   Settings     `json:"settings"`
	Profiles   []Profile    `json:"profiles"`
	Muted      []string     `json:"muted_buyers"`
	Follows    []string     `json:"follows"` // notice ids
	Actions    []ActionLog  `json:"actions"`
	Deliveries []Delivery   `json:"deliveries"`
	Held       []DigestItem `json:"held_for_digest"`
	Feeds      []Feed       `json:"feeds_added"`
	// Registrations are the person's answers to events; Questions the
	// questions they asked (shown to nobody else with their name).
	Registrations []Registration `json:"event_registrations"`
	Questions     []Question     `json:"event_questions"`
	InstalledIn   []string       `json:"installed_the_app_in"` // workspaces whose install of the app they approved
}

// ActionLog is one recorded click.
type ActionLog struct {
	Kind      ActionKind `json:"kind"`
	ProfileID int64      `json:"profile_id"`
	NoticeID  string     `json:"notice_id"`
	At        time.Time  `json:"at"`
}

// ActionForget is the confirmation button of "forget me".
const ActionForget ActionKind = "forget_me"

// myData answers "my data" with a JSON export of everything held about the
// person.
func (b *Bot) myData(ctx context.Context, c Command, _ string) (Message, error) {
	data, err := b.store.PersonalData(ctx, c.From)
	if err != nil {
		return Message{}, fmt.Errorf("personal data: %w", err)
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return Message{}, fmt.Errorf("personal data: %w", err)
	}
	return Message{
		Text: c.Printer().Sprintf("Everything I hold about you: %d profile(s), %d follow(s), %d click(s), %d event registration(s), %d question(s), %d message(s) to you. `forget me` erases it.",
			len(data.Profiles), len(data.Follows), len(data.Actions), len(data.Registrations), len(data.Questions), len(data.Deliveries)),
		Attachment: &Attachment{Name: "tenderbot-my-data.json", ContentType: "application/json", Data: body},
	}, nil
}

// forgetMe erases the person's data after confirmation: "forget me", then
// "forget me confirm" or the button.
func (b *Bot) forgetMe(ctx context.Context, c Command, args string) (Message, error) {
	words := strings.Fields(strings.ToLower(args))
	if len(words) == 0 || words[0] != "me" {
		return Message{}, Errorf(EINVALID, "Write `forget me` to erase what I hold about you.")
	}
	if len(words) < 2 || words[1] != "confirm" {
		return Message{
			Text: c.Printer().Sprintf("This erases your profiles, follows, feedback, roles, settings, event registrations and the messages I keep for you, for good. " +
				"Feeds you added stay, with the operator; questions you asked stay in the events' anonymous Q&A, no longer linked to you; " +
				"the events' audit logs keep their entries under a pseudonym that nothing links to you any more. Send `forget me confirm`, or press the button, to go ahead."),
			Actions: []Action{{Kind: ActionForget, NoticeRef: strings.Repeat("0", NoticeRefLength)}},
		}, nil
	}
	return b.forget(ctx, c.Printer(), c.From)
}

// Forget erases everything held about s, as "forget me confirm" does: for
// people without chat, whose mail's link erases them.
func (b *Bot) Forget(ctx context.Context, s Subscriber) error {
	_, err := b.forget(ctx, text.Printer{}, s)
	return err
}

// forget erases s's data and drops their profiles from the matcher,
// saying so in pr's language.
func (b *Bot) forget(ctx context.Context, pr text.Printer, s Subscriber) (Message, error) {
	data, err := b.store.PersonalData(ctx, s)
	if err != nil {
		return Message{}, fmt.Errorf("forget: %w", err)
	}
	if err := b.store.Forget(ctx, s); err != nil {
		return Message{}, fmt.Errorf("forget: %w", err)
	}
	for _, p := range data.Profiles {
		b.matcher.Remove(p.ID)
	}
	// A place the person held goes to the next on the waitlist.
	for _, r := range data.Registrations {
		if r.Status == RSVPGoing && b.events != nil {
			if err := b.events.FillPlaces(ctx, r.EventID); err != nil {
				b.log.Error("waitlist after forget me", "event", r.EventID, "err", err)
			}
		}
	}
	b.log.Info("subscriber forgotten", "profiles", len(data.Profiles))
	return Message{Text: pr.Sprintf("Done: I have erased everything I held about you.")}, nil
}
