package bot

import (
	"context"
	"fmt"
	"strings"
)

// maxHomeFollowed bounds the followed tenders a home view shows.
const maxHomeFollowed = 10

// Home is a person's overview: their profiles and the tenders they follow
// (Slack's App Home tab, Discord's /tender home).
func (b *Bot) Home(ctx context.Context, user Subscriber) Message {
	msg, err := b.home(ctx, user)
	if err != nil {
		b.log.Error("home failed", "subscriber", user.Key(), "err", err)
		return Message{Text: ErrorText(b.printerOf(ctx, user), err)}
	}
	return msg
}

func (b *Bot) home(ctx context.Context, user Subscriber) (Message, error) {
	pr := b.printerOf(ctx, user)
	profiles, err := b.store.ListProfiles(ctx, user)
	if err != nil {
		return Message{}, fmt.Errorf("list profiles: %w", err)
	}
	followed, err := b.store.Followed(ctx, user)
	if err != nil {
		return Message{}, fmt.Errorf("followed: %w", err)
	}
	var sb strings.Builder
	if len(profiles) == 0 {
		sb.WriteString(pr.Sprintf("You have no profiles yet. Create one with `subscribe <query>`, e.g. `subscribe cpv:45 nuts:NL21`.") + "\n")
	} else {
		sb.WriteString(pr.Sprintf("Your profiles (%d):", len(profiles)) + "\n")
		for i, p := range profiles {
			fmt.Fprintf(&sb, "%d. %s — `%s` (%s)\n", i+1, p.Name, p.Query, p.Delivery.label(pr))
		}
	}
	msg := Message{Language: pr.Language()}
	switch {
	case len(followed) == 0:
		sb.WriteString(pr.Sprintf("You follow no tenders. Press Follow on an alert to keep one here."))
	case len(followed) > maxHomeFollowed:
		sb.WriteString(pr.Sprintf("You follow %d tenders; the %d followed last:", len(followed), maxHomeFollowed))
		followed = followed[:maxHomeFollowed]
	default:
		sb.WriteString(pr.Sprintf("You follow %d tender(s):", len(followed)))
	}
	for _, n := range followed {
		c := b.card(n, 0, "", nil)
		c.Actions = nil // already followed
		msg.Cards = append(msg.Cards, c)
	}
	msg.Text = strings.TrimRight(sb.String(), "\n")
	return msg, nil
}
