package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

func feedbackTests() []test {
	return []test{
		{"FollowEnqueuesItsReminders", testFollowEnqueuesItsReminders},
		{"FollowSkipsExistingReminderKeys", testFollowSkipsExistingReminderKeys},
		{"FollowOfAMissingNoticeWritesNothing", testFollowOfAMissingNoticeWritesNothing},
		{"UnfollowCancelsTheReminders", testUnfollowCancelsTheReminders},
	}
}

// reminder is a reminder to sub under key, due at due.
func reminder(key string, sub bot.Subscriber, due time.Time) bot.Delivery {
	d := testDelivery(key, sub, due)
	d.Purpose, d.ProfileID, d.Message = bot.PurposeReminder, 0, bot.Message{Text: "Closes in 7 days: " + key}
	return d
}

// followedIDs joins the IDs of the notices sub follows with spaces.
func followedIDs(t *testing.T, s bot.Store, sub bot.Subscriber) string {
	t.Helper()
	ns, err := s.Followed(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
	return noticeIDs(ns)
}

func testFollowEnqueuesItsReminders(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	n := FullNotice()
	saveNotices(t, s, n)
	reminders := []bot.Delivery{reminder("r-7d", alice, epoch.Add(time.Hour)), reminder("r-2d", alice, epoch.Add(2*time.Hour))}
	given := append([]bot.Delivery(nil), reminders...)
	added, err := s.Follow(ctx, alice, n.ID, epoch, reminders)
	if err != nil || !added {
		t.Fatalf("Follow: got %v, %v; want true", added, err)
	}
	equal(t, "the caller's reminders after Follow", reminders, given)
	if got := followedIDs(t, s, alice); got != n.ID {
		t.Errorf("followed: got %q, want %q", got, n.ID)
	}
	due, err := s.DueDeliveries(ctx, allPlatforms, epoch.Add(2*time.Hour), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].Key != "r-7d" || due[1].Key != "r-2d" || due[0].Message.Text != reminders[0].Message.Text || !due[1].DueAt.Equal(reminders[1].DueAt) {
		t.Errorf("reminders after one Follow: got %+v, want r-7d and r-2d as given", due)
	}

	// Following again changes nothing and enqueues nothing.
	added, err = s.Follow(ctx, alice, n.ID, epoch.Add(time.Minute), []bot.Delivery{reminder("r-again", alice, epoch)})
	if err != nil || added {
		t.Errorf("Follow again: got %v, %v; want false", added, err)
	}
	if has, err := s.HasDelivery(ctx, "r-again"); err != nil || has {
		t.Errorf("a second Follow enqueued its reminder: %v, %v", has, err)
	}
	if got := followedIDs(t, s, alice); got != n.ID {
		t.Errorf("followed after following again: got %q, want %q once", got, n.ID)
	}
}

func testFollowSkipsExistingReminderKeys(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	n := FullNotice()
	saveNotices(t, s, n)
	existing := reminder("r-7d", alice, epoch)
	existing.Message.Text = "first"
	if _, err := s.Enqueue(ctx, &existing); err != nil {
		t.Fatal(err)
	}
	again := reminder("r-7d", alice, epoch)
	again.Message.Text = "second"
	added, err := s.Follow(ctx, alice, n.ID, epoch, []bot.Delivery{again, reminder("r-2d", alice, epoch)})
	if err != nil || !added {
		t.Fatalf("Follow with a reminder whose key exists: got %v, %v; want true", added, err)
	}
	if got := followedIDs(t, s, alice); got != n.ID {
		t.Errorf("followed: got %q, want %q", got, n.ID)
	}
	due, err := s.DueDeliveries(ctx, allPlatforms, epoch, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 || due[0].Message.Text != "first" || due[1].Key != "r-2d" {
		t.Errorf("deliveries: got %+v, want r-7d kept as first enqueued and r-2d added", due)
	}
}

func testFollowOfAMissingNoticeWritesNothing(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	_, err := s.Follow(ctx, alice, "missing", epoch, []bot.Delivery{reminder("r-7d", alice, epoch)})
	wantCode(t, "Follow of a missing notice", err, bot.ENOTFOUND)
	if got := followedIDs(t, s, alice); got != "" {
		t.Errorf("followed after a failed Follow: got %q, want nothing", got)
	}
	if has, err := s.HasDelivery(ctx, "r-7d"); err != nil || has {
		t.Errorf("a failed Follow enqueued its reminder: %v, %v", has, err)
	}
}

// testUnfollowCancelsTheReminders: unfollowing ends the follow and the
// reminders it scheduled, and nobody else's.
func testUnfollowCancelsTheReminders(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	n := FullNotice()
	saveNotices(t, s, n)
	if _, err := s.Follow(ctx, alice, n.ID, epoch, []bot.Delivery{reminder("remind:alice:r-7d", alice, epoch.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Follow(ctx, bob, n.ID, epoch, []bot.Delivery{reminder("remind:bob:r-7d", bob, epoch.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	removed, err := s.Unfollow(ctx, alice, n.ID, "remind:alice:")
	if err != nil || !removed {
		t.Fatalf("Unfollow: got %v, %v; want true", removed, err)
	}
	if got := followedIDs(t, s, alice); got != "" {
		t.Errorf("alice still follows %q", got)
	}
	if got := followedIDs(t, s, bob); got != n.ID {
		t.Errorf("bob's follow: got %q, want %q", got, n.ID)
	}
	due, err := s.DueDeliveries(ctx, allPlatforms, epoch.Add(2*time.Hour), 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].Key != "remind:bob:r-7d" {
		t.Errorf("due after alice unfollowed: got %+v, want bob's reminder only", due)
	}
	if removed, err := s.Unfollow(ctx, alice, n.ID, "remind:alice:"); err != nil || removed {
		t.Errorf("Unfollow again: got %v, %v; want false", removed, err)
	}
}
