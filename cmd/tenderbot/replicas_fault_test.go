package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// burstingFeed serves an RSS feed with one old item, and with n new ones
// ("Burst tender 00", …), dated now, too once burst is called; requests
// wait until open is closed, and polled counts the ones answered.
type burstingFeed struct {
	url    string
	polled atomic.Int64
	burst  func()
}

func burstFeed(t *testing.T, n int, open <-chan struct{}) *burstingFeed {
	t.Helper()
	item := func(guid, title string) string {
		return fmt.Sprintf(`<item><title>%s</title><link>https://tenders.example/%s</link><guid>%s</guid>
<pubDate>%s</pubDate><description>Opdrachtgever: Gemeente Almelo. CPV: 45000000-7. NUTS NL213.</description></item>`,
			title, guid, guid, time.Now().Format(time.RFC1123Z))
	}
	f := &burstingFeed{}
	var mu sync.Mutex
	items := []string{item("old", "Bestaande aanbesteding")}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-open:
		case <-r.Context().Done():
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Burst</title><language>nl</language>%s</channel></rss>`, strings.Join(items, ""))
		f.polled.Add(1)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	f.burst = func() {
		mu.Lock()
		defer mu.Unlock()
		for i := range n {
			items = append(items, item(fmt.Sprintf("burst-%d", i), fmt.Sprintf("Burst tender %02d", i)))
		}
	}
	return f
}

// replicaApp names the replicas' connections to PostgreSQL
// (application_name), for the test to cut them.
const replicaApp = "tenderbot_replica_test"

// burstAlerts counts the burst's alerts Slack accepted, by channel and
// item.
func burstAlerts(fake *fakeslack.Server) map[string]int {
	title := regexp.MustCompile(`Burst tender \d\d`)
	posted := map[string]int{}
	for _, c := range fake.Calls("chat.postMessage") {
		if !c.OK() || !strings.Contains(c.Param("text"), "New tender") {
			continue
		}
		if t := title.FindString(c.Param("blocks")); t != "" {
			posted[c.Param("channel")+"/"+t]++
		}
	}
	return posted
}

// TestReplicaKilledMidBurstLosesAndDoublesNothing runs three replicas of
// the bot, as processes of their own, on one PostgreSQL database against a
// local Slack that enforces one post a second per channel; 30 people
// subscribe, and a burst of 600 alerts goes out. One replica is killed
// (SIGKILL) while it holds claims and is not restarted: the others take
// its claims over once their lease (TENDERBOT_OUTBOX_LEASE, 4 s here)
// runs out, settle them with Slack, and deliver every alert exactly once
// and in order, even when the server then drops all their connections.
func TestReplicaKilledMidBurstLosesAndDoublesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("the replica fault test runs three bots in child processes; skipped with -short")
	}
	const users, items = 30, 20
	const lease = 4 * time.Second
	url := pgtest.URL(t)
	db, err := pgxpool.New(context.Background(), url) // the test's own connections
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	fake := fakeslack.New(fakeslack.Options{PingInterval: 200 * time.Millisecond, PostGap: time.Second})
	t.Cleanup(fake.Close)
	open := make(chan struct{}) // the first polls wait for the profiles
	feed := burstFeed(t, items, open)
	setEnv(t, feed.url)
	t.Setenv("TENDERBOT_DATABASE_URL", url+"&application_name="+replicaApp)
	t.Setenv("TENDERBOT_POLL_INTERVAL", "1s")
	t.Setenv("TENDERBOT_OUTBOX_LEASE", lease.String())
	t.Setenv("TENDERBOT_ALERT_CAP_PER_HOUR", "0")
	t.Setenv("TENDERBOT_LOG_LEVEL", "info")
	slackEnv(t, fake)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var logs syncBuffer // every replica's log, shown when the test fails
	// The profiles are made through the first replica before the others
	// start, so every replica's index has them (the matcher does not yet
	// follow profiles made on another replica).
	replicas := []*exec.Cmd{startChild(t, &logs)}
	if err := fake.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	subscribeUsers(ctx, t, fake, users)
	replicas = append(replicas, startChild(t, &logs), startChild(t, &logs))
	for fake.Connections() < len(replicas) {
		if ctx.Err() != nil {
			t.Fatalf("the replicas never all connected\nlogs:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Every replica reads the feed once before the burst, so that none
	// takes the burst for its first poll's baseline.
	close(open)
	for feed.polled.Load() < int64(2*len(replicas)) {
		if ctx.Err() != nil {
			t.Fatalf("the feed was polled %d times\nlogs:\n%s", feed.polled.Load(), logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	feed.burst()

	for len(burstAlerts(fake)) < users*items/4 {
		if ctx.Err() != nil {
			t.Fatalf("the burst never began\nlogs:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	victim, owner, held := killAClaimHolder(ctx, t, db, replicas)
	killedAt, sentAtKill := time.Now(), len(burstAlerts(fake))

	// Its claims are taken over once their lease runs out.
	for {
		var left int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE status = 'sending' AND lease_owner = $1`, owner).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("%d deliveries still claimed by the killed replica", left)
		}
		time.Sleep(50 * time.Millisecond)
	}
	takenOver := time.Since(killedAt)
	if takenOver > 30*time.Second {
		t.Errorf("the killed replica's claims were taken over after %s, want within 30 s", takenOver.Round(time.Millisecond))
	}
	// Then the server drops every connection of the replicas left, as a
	// restart or a failover does: they connect again and carry on.
	var cut int
	if err := db.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, replicaApp).Scan(&cut); err != nil {
		t.Fatal(err)
	}
	sentAtCut := len(burstAlerts(fake))
	for len(burstAlerts(fake)) < users*items {
		if ctx.Err() != nil {
			t.Fatalf("after the kill only %d of %d alerts arrived\nlogs:\n%s", len(burstAlerts(fake)), users*items, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(time.Second) // a late duplicate would show now
	for key, n := range burstAlerts(fake) {
		if n != 1 {
			t.Errorf("alert %s posted %d times, want once", key, n)
		}
	}
	// The order each person got the alerts in, against the order they
	// were enqueued (the outbox's ids; replicas reading the feed at once
	// enqueue its tenders interleaved, so not always the feed's): kept
	// through the kill and the cut connections.
	ids := map[string]int64{}
	rows, err := db.Query(ctx, `SELECT key, id FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var key string
		var id int64
		if err := rows.Scan(&key, &id); err != nil {
			t.Fatal(err)
		}
		ids[key] = id
	}
	rows.Close()
	last := map[string]int64{}
	late := 0 // alerts that arrived after a newer one to the same person
	for _, c := range fake.Calls("chat.postMessage") {
		var meta struct {
			Payload struct {
				Key string `json:"key"`
			} `json:"event_payload"`
		}
		if !c.OK() || json.Unmarshal([]byte(c.Param("metadata")), &meta) != nil || ids[meta.Payload.Key] == 0 {
			continue
		}
		id := ids[meta.Payload.Key]
		if last[c.Param("channel")] > id {
			late++
		}
		last[c.Param("channel")] = max(last[c.Param("channel")], id)
	}
	if len(last) < users {
		t.Errorf("found the outbox ids of the posts to %d people, want %d: cannot check the order", len(last), users)
	}
	if late > 0 {
		t.Errorf("%d alerts arrived after a newer one to the same person, want none", late)
	}
	limited := len(callsMatching(fake.Calls("chat.postMessage"), func(c fakeslack.Call) bool { return c.Status == http.StatusTooManyRequests }))
	t.Logf("killed replica %d (pid %d) holding %d claims after %d of %d alerts; its claims taken over after %s; "+
		"%d connections of the others cut after %d alerts; all arrived once, %d after a newer one; %d posts answered 429",
		victim, replicas[victim].Process.Pid, held, sentAtKill, users*items, takenOver.Round(time.Millisecond), cut, sentAtCut, late, limited)
}

// killAClaimHolder kills with SIGKILL a replica that holds claimed
// deliveries, and returns which it was, its lease owner and how many
// deliveries it held. It stops a replica (SIGSTOP) to look at what it
// holds, and lets it go on when that is nothing.
func killAClaimHolder(ctx context.Context, t *testing.T, db *pgxpool.Pool, replicas []*exec.Cmd) (victim int, owner string, held int) {
	t.Helper()
	for try := 0; ; try++ {
		if ctx.Err() != nil {
			t.Fatal("no replica was ever caught holding a claim")
		}
		victim = try % len(replicas)
		p := replicas[victim].Process
		if err := p.Signal(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		// Its owner is named after its process id (outbox.defaultOwner).
		err := db.QueryRow(ctx, `
			SELECT COALESCE(MAX(lease_owner), ''), count(*) FROM outbox
			WHERE status = 'sending' AND lease_owner LIKE '%-' || $1 || '-%'`, strconv.Itoa(p.Pid)).Scan(&owner, &held)
		if err != nil {
			t.Fatal(err)
		}
		if held > 0 {
			p.Kill()
			replicas[victim].Wait()
			return victim, owner, held
		}
		if err := p.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
