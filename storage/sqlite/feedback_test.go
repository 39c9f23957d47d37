package sqlite

import (
	"context"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// refused is the key of a delivery that refuseDeliveries makes fail.
const refused = "refused"

// refuseDeliveries makes every insert of a delivery keyed refused fail, as
// a full disk or a broken row would, so that a test can see what else a
// transaction that enqueues one leaves behind.
func refuseDeliveries(t *testing.T, s *Store) {
	t.Helper()
	const q = `CREATE TRIGGER refuse_delivery BEFORE INSERT ON outbox WHEN NEW.key = '` + refused + `'
		BEGIN SELECT RAISE(ABORT, 'delivery refused'); END`
	if _, err := s.writer.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// TestFollowWritesNothingWhenAReminderFails shows what the contract can
// only promise: the follow and its reminders commit together or not at all.
func TestFollowWritesNothingWhenAReminderFails(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	n := bot.Notice{ID: "n", Title: "Renovatie sporthal"}
	if _, err := s.SaveNotice(ctx, n, nil, bot.Effects{}); err != nil {
		t.Fatal(err)
	}
	refuseDeliveries(t, s)
	reminders := []bot.Delivery{
		{Key: "r-7d", To: alice, Purpose: bot.PurposeReminder, NoticeID: n.ID, DueAt: epoch},
		{Key: refused, To: alice, Purpose: bot.PurposeReminder, NoticeID: n.ID, DueAt: epoch},
	}
	if added, err := s.Follow(ctx, alice, n.ID, epoch, reminders); err == nil || added {
		t.Fatalf("Follow with a refused reminder: got %v, %v; want an error", added, err)
	}
	if followed, err := s.Followed(ctx, alice); err != nil || len(followed) != 0 {
		t.Errorf("followed after the failed Follow: got %v, %v; want nothing", followed, err)
	}
	var rows int
	if err := s.reader.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM follows) + (SELECT COUNT(*) FROM outbox)`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 0 {
		t.Errorf("follows and outbox rows after the failed Follow: got %d, want 0", rows)
	}

	// Without the refused reminder the same follow goes through.
	if added, err := s.Follow(ctx, alice, n.ID, epoch, reminders[:1]); err != nil || !added {
		t.Errorf("Follow again: got %v, %v; want true", added, err)
	}
}
