package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

func concurrencyTests() []test {
	return []test{
		{"ConcurrentUse", testConcurrentUse},
	}
}

// testConcurrentUse runs writers and readers of every kind at once: the
// core calls its store from many goroutines, so no call may fail for
// meeting another (a lock it gave up waiting for, SQLite's SQLITE_BUSY);
// -race checks the rest.
func testConcurrentUse(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	const (
		writers          = 8
		noticesPerWriter = 25
		readers          = 6
	)
	platforms := []bot.Platform{bot.PlatformConsole}

	var writing sync.WaitGroup
	for w := range writers {
		writing.Go(func() {
			sub := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: fmt.Sprint("user", w)}
			p := bot.Profile{Subscriber: sub, Name: "p", Query: "renovatie", Delivery: bot.DeliverInstant}
			if err := s.CreateProfile(ctx, &p); err != nil {
				t.Errorf("writer %d: create profile: %v", w, err)
				return
			}
			for i := range noticesPerWriter {
				n := bot.Notice{ID: fmt.Sprintf("n-%d-%d", w, i), Title: fmt.Sprintf("Renovatie %d", i), Published: epoch.Add(time.Duration(i) * time.Minute)}
				d := testDelivery(bot.AlertKey(sub, n.ID), sub, epoch)
				if _, err := s.SaveNotice(ctx, n, nil, bot.Effects{Deliveries: []bot.Delivery{d}}); err != nil {
					t.Errorf("writer %d: save notice: %v", w, err)
					return
				}
				due, err := s.DueDeliveries(ctx, platforms, epoch, 0, 5)
				if err != nil {
					t.Errorf("writer %d: due deliveries: %v", w, err)
					return
				}
				for _, d := range due {
					// Writers race to mark the same deliveries; each
					// update must still succeed.
					if err := s.MarkSent(ctx, d.ID, epoch, "m"); err != nil {
						t.Errorf("writer %d: mark sent: %v", w, err)
						return
					}
				}
			}
		})
	}

	done := make(chan struct{})
	var reading sync.WaitGroup
	for r := range readers {
		reading.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				var err error
				switch r % 3 {
				case 0:
					_, err = s.RecentNotices(ctx, 20)
				case 1:
					_, err = s.SearchNotices(ctx, []string{"renovatie"}, 20)
				case 2:
					_, _, err = s.NextDue(ctx, platforms, epoch)
				}
				if err != nil {
					t.Errorf("reader %d: %v", r, err)
					return
				}
			}
		})
	}
	writing.Wait()
	close(done)
	reading.Wait()

	n, err := s.CountNotices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := writers * noticesPerWriter; n != want {
		t.Errorf("notices stored: got %d, want %d", n, want)
	}
	profiles, err := s.ProfilesAfter(ctx, 0, writers+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(profiles) != writers {
		t.Errorf("profiles stored: got %d, want %d", len(profiles), writers)
	}
}
