package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack"
	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/outbox"
	"github.com/tenderbot/tenderbot/storage/postgres"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// TestReplicasShareSlacksLimits sends the same burst to a local Slack
// that enforces one post a second per channel, once from one worker and
// once from three workers on one PostgreSQL database: the three, sharing
// the limits through the database, draw no more 429s than the one, and
// every message arrives once.
func TestReplicasShareSlacksLimits(t *testing.T) {
	const channels, each = 8, 4
	one := burstThroughWorkers(t, 1, channels, each)
	three := burstThroughWorkers(t, 3, channels, each)
	t.Logf("429s: one worker %d, three workers %d (of %d posts)", one, three, channels*each)
	if three > one {
		t.Errorf("three workers drew %d 429s, one worker %d: the replicas do not keep under Slack's limit together", three, one)
	}
}

// burstThroughWorkers enqueues each messages to each of channels Slack
// channels in a fresh schema, drains them through n workers, each on a
// store of its own as on a replica, and returns how many posts the fake
// answered 429. It fails t unless every message arrived exactly once.
func burstThroughWorkers(t *testing.T, n, channels, each int) (limited int) {
	t.Helper()
	url := pgtest.URL(t)
	fake := fakeslack.New(fakeslack.Options{PostGap: time.Second})
	t.Cleanup(fake.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	stores := make([]*postgres.Store, n)
	for i := range stores {
		s, err := postgres.Open(ctx, url, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	for m := range each {
		for c := range channels {
			to := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", Channel: fmt.Sprintf("C%03d", c)}
			d := bot.Delivery{Key: fmt.Sprintf("lanes/%d/%d", c, m), To: to, Purpose: bot.PurposeAlert,
				Message: bot.Message{Text: fmt.Sprintf("message %d to %d", m, c)}, DueAt: time.Now()}
			if ok, err := stores[0].Enqueue(ctx, &d); err != nil || !ok {
				t.Fatalf("enqueue %s: %v, %v", d.Key, ok, err)
			}
		}
	}
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for i, s := range stores {
		messenger := slack.New(slack.Options{BotToken: fake.Options().BotToken, APIURL: fake.APIURL(), HTTPClient: &http.Client{Timeout: 5 * time.Second}})
		w := outbox.New(outbox.Options{Store: s, Owner: fmt.Sprintf("replica-%d", i),
			Messengers: map[bot.Platform]bot.Messenger{bot.PlatformSlack: messenger}})
		wg.Add(1)
		go func() { defer wg.Done(); w.Run(runCtx) }()
	}
	defer func() { stop(); wg.Wait() }()
	posted := func() map[string]int {
		got := map[string]int{}
		for _, c := range fake.Calls("chat.postMessage") {
			if c.OK() {
				got[c.Param("channel")+"/"+c.Param("text")]++
			}
		}
		return got
	}
	for len(posted()) < channels*each {
		if ctx.Err() != nil {
			t.Fatalf("%d workers: %d of %d messages arrived", n, len(posted()), channels*each)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for key, k := range posted() {
		if k != 1 {
			t.Errorf("%d workers: %s posted %d times, want once", n, key, k)
		}
	}
	for _, c := range fake.Calls("chat.postMessage") {
		if c.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	return limited
}
