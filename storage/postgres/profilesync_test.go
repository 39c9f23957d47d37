package postgres

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/profilesync"
	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

var alice = console("alice")

func TestProfileChangesAreNumberedDeletionsToo(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	v0, err := s.ProfileVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := bot.Profile{Subscriber: alice, Name: "bouw", Query: "cpv:45", Delivery: bot.DeliverInstant}
	b := bot.Profile{Subscriber: alice, Name: "ict", Query: "cpv:72", Delivery: bot.DeliverInstant}
	for _, p := range []*bot.Profile{&a, &b} {
		if err := s.CreateProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	a.Paused = true
	if err := s.UpdateProfile(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteProfile(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	changes, err := s.ProfileChanges(ctx, v0, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []profilesync.Change{
		{ProfileID: a.ID, Paused: true, Query: "cpv:45"},
		{ProfileID: b.ID, Deleted: true},
	}
	if len(changes) != len(want) {
		t.Fatalf("changes after version %d: got %+v, want %+v", v0, changes, want)
	}
	for i, c := range changes {
		if c.ProfileID != want[i].ProfileID || c.Deleted != want[i].Deleted || c.Paused != want[i].Paused || c.Query != want[i].Query {
			t.Errorf("change %d: got %+v, want %+v", i, c, want[i])
		}
		if i > 0 && c.Version <= changes[i-1].Version {
			t.Errorf("versions not in order: %d after %d", c.Version, changes[i-1].Version)
		}
	}
	latest, err := s.ProfileVersion(ctx)
	if err != nil || latest != changes[len(changes)-1].Version {
		t.Errorf("latest version %d (%v), want the last change's %d", latest, err, changes[len(changes)-1].Version)
	}
	if rest, err := s.ProfileChanges(ctx, latest, 10); err != nil || len(rest) != 0 {
		t.Errorf("changes after the latest version: %+v, %v; want none", rest, err)
	}
}

// replica is one bot process on the shared database: its own pool, its
// own matcher index, and the Syncer that brings the other replicas'
// profile changes into it.
type replica struct {
	store   *Store
	bot     *bot.Bot
	matcher *watchedIndex
}

// watchedIndex is the real matcher, telling when a profile enters or
// leaves it.
type watchedIndex struct {
	*matching.Index
	mu      sync.Mutex
	changed chan struct{}
}

func (w *watchedIndex) Put(id int64, q bot.Query) { w.Index.Put(id, q); w.tell() }
func (w *watchedIndex) Remove(id int64)           { w.Index.Remove(id); w.tell() }

func (w *watchedIndex) tell() {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.changed)
	w.changed = make(chan struct{})
}

// waitMatch waits up to within for the index to match n (or not, for
// want false), and says how long it took.
func (w *watchedIndex) waitMatch(t testing.TB, n bot.Notice, want bool, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := time.After(within)
	for {
		w.mu.Lock()
		changed := w.changed
		w.mu.Unlock()
		if got := len(w.Match(&n)) > 0; got == want {
			return time.Since(start)
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("after %s the index still says matched=%v for %s, want %v", within, !want, n.ID, want)
		}
	}
}

// syncEvery is the replicas' look by version in the tests that rely on
// notifications: long enough that only a notification brings a change in
// within the 2 seconds allowed.
const syncEvery = time.Hour

// startReplica opens a replica on url, its Syncer looking every every
// (on a store that cannot listen, when listen is false).
func startReplica(t testing.TB, url string, clock bot.Clock, every time.Duration, listen bool) *replica {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := openAt(t, url, clock)
	r := &replica{store: s, matcher: &watchedIndex{Index: matching.NewIndex(matching.Options{}), changed: make(chan struct{})}}
	var versions profilesync.Store = s
	if !listen {
		versions = struct{ profilesync.Store }{s} // no ListenProfiles: every notification missed
	}
	syncer, err := profilesync.New(ctx, profilesync.Options{Store: versions, Matcher: r.matcher, Every: every})
	if err != nil {
		t.Fatal(err)
	}
	r.bot = bot.New(bot.Options{Store: s, Matcher: r.matcher, Clock: clock,
		Feeds: []bot.FeedSource{{URL: "https://feeds.example/tenders.xml", Name: "test feed"}}})
	if err := r.bot.Start(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- syncer.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("syncer: %v", err)
		}
	})
	return r
}

// poll plays one poll of the shared feed through the replica.
func (r *replica) poll(t *testing.T, at time.Time, notices ...bot.Notice) {
	t.Helper()
	ctx := context.Background()
	feeds, err := r.bot.FeedsToPoll(ctx)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("feeds to poll: %v, %v", feeds, err)
	}
	if err := r.bot.Ingest(ctx, feeds[0], notices); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	r.bot.FeedPolled(ctx, feeds[0], bot.PollResult{At: at, Items: len(notices)})
}

