package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

func profileTests() []test {
	return []test{
		{"ProfileRoundTrip", testProfileRoundTrip},
		{"CreateProfileConflict", testCreateProfileConflict},
		{"DeleteProfile", testDeleteProfile},
		{"UpdateProfileKeepsItsSettings", testUpdateProfileKeepsItsSettings},
		{"ProfilesAfter", testProfilesAfter},
	}
}

func testProfileRoundTrip(t *testing.T, s bot.Store, clock *bottest.Clock) {
	ctx := context.Background()
	stated := time.Date(2025, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600))
	create := []bot.Profile{
		{Subscriber: alice, Name: "bouw", Query: "cpv:45 nuts:NL21", Delivery: bot.DeliverInstant},
		{Subscriber: channel, Name: "bouw", Query: "renovatie*", Delivery: bot.DeliverInstant, CreatedBy: "U-alice", Mention: bot.Mention{Group: true, ID: "S0TEAM"}},
		{Subscriber: alice, Name: "ict", Query: "cpv:72", Delivery: bot.DeliverInstant, CreatedAt: stated},
		{Subscriber: bob, Name: "bouw", Query: "cpv:45", Delivery: bot.DeliverInstant},
	}
	for i := range create {
		clock.Advance(time.Second)
		if err := s.CreateProfile(ctx, &create[i]); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		if create[i].ID == 0 {
			t.Errorf("create %d: ID not set", i)
		}
	}
	if got, want := create[0].CreatedAt, epoch.Add(time.Second); !got.Equal(want) {
		t.Errorf("CreatedAt stamped: got %v, want the store clock's %v", got, want)
	}
	if got, want := create[2].CreatedAt, stated.UTC(); got != want {
		t.Errorf("CreatedAt given: got %v, want it kept, in UTC: %v", got, want)
	}

	tests := []struct {
		name string
		list func() ([]bot.Profile, error)
		want []bot.Profile
	}{
		{"alice, oldest first", func() ([]bot.Profile, error) { return s.ListProfiles(ctx, alice) }, []bot.Profile{create[0], create[2]}},
		{"channel", func() ([]bot.Profile, error) { return s.ListProfiles(ctx, channel) }, []bot.Profile{create[1]}},
		{"nobody", func() ([]bot.Profile, error) {
			return s.ListProfiles(ctx, bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T2", User: "U-alice"})
		}, nil},
		{"all", func() ([]bot.Profile, error) { return s.ProfilesAfter(ctx, 0, len(create)+1) }, create},
		{"by id", func() ([]bot.Profile, error) {
			return s.ProfilesByID(ctx, []int64{create[3].ID, 999, create[1].ID, create[1].ID})
		}, []bot.Profile{create[1], create[3]}},
		{"by no id", func() ([]bot.Profile, error) { return s.ProfilesByID(ctx, nil) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.list()
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "profiles", got, tt.want)
		})
	}
}

func testProfilesAfter(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	var create []bot.Profile
	for i, sub := range people {
		p := bot.Profile{Subscriber: sub, Name: "bouw", Query: "cpv:45", Delivery: bot.DeliverInstant, Paused: i == 2}
		if err := s.CreateProfile(ctx, &p); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		create = append(create, p)
	}
	if err := s.DeleteProfile(ctx, create[1].ID); err != nil {
		t.Fatal(err)
	}
	kept := append([]bot.Profile{create[0]}, create[2:]...)

	tests := []struct {
		name    string
		afterID int64
		limit   int
		want    []bot.Profile
	}{
		{"from the start", 0, 2, kept[:2]},
		{"after a deleted profile", create[1].ID, 2, kept[1:3]},
		{"the last page, short", kept[2].ID, 5, kept[3:]},
		{"past the last", kept[len(kept)-1].ID, 5, nil},
		{"all in one page", 0, 100, kept},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ProfilesAfter(ctx, tt.afterID, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, "profiles", got, tt.want)
		})
	}

	t.Run("page by page", func(t *testing.T) {
		var got []bot.Profile
		var after int64
		for range len(kept) {
			page, err := s.ProfilesAfter(ctx, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			got = append(got, page...)
			after = page[len(page)-1].ID
		}
		equal(t, "profiles, two a page", got, kept)
	})
}

