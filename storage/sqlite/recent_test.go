package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// The hourly counts the store keeps in memory are the outbox's: they
// survive a restart (loaded at Open), forget an erased person, let alerts
// age out of the hour, and agree with a count in SQL.
func TestRecentAlertCountsAreTheOutboxs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tenderbot.db")
	clock := bottest.NewClock(epoch)
	s := openWithClock(t, path, clock)
	bob := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U-bob"}
	for i, sub := range []bot.Subscriber{alice, alice, bob, alice} {
		d := bot.Delivery{Key: fmt.Sprintf("alert:n%d:%s", i, sub.Key()), To: sub, Purpose: bot.PurposeAlert, Message: bot.Message{Text: "x"}}
		if _, err := s.Enqueue(ctx, &d); err != nil {
			t.Fatal(err)
		}
		clock.Advance(20 * time.Minute)
	}
	// Made at 0, 20, 40 (bob) and 60 minutes; it is now 80 minutes in.
	hour := clock.Now().Add(-time.Hour)
	want := map[bot.Subscriber]int{alice: 2, bob: 1}
	check := func(s *Store, want map[bot.Subscriber]int) {
		t.Helper()
		got, err := s.CountsSince(ctx, []bot.Subscriber{alice, bob}, bot.PurposeAlert, hour)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "counts in the last hour", got, want)
	}
	check(s, want)
	var inSQL int
	if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE purpose = 'alert' AND user_id = ? AND created_at >= ?`, alice.User, formatTime(hour)).Scan(&inSQL); err != nil || inSQL != want[alice] {
		t.Errorf("alice in SQL: %d, %v; want %d", inSQL, err, want[alice])
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	reopened := openWithClock(t, path, clock)
	check(reopened, want)
	if err := reopened.Forget(ctx, bob); err != nil {
		t.Fatal(err)
	}
	check(reopened, map[bot.Subscriber]int{alice: 2})
	clock.Advance(3 * time.Hour)
	got, err := reopened.CountsSince(ctx, []bot.Subscriber{alice}, bot.PurposeAlert, clock.Now().Add(-time.Hour))
	if err != nil || len(got) != 0 {
		t.Errorf("three hours later: %v, %v; want none", got, err)
	}
}
