package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/storage/postgres"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// replicas opens n stores on one fresh PostgreSQL schema, as n replicas of
// the bot would, each on the clock.
func replicas(t *testing.T, n int, clock bot.Clock) []*postgres.Store {
	t.Helper()
	return replicasB(t, n, clock)
}

// replicasB is replicas for a test or a benchmark.
func replicasB(t testing.TB, n int, clock bot.Clock) []*postgres.Store {
	t.Helper()
	url := pgtest.URL(t)
	var stores []*postgres.Store
	for range n {
		s, err := postgres.Open(context.Background(), url, postgres.Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	return stores
}

// TestReplicasShareTheOutbox: three workers on one database, sending to
// one platform at once, deliver every alert once, each conversation's in
// the order they were enqueued.
func TestReplicasShareTheOutbox(t *testing.T) {
	clock := bottest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	stores := replicas(t, 3, clock)
	ctx := context.Background()
	const people, each = 30, 20
	for i := range each {
		for p := range people {
			to := person(fmt.Sprintf("p%02d", p))
			d := bot.Delivery{Key: fmt.Sprintf("alert:%d:%s", i, to.User), To: to, Purpose: bot.PurposeAlert,
				Message: bot.Message{Text: fmt.Sprint(i)}, DueAt: clock.Now()}
			if ok, err := stores[0].Enqueue(ctx, &d); err != nil || !ok {
				t.Fatalf("enqueue: %v, %v", ok, err)
			}
		}
	}
	platform := &bottest.Messenger{} // one platform, three senders
	var workers []*outbox.Worker
	for i, s := range stores {
		workers = append(workers, outbox.New(outbox.Options{
			Store: s, Clock: clock, Owner: fmt.Sprintf("replica-%d", i),
			Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: platform},
		}))
	}
	for round := 0; round < 100; round++ {
		var wg sync.WaitGroup
		for _, w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := w.DeliverDue(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if _, pending, err := stores[0].NextDue(ctx, []bot.Platform{bot.PlatformConsole}, clock.Now()); err != nil || !pending {
			break
		}
	}
	sent := platform.Sent()
	if len(sent) != people*each {
		t.Errorf("sent %d messages, want %d", len(sent), people*each)
	}
	seen := map[string]bool{}
	next := map[string]int{} // person → the number they should get next
	for _, s := range sent {
		if seen[s.Message.Key] {
			t.Errorf("%s sent twice", s.Message.Key)
		}
		seen[s.Message.Key] = true
		if want := fmt.Sprint(next[s.To.User]); s.Message.Text != want {
			t.Errorf("%s got %s after %d, want %s: out of order", s.To.User, s.Message.Text, next[s.To.User], want)
		}
		next[s.To.User]++
	}
}

// TestDeadReplicasClaimsAreTakenOver: a replica dies after claiming two
// alerts and handing one to the platform. Once its lease runs out a live
// replica takes both over and settles them as a restart does: the one the
// platform has is recorded sent, not sent again; the other is sent.
func TestDeadReplicasClaimsAreTakenOver(t *testing.T) {
	clock := bottest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	stores := replicas(t, 2, clock)
	dead, alive := stores[0], stores[1]
	ctx := context.Background()
	for _, to := range []bot.Subscriber{alice, bob} {
		d := bot.Delivery{Key: bot.AlertKey(to, "n-1"), To: to, Purpose: bot.PurposeAlert, NoticeID: "n-1",
			Message: bot.Message{Text: "alert"}, DueAt: clock.Now()}
		if ok, err := dead.Enqueue(ctx, &d); err != nil || !ok {
			t.Fatal(err)
		}
	}
	const lease = time.Minute
	claimed, err := dead.Claim(ctx, "dead", []bot.Platform{bot.PlatformConsole}, clock.Now(), 0, 10, clock.Now().Add(lease))
	if err != nil || len(claimed) != 2 {
		t.Fatalf("the dead replica's claim: %d, %v", len(claimed), err)
	}
	platform := &findingMessenger{has: map[string]string{bot.AlertKey(alice, "n-1"): "ts-alice"}}
	w := outbox.New(outbox.Options{Store: alive, Clock: clock, Owner: "alive", Lease: lease,
		Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: platform}})

	if err := w.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	if sent := platform.Sent(); len(sent) != 0 {
		t.Fatalf("within the dead replica's lease: sent %+v, want nothing", sent)
	}
	clock.Advance(lease)
	if err := w.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	sent := platform.Sent()
	if len(sent) != 1 || sent[0].To != bob {
		t.Fatalf("after the lease ran out: sent %+v, want bob's alert only", sent)
	}
	if id, _ := alive.SentMessageID(ctx, bot.AlertKey(alice, "n-1")); id != "ts-alice" {
		t.Errorf("alice's alert: recorded message id %q, want the platform's ts-alice", id)
	}
	if left, err := alive.Sending(ctx); err != nil || len(left) != 0 {
		t.Errorf("left sending: %+v, %v", left, err)
	}
}

// clockedMessenger takes a while per send, on the test's clock.
type clockedMessenger struct {
	bottest.Messenger
	clock *bottest.Clock
	each  time.Duration
}

func (m *clockedMessenger) Send(ctx context.Context, to bot.Subscriber, msg bot.Message) (string, error) {
	m.clock.Advance(m.each)
	return m.Messenger.Send(ctx, to, msg)
}

// TestNoSendBeginsNearTheLeasesEnd: sends that would run past three
// quarters of the lease are not begun; they go back to the queue, for this
// worker or another, instead of racing a take-over.
func TestNoSendBeginsNearTheLeasesEnd(t *testing.T) {
	clock := bottest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	s := replicas(t, 1, clock)[0]
	ctx := context.Background()
	for i := range 5 {
		to := person(fmt.Sprintf("p%d", i))
		d := bot.Delivery{Key: "alert:" + to.User, To: to, Purpose: bot.PurposeAlert, Message: bot.Message{Text: "x"}, DueAt: clock.Now()}
		if ok, err := s.Enqueue(ctx, &d); err != nil || !ok {
			t.Fatal(err)
		}
	}
	platform := &clockedMessenger{clock: clock, each: 10 * time.Second}
	w := outbox.New(outbox.Options{Store: s, Clock: clock, Owner: "w", Lease: 40 * time.Second,
		Messengers: map[bot.Platform]bot.Messenger{bot.PlatformConsole: platform}})
	if err := w.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	// 10 s a send, a 40 s lease: the sends begun at 0, 10 and 20 s go out,
	// the one due to begin at 30 s does not.
	if sent := platform.Sent(); len(sent) != 3 {
		t.Errorf("sent %d in the first claim's lease, want 3", len(sent))
	}
	if left, err := s.Sending(ctx); err != nil || len(left) != 0 {
		t.Errorf("left sending after the round: %d, %v; want the unsent handed back", len(left), err)
	}
}