func testCreateProfileConflict(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	first := bot.Profile{Subscriber: alice, Name: "bouw", Query: "cpv:45", Delivery: bot.DeliverInstant}
	if err := s.CreateProfile(ctx, &first); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		profile  bot.Profile
		wantCode string
	}{
		{"same subscriber, same name", bot.Profile{Subscriber: alice, Name: "bouw", Query: "cpv:71"}, bot.ECONFLICT},
		{"same subscriber, other name", bot.Profile{Subscriber: alice, Name: "bouw 2", Query: "cpv:45"}, ""},
		{"other user, same name", bot.Profile{Subscriber: bob, Name: "bouw", Query: "cpv:45"}, ""},
		{"other workspace, same name", bot.Profile{Subscriber: bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T2", User: "U-alice"}, Name: "bouw"}, ""},
		{"a channel, same name", bot.Profile{Subscriber: bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", Channel: "U-alice"}, Name: "bouw"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.profile
			err := s.CreateProfile(ctx, &p)
			wantCode(t, "create", err, tt.wantCode)
			if tt.wantCode == "" {
				return
			}
			if got, want := bot.ErrorMessage(err), `you already have a profile named "bouw"`; got != want {
				t.Errorf("message: got %q, want %q", got, want)
			}
			if p.ID != 0 {
				t.Errorf("ID after a conflict: got %d, want 0", p.ID)
			}
		})
	}
	got, err := s.ListProfiles(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Query != "cpv:45" {
		t.Errorf("alice's profiles after the conflict: got %v, want the first kept and one more", got)
	}
}

func testDeleteProfile(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	a := bot.Profile{Subscriber: alice, Name: "a", Query: "a", Delivery: bot.DeliverInstant}
	b := bot.Profile{Subscriber: alice, Name: "b", Query: "b", Delivery: bot.DeliverInstant}
	for _, p := range []*bot.Profile{&a, &b} {
		if err := s.CreateProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteProfile(ctx, b.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	wantCode(t, "delete again", s.DeleteProfile(ctx, b.ID), bot.ENOTFOUND)
	wantCode(t, "delete unknown", s.DeleteProfile(ctx, 12345), bot.ENOTFOUND)

	got, err := s.ListProfiles(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "profiles after delete", got, []bot.Profile{a})

	// The deleted profile's id is never handed out again: the matcher and
	// the outbox may still know it.
	c := bot.Profile{Subscriber: alice, Name: "b", Query: "c", Delivery: bot.DeliverInstant}
	if err := s.CreateProfile(ctx, &c); err != nil {
		t.Fatalf("create with a deleted profile's name: %v", err)
	}
	if c.ID <= b.ID {
		t.Errorf("new profile id: got %d, want more than the deleted %d", c.ID, b.ID)
	}
}

// testUpdateProfileKeepsItsSettings: renaming, editing and pausing a
// profile change only what they say; its id, subscriber, delivery and age
// stay.
func testUpdateProfileKeepsItsSettings(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	p := bot.Profile{Subscriber: alice, Name: "bouw", Query: "cpv:45", Delivery: bot.DeliverWeekly}
	other := bot.Profile{Subscriber: alice, Name: "ict", Query: "cpv:72", Delivery: bot.DeliverInstant}
	for _, q := range []*bot.Profile{&p, &other} {
		if err := s.CreateProfile(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if p.Paused {
		t.Error("a new profile is paused")
	}
	want := p
	want.Name, want.Query, want.Paused = "dakwerk", "cpv:4526", true
	changed := want
	changed.Delivery, changed.Subscriber = bot.DeliverInstant, bob // not UpdateProfile's to change
	if err := s.UpdateProfile(ctx, changed); err != nil {
		t.Fatalf("UpdateProfile: %v", err)
	}
	got, err := s.ProfilesByID(ctx, []int64{p.ID})
	if err != nil || len(got) != 1 {
		t.Fatalf("ProfilesByID: %v, %v", got, err)
	}
	equal(t, "the profile after UpdateProfile", got[0], want)

	resumed := want
	resumed.Paused = false
	if err := s.UpdateProfile(ctx, resumed); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListProfiles(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "alice's profiles after resume", list, []bot.Profile{resumed, other})

	taken := resumed
	taken.Name = "ict"
	if err := s.UpdateProfile(ctx, taken); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("renaming onto another profile's name: got %v, want ECONFLICT", err)
	}
	gone := resumed
	gone.ID = 9999
	if err := s.UpdateProfile(ctx, gone); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("updating a missing profile: got %v, want ENOTFOUND", err)
	}
}
