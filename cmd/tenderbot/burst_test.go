package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
)

// BenchmarkBurstToSlack delivers 1,000 alerts to 50 conversations through
// the real wiring against a fake Slack that enforces one post per second
// per channel and answers a few posts 429 besides. It reports the achieved
// throughput as a fraction of that limit (limit_fraction) and fails if an
// alert is lost, doubled or out of order. One iteration takes about 20 s:
//
//	go test -run '^$' -bench BurstToSlack -benchtime 1x ./cmd/tenderbot/
func BenchmarkBurstToSlack(b *testing.B) {
	const users, items = 50, 20
	for range b.N {
		fake := fakeslack.New(fakeslack.Options{PingInterval: time.Second, PostGap: time.Second})
		var mu sync.Mutex
		feed := []string{}
		subscribed := make(chan struct{}) // the first poll waits for the profiles
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-subscribed:
			case <-r.Context().Done():
				return
			}
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Burst</title><language>nl</language>%s</channel></rss>`, strings.Join(feed, ""))
		}))
		dir := b.TempDir()
		for k, v := range map[string]string{
			"TENDERBOT_DB": filepath.Join(dir, "bench.db"), "TENDERBOT_FEEDS": srv.URL, "TENDERBOT_POLL_INTERVAL": "1s",
			"TENDERBOT_HTTP_ADDR": "", "TENDERBOT_LOG_LEVEL": "error", "TENDERBOT_ALERT_CAP_PER_HOUR": "0",
			"TENDERBOT_SLACK_BOT_TOKEN": fake.Options().BotToken, "TENDERBOT_SLACK_APP_TOKEN": fake.Options().AppToken,
			"TENDERBOT_SLACK_API_URL": fake.APIURL(), "TENDERBOT_SLACK_SIGNING_SECRET": "",
		} {
			os.Setenv(k, v)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		done := make(chan error, 1)
		go func() { done <- run(ctx, nil, strings.NewReader(""), io.Discard, io.Discard) }()
		if err := fake.WaitConnected(ctx); err != nil {
			b.Fatal(err)
		}
		for u := range users {
			cmd := fake.SlashCommand(fakeslack.SlashCommand{User: fmt.Sprintf("U%03d", u), Channel: "C0GENERAL", Text: "subscribe cpv:45"})
			if _, err := fake.Deliver(ctx, cmd); err != nil {
				b.Fatal(err)
			}
		}
		close(subscribed)
		waitPosts(b, ctx, fake, "The feeds have loaded", users) // the baseline's previews
		fake.RateLimit("chat.postMessage", 5, time.Second)      // scripted 429s on top of the enforced limit

		b.ResetTimer()
		began := time.Now()
		mu.Lock()
		for i := range items {
			feed = append(feed, fmt.Sprintf(`<item><title>Burst tender %02d</title><link>https://tenders.example/%d</link><guid>b-%d</guid><pubDate>%s</pubDate><description>CPV: 45000000-7.</description></item>`,
				i, i, i, time.Now().Format(time.RFC1123Z)))
		}
		mu.Unlock()
		alerts := waitPosts(b, ctx, fake, "New tender", users*items)
		elapsed := time.Since(began)
		b.StopTimer()

		// Every alert once, and in order per conversation.
		seen := map[string]bool{}
		last := map[string]string{}
		for _, c := range alerts {
			title := c.Param("text") + c.Param("blocks")
			i := strings.Index(title, "Burst tender ")
			key := c.Param("channel") + "/" + title[i:i+15]
			if seen[key] {
				b.Errorf("alert %s posted twice", key)
			}
			seen[key] = true
			if prev := last[c.Param("channel")]; prev > title[i:i+15] {
				b.Errorf("%s got %s after %s", c.Param("channel"), title[i:i+15], prev)
			}
			last[c.Param("channel")] = title[i : i+15]
		}
		limit := float64(users) // one post a second per channel
		b.ReportMetric(float64(users*items)/elapsed.Seconds()/limit, "limit_fraction")
		b.ReportMetric(float64(users*items)/elapsed.Seconds(), "alerts/s")
		cancel()
		<-done
		srv.Close()
		fake.Close()
	}
}

// waitPosts waits for n successful chat.postMessage calls whose text holds
// fragment, and returns them.
func waitPosts(b *testing.B, ctx context.Context, fake *fakeslack.Server, fragment string, n int) []fakeslack.Call {
	for {
		posts := callsMatching(fake.Calls("chat.postMessage"), func(c fakeslack.Call) bool {
			return c.OK() && strings.Contains(c.Param("text"), fragment)
		})
		if len(posts) >= n {
			return posts
		}
		if ctx.Err() != nil {
			b.Fatalf("only %d of %d posts with %q arrived", len(posts), n, fragment)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