// alertsFor returns the notice ids of the alerts waiting for sub.
func alertsFor(t *testing.T, s *Store, sub bot.Subscriber) []string {
	t.Helper()
	ds, err := s.DueDeliveries(context.Background(), []bot.Platform{sub.Platform}, epoch.Add(24*time.Hour), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range ds {
		if d.To == sub && d.Purpose == bot.PurposeAlert {
			ids = append(ids, d.NoticeID)
		}
	}
	return ids
}

func replicaNotice(id, title string) bot.Notice {
	return bot.Notice{ID: id, Source: "test feed", Title: title, Buyer: "Gemeente Almelo", Kind: bot.KindTender,
		CPV: []string{"45212225"}, NUTS: []string{"NL213"}, Country: "NL",
		Published: epoch.Add(-time.Hour), Deadline: epoch.AddDate(0, 2, 0), URL: "https://feeds.example/" + id}
}

// TestProfileMadeOnOneReplicaAlertsOnAnother: alice subscribes through
// replica a; the notice comes in through replica b, whose index has her
// profile within 2 seconds, told by NOTIFY. Her unsubscribing on a takes
// it out of b's index as fast.
func TestProfileMadeOnOneReplicaAlertsOnAnother(t *testing.T) {
	_, url := pgtest.Schema(t)
	clock := bottest.NewClock(epoch)
	a := startReplica(t, url, clock, syncEvery, true)
	b := startReplica(t, url, clock, syncEvery, true)
	b.poll(t, epoch.Add(-2*time.Hour)) // the feed's first poll: the baseline

	sporthal := replicaNotice("n-sporthal", "Renovatie sporthal De Sluis")
	if reply := a.bot.Handle(context.Background(), bot.Command{From: alice, Text: "subscribe sporthal"}); reply.Text == "" {
		t.Fatal("no reply to subscribe")
	}
	took := b.matcher.waitMatch(t, sporthal, true, 2*time.Second)
	t.Logf("alice's profile reached replica b's index in %s", took)
	b.poll(t, epoch, sporthal)
	if got := alertsFor(t, b.store, alice); len(got) != 1 || got[0] != "n-sporthal" {
		t.Fatalf("alerts for alice after replica b ingested the notice: %v, want [n-sporthal]", got)
	}

	a.bot.Handle(context.Background(), bot.Command{From: alice, Text: "unsubscribe 1"})
	zaal := replicaNotice("n-sporthal-2", "Nieuwbouw sporthal Noord")
	b.matcher.waitMatch(t, zaal, false, 2*time.Second)
	b.poll(t, epoch.Add(time.Minute), zaal)
	if got := alertsFor(t, b.store, alice); len(got) != 1 {
		t.Errorf("alerts for alice after she unsubscribed on replica a: %v, want only the first", got)
	}
}

// TestMissedNotificationHealsByVersion: a replica that hears no
// notification at all still has every change within its look by version.
func TestMissedNotificationHealsByVersion(t *testing.T) {
	_, url := pgtest.Schema(t)
	clock := bottest.NewClock(epoch)
	a := startReplica(t, url, clock, syncEvery, true)
	deaf := startReplica(t, url, clock, 200*time.Millisecond, false)
	sporthal := replicaNotice("n-sporthal", "Renovatie sporthal De Sluis")

	a.bot.Handle(context.Background(), bot.Command{From: alice, Text: "subscribe sporthal"})
	deaf.matcher.waitMatch(t, sporthal, true, 2*time.Second)
	a.bot.Handle(context.Background(), bot.Command{From: alice, Text: "pause 1"})
	deaf.matcher.waitMatch(t, sporthal, false, 2*time.Second)
	a.bot.Handle(context.Background(), bot.Command{From: alice, Text: "resume 1"})
	deaf.matcher.waitMatch(t, sporthal, true, 2*time.Second)
	a.bot.Handle(context.Background(), bot.Command{From: alice, Text: "unsubscribe 1"})
	deaf.matcher.waitMatch(t, sporthal, false, 2*time.Second)
}

// TestListeningResumesAfterALostConnection: when the server drops the
// listening connection (a restart, a failover), the replica listens again
// on a new one, and what changed meanwhile reaches its index with no look
// by version.
func TestListeningResumesAfterALostConnection(t *testing.T) {
	_, url := pgtest.Schema(t)
	clock := bottest.NewClock(epoch)
	a := startReplica(t, url, clock, syncEvery, true)
	b := startReplica(t, url, clock, syncEvery, true)
	sporthal := replicaNotice("n-sporthal", "Renovatie sporthal De Sluis")
	a.bot.Handle(context.Background(), bot.Command{From: alice, Text: "subscribe sporthal"})
	b.matcher.waitMatch(t, sporthal, true, 2*time.Second)

	// Only this package's replicas listen on this channel; any other
	// test's listener that is cut too listens again the same way.
	var cut int
	err := b.store.pool.QueryRow(context.Background(), `
		SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE query = 'LISTEN `+profileChannel+`' AND pid <> pg_backend_pid()`).Scan(&cut)
	if err != nil || cut == 0 {
		t.Fatalf("cut %d listening connections (%v), want the replicas'", cut, err)
	}
	a.bot.Handle(context.Background(), bot.Command{From: alice, Text: "pause 1"})
	b.matcher.waitMatch(t, sporthal, false, 3*time.Second) // a second before listening again, then the look that brings
}

func TestRetentionDropsOldTombstones(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	for _, name := range []string{"old", "new"} {
		p := bot.Profile{Subscriber: alice, Name: name, Query: "cpv:45", Delivery: bot.DeliverInstant}
		if err := s.CreateProfile(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteProfile(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if name == "old" {
			if _, err := s.pool.Exec(ctx, `UPDATE profile_tombstones SET deleted_at = now() - interval '2 days' WHERE profile_id = $1`, p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, _, err := s.Prune(ctx, epoch.AddDate(-1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM profile_tombstones`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 1 {
		t.Errorf("%d tombstones after the retention job, want the day-old one gone and the fresh one kept", left)
	}
}
