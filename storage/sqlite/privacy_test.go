package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestPruneKeepsWhatIsRecentOrPending(t *testing.T) {
	s, clock := openTestStore(t)
	ctx := context.Background()
	old := fullNotice()
	old.ID = "old"
	saveNotices(t, s, old)
	sent := testDelivery("old-sent", alice, time.Time{})
	pending := testDelivery("old-pending", alice, time.Time{})
	for _, d := range []*bot.Delivery{&sent, &pending} {
		if _, err := s.Enqueue(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkSent(ctx, sent.ID, epoch, "m1"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(500 * 24 * time.Hour)
	recent := fullNotice()
	recent.ID = "recent"
	saveNotices(t, s, recent)

	deliveries, notices, err := s.Prune(ctx, clock.Now().Add(-400*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if deliveries != 1 || notices != 1 {
		t.Errorf("pruned %d deliveries and %d notice texts, want 1 and 1", deliveries, notices)
	}
	if has, _ := s.HasDelivery(ctx, "old-pending"); !has {
		t.Error("a pending delivery was pruned")
	}
	if n, _ := s.Notice(ctx, "old"); n.Description != "" || n.Title == "" {
		t.Errorf("old notice: description %q title %q, want the text emptied and the rest kept", n.Description, n.Title)
	}
	if n, _ := s.Notice(ctx, "recent"); n.Description == "" {
		t.Error("a recent notice lost its text")
	}
}
