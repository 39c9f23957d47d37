package main

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/storage/sqlite"
)

// TestCrashMidFanOutKeepsEveryNoticeWithAllItsAlerts kills the bot with
// SIGKILL while it ingests a burst of notices that each reach thousands of
// subscribers, restarts it on the same database, and checks that every
// notice is stored with exactly one alert for each subscriber: none
// without its alerts, none twice.
func TestCrashMidFanOutKeepsEveryNoticeWithAllItsAlerts(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs the bot twice in child processes; skipped with -short")
	}
	const subscribers, items = 1500, 20
	open := make(chan struct{}) // the first poll waits until the profiles are in
	feed := burstFeed(t, items, open)
	db := setEnv(t, feed.url)
	t.Setenv("TENDERBOT_POLL_INTERVAL", "1s")
	t.Setenv("TENDERBOT_CONSOLE", "off") // no chat: the alerts wait in the outbox
	t.Setenv("TENDERBOT_ALERT_CAP_PER_HOUR", "0")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	store, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	profiles := make([]bot.Profile, subscribers)
	for i := range profiles {
		who := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: fmt.Sprintf("U%05d", i)}
		profiles[i] = bot.Profile{Subscriber: who, Name: "bouw", Query: "cpv:45000000", Delivery: bot.DeliverInstant}
	}
	if err := store.CreateProfiles(ctx, profiles); err != nil {
		t.Fatal(err)
	}
	store.Close()

	reader, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	count := func(q string) int {
		var n int
		if err := reader.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	stored := func() int { return count(`SELECT COUNT(*) FROM notices WHERE title LIKE 'Burst tender %'`) }

	var logs syncBuffer
	first := startChild(t, &logs)
	close(open)
	for count(`SELECT COUNT(*) FROM feeds WHERE last_success IS NOT NULL`) == 0 { // the baseline poll
		if ctx.Err() != nil {
			t.Fatalf("the baseline poll never finished\nlogs:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	feed.burst()
	for stored() == 0 {
		if ctx.Err() != nil {
			t.Fatalf("the burst was never ingested\nlogs:\n%s", logs.String())
		}
		time.Sleep(time.Millisecond)
	}
	first.Process.Kill() // SIGKILL, mid-fan-out
	first.Wait()
	killedAt := stored()

	startChild(t, &logs)
	for stored() < items {
		if ctx.Err() != nil {
			t.Fatalf("after the restart only %d of %d notices were stored\nlogs:\n%s", stored(), items, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	alerts := map[string][2]int{} // by notice: alerts, distinct subscribers
	rows, err := reader.QueryContext(ctx, `
		SELECT notice_id, COUNT(*), COUNT(DISTINCT user_id) FROM outbox WHERE purpose = 'alert' GROUP BY notice_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var n, distinct int
		if err := rows.Scan(&id, &n, &distinct); err != nil {
			t.Fatal(err)
		}
		alerts[id] = [2]int{n, distinct}
	}
	rows.Close()
	ids, err := reader.QueryContext(ctx, `SELECT id FROM notices WHERE title LIKE 'Burst tender %'`)
	if err != nil {
		t.Fatal(err)
	}
	defer ids.Close()
	for ids.Next() {
		var id string
		if err := ids.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if got := alerts[id]; got != [2]int{subscribers, subscribers} {
			t.Errorf("notice %s: %d alerts to %d subscribers, want one to each of %d", id, got[0], got[1], subscribers)
		}
	}
	t.Logf("killed with %d of %d notices stored; every notice has all its alerts, once", killedAt, items)
}
