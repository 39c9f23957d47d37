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

func replayTests() []test {
	return []test{
		{"SeenRequestIsFreshOnce", testSeenRequestIsFreshOnce},
		{"SeenRequestForgetsAtExpiry", testSeenRequestForgetsAtExpiry},
		{"SeenRequestIsFreshOnceUnderARace", testSeenRequestIsFreshOnceUnderARace},
		{"SeenRequestForgetsExpiredKeys", testSeenRequestForgetsExpiredKeys},
	}
}

// seen calls SeenRequest, failing the test on an error.
func seen(t *testing.T, s bot.Store, key string, at, expires time.Time) bool {
	t.Helper()
	fresh, err := s.SeenRequest(context.Background(), key, at, expires)
	if err != nil {
		t.Fatalf("SeenRequest(%q): %v", key, err)
	}
	return fresh
}

func testSeenRequestIsFreshOnce(t *testing.T, s bot.Store, _ *bottest.Clock) {
	until := epoch.Add(10 * time.Minute)
	equal(t, "first time", seen(t, s, "slack:ab01", epoch, until), true)
	equal(t, "the same key again", seen(t, s, "slack:ab01", epoch.Add(time.Minute), until), false)
	equal(t, "another key", seen(t, s, "discord:ab01", epoch.Add(time.Minute), until), true)
}

func testSeenRequestForgetsAtExpiry(t *testing.T, s bot.Store, _ *bottest.Clock) {
	until := epoch.Add(10 * time.Minute)
	seen(t, s, "k", epoch, until)
	equal(t, "just before expiry", seen(t, s, "k", until.Add(-time.Nanosecond), until), false)
	equal(t, "at expiry", seen(t, s, "k", until, until.Add(10*time.Minute)), true)
	equal(t, "recorded again", seen(t, s, "k", until.Add(time.Minute), until.Add(10*time.Minute)), false)
}

func testSeenRequestIsFreshOnceUnderARace(t *testing.T, s bot.Store, _ *bottest.Clock) {
	const callers = 8
	var wg sync.WaitGroup
	fresh := make(chan bool, callers)
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.SeenRequest(context.Background(), "raced", epoch, epoch.Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			fresh <- ok
		}()
	}
	wg.Wait()
	close(fresh)
	n := 0
	for ok := range fresh {
		if ok {
			n++
		}
	}
	equal(t, "callers that saw the key fresh", n, 1)
}

func testSeenRequestForgetsExpiredKeys(t *testing.T, s bot.Store, _ *bottest.Clock) {
	// Many keys expire; later calls forget them a batch at a time, and none
	// of them is refused as a replay once expired.
	for i := range 300 {
		seen(t, s, fmt.Sprintf("old-%d", i), epoch, epoch.Add(time.Minute))
	}
	later := epoch.Add(time.Hour)
	for i := range 300 {
		if !seen(t, s, fmt.Sprintf("old-%d", i), later, later.Add(time.Minute)) {
			t.Fatalf("old-%d expired an hour ago: got a replay, want it fresh", i)
		}
	}
}
