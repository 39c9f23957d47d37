package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/storetest"
	"github.com/tenderbot/tenderbot/bot/text"
)

// fillAndSend stores notices notices, each alerting subscribers
// subscribers with a card of its own, and records every alert sent.
func fillAndSend(t *testing.T, s *Store, clock *bottest.Clock, round, notices, subscribers int) {
	t.Helper()
	ctx := context.Background()
	for k := range notices {
		n := storetest.FullNotice()
		n.ID = fmt.Sprintf("r%d-n%d", round, k)
		n.Description = strings.Repeat(fmt.Sprintf("Renovatie van sporthal %d. ", k), 40)
		shared := cardOf(n, 0, "")
		fx := bot.Effects{Card: &shared}
		for i := range subscribers {
			sub := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: fmt.Sprintf("U%04d", i)}
			fx.Deliveries = append(fx.Deliveries, bot.Delivery{Key: bot.AlertKey(sub, n.ID), To: sub, Purpose: bot.PurposeAlert,
				NoticeID: n.ID, ProfileID: int64(i + 1), Message: bot.AlertMessage(text.Printer{}, shared.For(int64(i+1), "bouw", []string{"cpv 45212225"}), []string{"bouw"})})
		}
		if _, err := s.SaveNotice(ctx, n, nil, fx); err != nil {
			t.Fatal(err)
		}
	}
	for {
		due, err := s.DueDeliveries(ctx, []bot.Platform{bot.PlatformSlack}, clock.Now(), 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) == 0 {
			return
		}
		var results []bot.DeliveryResult
		for _, d := range due {
			results = append(results, bot.DeliveryResult{ID: d.ID, Status: bot.StatusSent, At: clock.Now(), PlatformMessageID: "m"})
		}
		if err := s.Record(ctx, results); err != nil {
			t.Fatal(err)
		}
	}
}

// fileSize returns the size of the database's main file with the WAL
// written back into it, and how many of its pages are free.
func fileSize(t *testing.T, s *Store, path string) (bytes int64, free int) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.writer.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if err := s.writer.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size(), free
}

// A store filled, pruned once the retention period is over, and filled
// again to the same level takes no more room than it took the first time:
// the retention job gives the pages it frees back to the file system, and
// the file stops growing.
func TestRetentionKeepsTheFileFromGrowing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tenderbot.db")
	s, clock := openTestStoreAt(t, path)
	const notices, subscribers = 20, 200
	retention := 24 * time.Hour

	fillAndSend(t, s, clock, 1, notices, subscribers)
	full, _ := fileSize(t, s, path)
	for round := 2; round <= 3; round++ {
		clock.Advance(2 * retention)
		deliveries, texts, err := s.Prune(ctx, clock.Now().Add(-retention))
		if err != nil {
			t.Fatal(err)
		}
		if deliveries != notices*subscribers || texts != notices {
			t.Errorf("round %d: pruned %d deliveries and %d notice texts, want %d and %d", round, deliveries, texts, notices*subscribers, notices)
		}
		pruned, free := fileSize(t, s, path)
		if free > vacuumStep || pruned > full/2 {
			t.Errorf("round %d: after pruning the file is %d bytes with %d free pages; want at most half of %d and at most %d free pages",
				round, pruned, free, full, vacuumStep)
		}
		fillAndSend(t, s, clock, round, notices, subscribers)
		again, _ := fileSize(t, s, path)
		// The notices stay (a feed that brings one again is told it is
		// known), their texts emptied: a little more each round.
		if again > full+full/10 {
			t.Errorf("round %d: filled again the file is %d bytes, want at most 10%% over the first fill's %d", round, again, full)
		}
		t.Logf("round %d: full %d, pruned %d, filled again %d bytes", round, full, pruned, again)
	}
}

// A database made before the file was kept in incremental vacuum mode is
// rewritten into it once, at Open, with everything in it kept.
func TestOpenRewritesAnOldFileForIncrementalVacuum(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := openWriter(ctx, path, epoch)
	if err != nil {
		t.Fatal(err)
	}
	// As the code before wrote the file: no auto_vacuum, tables made.
	if _, err := old.ExecContext(ctx, `PRAGMA auto_vacuum = NONE`); err != nil {
		t.Fatal(err)
	}
	if _, err := old.ExecContext(ctx, `VACUUM`); err != nil {
		t.Fatal(err)
	}
	if _, err := old.ExecContext(ctx, `INSERT INTO profiles (platform, workspace, user_id, name, query, delivery, created_at)
		VALUES ('slack', 'T1', 'U1', 'bouw', 'cpv:45', 'instant', ?)`, formatTime(epoch)); err != nil {
		t.Fatal(err)
	}
	var mode int
	if err := old.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil || mode != 0 {
		t.Fatalf("the old file's auto_vacuum: %d, %v; want 0 to start from", mode, err)
	}
	old.Close()

	s, _ := openTestStoreAt(t, path)
	if err := s.writer.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil || mode != autoVacuumIncremental {
		t.Errorf("auto_vacuum after Open: %d, %v; want %d", mode, err, autoVacuumIncremental)
	}
	profiles, err := s.ListProfiles(ctx, bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"})
	if err != nil || len(profiles) != 1 || profiles[0].Name != "bouw" {
		t.Errorf("profiles after the rewrite: %v, %v; want the one stored before", profiles, err)
	}
}
