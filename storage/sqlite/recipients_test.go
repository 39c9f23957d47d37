package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// recipientView is what a fan-out reads of its recipients.
type recipientView struct {
	Profiles []bot.Profile
	Mutes    map[int64][]string
	Settings map[bot.Subscriber]bot.Settings
}

// readRecipients reads what a fan-out would of the profiles ids and their
// subscribers.
func readRecipients(t *testing.T, s *Store, ids []int64, subs []bot.Subscriber) recipientView {
	t.Helper()
	ctx := context.Background()
	ps, err := s.ProfilesByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	mutes, err := s.MutedBuyers(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	settings, err := s.SettingsOf(ctx, subs)
	if err != nil {
		t.Fatal(err)
	}
	return recipientView{Profiles: ps, Mutes: mutes, Settings: settings}
}

// TestRecipientFactsFollowWrites checks that what the store remembers of
// recipients answers as the file does after every kind of write to
// profiles, mutes and settings: each write, made after the reads that fill
// what is remembered, is compared with a second store on the same file,
// which remembers nothing yet.
func TestRecipientFactsFollowWrites(t *testing.T) {
	bob := bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: "G1", Channel: "C-bouw"}
	night := bot.Settings{Quiet: &bot.QuietHours{Start: 22 * time.Hour, End: 7 * time.Hour}}
	at := epoch
	tests := []struct {
		name  string
		write func(ctx context.Context, s *Store, ids []int64) error
	}{
		{"rename and pause", func(ctx context.Context, s *Store, ids []int64) error {
			return s.UpdateProfile(ctx, bot.Profile{ID: ids[0], Name: "renamed", Query: "cpv:45000000", Paused: true})
		}},
		{"delivery", func(ctx context.Context, s *Store, ids []int64) error {
			return s.SetDelivery(ctx, ids[1], bot.DeliverWeekly)
		}},
		{"delete", func(ctx context.Context, s *Store, ids []int64) error { return s.DeleteProfile(ctx, ids[0]) }},
		{"mute", func(ctx context.Context, s *Store, ids []int64) error {
			if err := s.MuteBuyer(ctx, ids[0], "gemeente almelo", at); err != nil {
				return err
			}
			return s.MuteBuyer(ctx, ids[0], "gemeente almelo", at) // again: still once
		}},
		{"mute another", func(ctx context.Context, s *Store, ids []int64) error {
			return s.MuteBuyer(ctx, ids[0], "a first buyer", at)
		}},
		{"settings of someone without", func(ctx context.Context, s *Store, ids []int64) error {
			return s.SaveSettings(ctx, bob, night)
		}},
		{"settings off", func(ctx context.Context, s *Store, ids []int64) error {
			return s.SaveSettings(ctx, alice, bot.Settings{})
		}},
		{"new profile", func(ctx context.Context, s *Store, ids []int64) error {
			return s.CreateProfile(ctx, &bot.Profile{Subscriber: bob, Name: "new", Query: "bouw", Delivery: bot.DeliverInstant})
		}},
		{"forget", func(ctx context.Context, s *Store, ids []int64) error { return s.Forget(ctx, alice) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "tenderbot.db")
			s, _ := openTestStoreAt(t, path)
			var ids []int64
			for i, sub := range []bot.Subscriber{alice, alice, bob} {
				p := bot.Profile{Subscriber: sub, Name: []string{"a", "b", "c"}[i], Query: "sporthal", Delivery: bot.DeliverInstant}
				if err := s.CreateProfile(ctx, &p); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, p.ID)
			}
			if err := s.MuteBuyer(ctx, ids[0], "provincie overijssel", at); err != nil {
				t.Fatal(err)
			}
			if err := s.SaveSettings(ctx, alice, night); err != nil {
				t.Fatal(err)
			}
			subs := []bot.Subscriber{alice, bob}
			if _, err := s.ProfilesAfter(ctx, 0, 1000); err != nil {
				t.Fatal(err)
			}
			readRecipients(t, s, ids, subs) // fills what is remembered
			if err := tt.write(ctx, s, ids); err != nil {
				t.Fatal(err)
			}
			all := append(ids, ids[len(ids)-1]+1)
			got := readRecipients(t, s, all, subs)
			fresh, _ := openTestStoreAt(t, path)
			want := readRecipients(t, fresh, all, subs)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("after the write the store answers\n %+v\nthe file holds\n %+v", got, want)
			}
		})
	}
}

// Past its bound, the memory of profiles makes room and still answers as
// the file does: a profile it let go of is read again.
func TestRecipientFactsStayBounded(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	s.facts = newRecipientFacts(16)
	var ids []int64
	for i := range 100 {
		p := bot.Profile{Subscriber: alice, Name: fmt.Sprint("p", i), Query: "sporthal", Delivery: bot.DeliverInstant}
		if err := s.CreateProfile(ctx, &p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	all, err := s.ProfilesAfter(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		got, err := s.ProfilesByID(ctx, ids[round*10:])
		if err != nil {
			t.Fatal(err)
		}
		equal(t, fmt.Sprint("round ", round), got, all[round*10:])
		if held := len(s.facts.profiles); held > 16 {
			t.Errorf("round %d: %d profiles held, want at most 16", round, held)
		}
	}
}
