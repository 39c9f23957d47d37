package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
)

// subscribeUsers has users U000, U001, … subscribe to cpv:45 in Slack, one
// after the other, each once the bot has answered the one before.
func subscribeUsers(ctx context.Context, t *testing.T, fake *fakeslack.Server, users int) {
	t.Helper()
	for u := range users {
		cmd := fake.SlashCommand(fakeslack.SlashCommand{User: fmt.Sprintf("U%03d", u), Channel: "C0GENERAL", Text: "subscribe cpv:45"})
		if _, err := fake.Deliver(ctx, cmd); err != nil {
			t.Fatal(err)
		}
		if _, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == cmd.ResponseURL }); err != nil {
			t.Fatal(err)
		}
	}
}

// startChild runs the real main in a child process with the test's
// environment and, after it, env ("NAME=value").
func startChild(t *testing.T, stderr io.Writer, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "TENDERBOT_TEST_RUN_MAIN=1"), env...)
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
	feed := burstFeed(t, items, subscribed)
	setEnv(t, feed.url)
	t.Setenv("TENDERBOT_POLL_INTERVAL", "1s")
	slackEnv(t, fake)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	var logs syncBuffer // both runs' logs, shown when the test fails
	first := startChild(t, &logs)
	if err := fake.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	subscribeUsers(ctx, t, fake, users)
	// Wait for the baseline poll (its previews), then publish the burst.
	close(subscribed)
	if _, err := fake.WaitCall(ctx, "chat.postMessage", blocksWith("Bestaande aanbesteding")); err != nil {
		t.Fatal(err)
	}
	feed.burst()
	alerts := func() map[string]int { return burstAlerts(fake) }
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
