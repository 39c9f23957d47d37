package codec

import (
	"context"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
)

// PersonalSource reads, part by part, what a store holds about one person.
type PersonalSource interface {
	Roles(ctx context.Context, s bot.Subscriber) ([]bot.Role, error)
	Settings(ctx context.Context, s bot.Subscriber) (bot.Settings, error)
	ListProfiles(ctx context.Context, s bot.Subscriber) ([]bot.Profile, error)
	MutedBuyers(ctx context.Context, profileIDs []int64) (map[int64][]string, error)
	// Follows returns the ids of the notices s follows, oldest first.
	Follows(ctx context.Context, s bot.Subscriber) ([]string, error)
	// Actions returns s's clicks, oldest first.
	Actions(ctx context.Context, s bot.Subscriber) ([]bot.ActionLog, error)
	// Deliveries returns the deliveries addressed to s, oldest first.
	Deliveries(ctx context.Context, s bot.Subscriber) ([]bot.Delivery, error)
	// Held returns the digest items held for s.
	Held(ctx context.Context, s bot.Subscriber) ([]bot.DigestItem, error)
	// Registrations returns s's event registrations.
	Registrations(ctx context.Context, s bot.Subscriber) ([]bot.Registration, error)
	// Questions returns the questions s asked.
	Questions(ctx context.Context, s bot.Subscriber) ([]bot.Question, error)
	// Feeds returns the feeds s added.
	Feeds(ctx context.Context, s bot.Subscriber) ([]bot.Feed, error)
	// InstalledIn returns the workspaces whose install of the app s
	// approved.
	InstalledIn(ctx context.Context, s bot.Subscriber) ([]string, error)
}

// PersonalData gathers from src everything stored about sub, as every
// store's bot.PrivacyStore.PersonalData returns it.
func PersonalData(ctx context.Context, src PersonalSource, sub bot.Subscriber) (bot.PersonalData, error) {
	data := bot.PersonalData{Subscriber: sub}
	var err error
	fail := func(what string, err error) (bot.PersonalData, error) {
		return bot.PersonalData{}, fmt.Errorf("personal data of %s: %s: %w", sub.Key(), what, err)
	}
	if data.Roles, err = src.Roles(ctx, sub); err != nil {
		return fail("roles", err)
	}
	if data.Settings, err = src.Settings(ctx, sub); err != nil {
		return fail("settings", err)
	}
	if data.Profiles, err = src.ListProfiles(ctx, sub); err != nil {
		return fail("profiles", err)
	}
	ids := make([]int64, len(data.Profiles))
	for i, p := range data.Profiles {
		ids[i] = p.ID
	}
	muted, err := src.MutedBuyers(ctx, ids)
	if err != nil {
		return fail("mutes", err)
	}
	for _, id := range ids {
		data.Muted = append(data.Muted, muted[id]...)
	}
	parts := []struct {
		what string
		read func() error
	}{
		{"follows", func() (err error) { data.Follows, err = src.Follows(ctx, sub); return }},
		{"actions", func() (err error) { data.Actions, err = src.Actions(ctx, sub); return }},
		{"deliveries", func() (err error) { data.Deliveries, err = src.Deliveries(ctx, sub); return }},
		{"digest items", func() (err error) { data.Held, err = src.Held(ctx, sub); return }},
		{"event registrations", func() (err error) { data.Registrations, err = src.Registrations(ctx, sub); return }},
		{"event questions", func() (err error) { data.Questions, err = src.Questions(ctx, sub); return }},
		{"feeds", func() (err error) { data.Feeds, err = src.Feeds(ctx, sub); return }},
		{"installations", func() (err error) { data.InstalledIn, err = src.InstalledIn(ctx, sub); return }},
	}
	for _, p := range parts {
		if err := p.read(); err != nil {
			return fail(p.what, err)
		}
	}
	return data, nil
}
