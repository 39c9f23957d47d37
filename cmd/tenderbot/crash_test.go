package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
)

// burstFeed serves an RSS feed with one old item until burst is called,
// then with n new items too, dated now; requests wait until open is closed.
func burstFeed(t *testing.T, n int, open <-chan struct{}) (url string, burst func()) {
	t.Helper()
	item := func(guid, title string, at time.Time) string {
		return fmt.Sprintf(`<item><title>%s</title><link>https://tenders.example/%s</link><guid>%s</guid>
<pubDate>%s</pubDate><description>Opdrachtgever: Gemeente Almelo. CPV: 45000000-7. NUTS NL213.</description></item>`,
			title, guid, guid, at.Format(time.RFC1123Z))
	}
	var mu sync.Mutex
	items := []string{item("old", "Bestaande aanbesteding", time.Now().Add(-time.Hour))}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-open:
		case <-r.Context().Done():
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Burst</title><language>nl</language>%s</channel></rss>`, strings.Join(items, ""))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() {
		mu.Lock()
		defer mu.Unlock()
		for i := range n {
			items = append(items, item(fmt.Sprintf("burst-%d", i), fmt.Sprintf("Burst tender %d", i), time.Now()))
		}
	}
}

// startChild runs the real main in a child process with the test's
// environment.
func startChild(t *testing.T, stderr io.Writer) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TENDERBOT_TEST_RUN_MAIN=1")
	cmd.Stdout, cmd.Stderr = io.Discard, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// TestCrashMidBurstLosesAndDoublesNothing kills the bot with SIGKILL while
// it delivers a burst of alerts to Slack, restarts it on the same database,
// and checks that every alert arrived exactly once.
func TestCrashMidBurstLosesAndDoublesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test runs the bot twice in child processes; skipped with -short")
	}
	const users, items = 8, 5
	fake := fakeslack.New(fakeslack.Options{PingInterval: 200 * time.Millisecond})
	t.Cleanup(fake.Close)
	subscribed := make(chan struct{}) // the first poll waits for the profiles
	feedURL, burst := burstFeed(t, items, subscribed)
	setEnv(t, feedURL)
	t.Setenv("TENDERBOT_POLL_INTERVAL", "1s")
	slackEnv(t, fake)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	var logs syncBuffer // both runs' logs, shown when the test fails
	first := startChild(t, &logs)
	if err := fake.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	for u := range users {
		cmd := fake.SlashCommand(fakeslack.SlashCommand{User: fmt.Sprintf("U%03d", u), Channel: "C0GENERAL", Text: "subscribe cpv:45"})
		if _, err := fake.Deliver(ctx, cmd); err != nil {
			t.Fatal(err)
		}
		if _, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == cmd.ResponseURL }); err != nil {
			t.Fatal(err)
		}
	}
	// Wait for the baseline poll (its previews), then publish the burst.
	close(subscribed)
	if _, err := fake.WaitCall(ctx, "chat.postMessage", blocksWith("Bestaande aanbesteding")); err != nil {
		t.Fatal(err)
	}
	burst()
	alerts := func() map[string]int {
		posted := map[string]int{}
		for _, c := range callsMatching(fake.Calls("chat.postMessage"), blocksWith("Burst tender")) {
			for i := range items {
				if strings.Contains(c.Param("blocks"), fmt.Sprintf("Burst tender %d", i)) && strings.Contains(c.Param("text"), "New tender") {
					posted[fmt.Sprintf("%s/%d", c.Param("channel"), i)]++
				}
			}
		}
		return posted
	}
	for len(alerts()) < users*items/3 {
		if ctx.Err() != nil {
			t.Fatalf("the burst never began\nlogs:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	first.Process.Kill() // SIGKILL, mid-burst
	first.Wait()
	killedAt := len(alerts())

	startChild(t, &logs)
	for len(alerts()) < users*items {
		if ctx.Err() != nil {
			t.Fatalf("after the restart only %d of %d alerts arrived\nlogs:\n%s", len(alerts()), users*items, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a late duplicate would show now
	for key, n := range alerts() {
		if n != 1 {
			t.Errorf("alert %s posted %d times, want once", key, n)
		}
	}
	t.Logf("killed after %d of %d alerts; all arrived once", killedAt, users*items)
}
