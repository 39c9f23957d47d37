package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// CreateProfiles stores many profiles at once, all or nothing, for bulk
// imports and benchmarks.
func TestCreateProfiles(t *testing.T) {
	bob := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-bob"}
	channel := bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: "G1", Channel: "C-bouw"}
	s, clock := openTestStore(t)
	ctx := context.Background()
	stated := time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))
	before := bot.Profile{Subscriber: alice, Name: "bouw", Query: "cpv:45", Delivery: bot.DeliverInstant}
	if err := s.CreateProfile(ctx, &before); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)

	t.Run("all or nothing", func(t *testing.T) {
		clash := []bot.Profile{
			{Subscriber: bob, Name: "ict", Query: "cpv:72", Delivery: bot.DeliverInstant},
			{Subscriber: alice, Name: "bouw", Query: "cpv:71", Delivery: bot.DeliverDaily},
		}
		if err := s.CreateProfiles(ctx, clash); bot.ErrorCode(err) != bot.ECONFLICT {
			t.Errorf("create profiles with a clash: got %v, want ECONFLICT", err)
		}
		if clash[0].ID != 0 {
			t.Errorf("ID after a conflict: got %d, want 0", clash[0].ID)
		}
		got, err := s.ListProfiles(ctx, bob)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "bob's profiles after the conflict", got, []bot.Profile(nil))
	})

	t.Run("stored in order", func(t *testing.T) {
		ps := []bot.Profile{
			{Subscriber: bob, Name: "ict", Query: "cpv:72", Delivery: bot.DeliverInstant},
			{Subscriber: channel, Name: "bouw", Query: "renovatie*", Delivery: bot.DeliverWeekly, CreatedAt: stated},
			{Subscriber: alice, Name: "ict", Query: "cpv:72 nuts:NL", Delivery: bot.DeliverDaily},
		}
		if err := s.CreateProfiles(ctx, ps); err != nil {
			t.Fatal(err)
		}
		for i, p := range ps {
			if p.ID <= before.ID || (i > 0 && p.ID <= ps[i-1].ID) {
				t.Errorf("profile %d: ID %d, want IDs rising after %d", i, p.ID, before.ID)
			}
		}
		if got, want := ps[0].CreatedAt, epoch.Add(time.Minute); !got.Equal(want) {
			t.Errorf("CreatedAt stamped: got %v, want the store clock's %v", got, want)
		}
		if got, want := ps[1].CreatedAt, stated.UTC(); got != want {
			t.Errorf("CreatedAt given: got %v, want it kept, in UTC: %v", got, want)
		}
		got, err := s.ProfilesAfter(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "all profiles", got, append([]bot.Profile{before}, ps...))
	})

	t.Run("none", func(t *testing.T) {
		if err := s.CreateProfiles(ctx, nil); err != nil {
			t.Errorf("no profiles: got %v, want nil", err)
		}
	})
}
