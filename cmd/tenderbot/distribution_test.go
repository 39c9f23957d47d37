package main

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/install"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// distributedEnv runs the Slack app distributed to many workspaces against
// the fake: no bot token, the OAuth credentials, HTTP mode.
func distributedEnv(t *testing.T, fake *fakeslack.Server, secret string) {
	t.Helper()
	t.Setenv("TENDERBOT_SLACK_BOT_TOKEN", "")
	t.Setenv("TENDERBOT_SLACK_APP_TOKEN", "")
	t.Setenv("TENDERBOT_SLACK_SIGNING_SECRET", secret)
	t.Setenv("TENDERBOT_SLACK_API_URL", fake.APIURL())
	t.Setenv("TENDERBOT_SLACK_CLIENT_ID", fake.Options().ClientID)
	t.Setenv("TENDERBOT_SLACK_CLIENT_SECRET", fake.Options().ClientSecret)
	t.Setenv("TENDERBOT_SLACK_OAUTH_URL", fake.AuthorizeURL())
	t.Setenv("TENDERBOT_SECRET_KEY", "a-test-secret-key-of-at-least-32-characters")
}

var addToSlackRe = regexp.MustCompile(`<a class="add" href="([^"]+)"`)

// installIn installs the app in team as a person would: the Add to Slack
// page, Slack's authorize page, back to the callback, in one browser.
func installIn(t *testing.T, base, team string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	page := func(u string) (int, string) {
		resp, err := b.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	status, body := page(base + "/slack/install")
	m := addToSlackRe.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		t.Fatalf("the Add to Slack page: %d\n%s", status, body)
	}
	link, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	q := link.Query()
	if q.Get("redirect_uri") != base+"/slack/oauth/callback" {
		t.Errorf("the install's redirect_uri: %q, want %q", q.Get("redirect_uri"), base+"/slack/oauth/callback")
	}
	q.Set("team", team)
	link.RawQuery = q.Encode()
	if status, body := page(link.String()); status != http.StatusOK || !strings.Contains(body, "tenderbot is in") {
		t.Fatalf("installing in %s: %d\n%s", team, status, body)
	}
}

func TestSlackDistributedServesEveryInstalledWorkspaceWithItsOwnToken(t *testing.T) {
	testDistributed(t, func(t *testing.T, db string) Config { return Config{DB: db} })
}

// The same on PostgreSQL, where the sealed tokens are BYTEA.
func TestSlackDistributedOnPostgres(t *testing.T) {
	url := pgtest.URL(t)
	t.Setenv("TENDERBOT_DATABASE_URL", url)
	testDistributed(t, func(*testing.T, string) Config { return Config{DatabaseURL: url} })
}

// testDistributed installs the app in two workspaces and follows their
// alerts; store names the database the bot runs on, given the SQLite path
// setEnv made.
func testDistributed(t *testing.T, store func(t *testing.T, db string) Config) {
	const secret = "e2e-signing-secret"
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	subscribed := make(chan struct{})
	feed, publish := changingFeed(t, subscribed)
	db := setEnv(t, feed.URL)
	cfg := store(t, db)
	t.Setenv("TENDERBOT_POLL_INTERVAL", "1s")
	distributedEnv(t, fake, secret)
	b := startBot(t)
	base := httpBase(t, &b.stdout)
	ctx := slackContext(t)

	installIn(t, base, "T1")
	installIn(t, base, "T2")
	tokens := map[string]string{"T1": fake.InstalledToken("T1"), "T2": fake.InstalledToken("T2")}

	post := func(path string, r *fakeslack.Request) {
		t.Helper()
		if status := postSlack(ctx, t, base+path, r, secret, time.Now()); status != http.StatusOK {
			t.Fatalf("%s: status %d", path, status)
		}
	}
	for _, sub := range []struct{ team, user, query string }{
		{"T1", "U0ANN", "sporthal OR leerlingenvervoer"},
		{"T2", "U0BEN", "sporthal"},
	} {
		cmd := fake.SlashCommand(fakeslack.SlashCommand{Team: sub.team, User: sub.user, Channel: "C0GENERAL", Text: "subscribe " + sub.query})
		post("/slack/commands", cmd)
		answer, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == cmd.ResponseURL })
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(answer.Param("text"), "Saved profile") {
			t.Fatalf("the answer in %s: %s", sub.team, answer.JSON)
		}
	}

	// The first poll's matches go to each workspace with its own token.
	close(subscribed)
	for team, user := range map[string]string{"T1": "U0ANN", "T2": "U0BEN"} {
		c, err := fake.WaitCall(ctx, "chat.postMessage", func(c fakeslack.Call) bool {
			return c.OK() && c.Param("channel") == fakeslack.DMChannel(user) && strings.Contains(c.Param("blocks"), "Renovatie sporthal De Sluis")
		})
		if err != nil {
			t.Fatalf("%s: %v\nstderr:\n%s", team, err, b.stderr.String())
		}
		if c.Token != tokens[team] {
			t.Errorf("the alert to %s in %s went with token %q, want %q", user, team, c.Token, tokens[team])
		}
	}
	for _, c := range fake.Calls() {
		if c.Token != "" && c.Token != tokens["T1"] && c.Token != tokens["T2"] {
			t.Errorf("%s called with a token of no workspace: %q", c.Method, c.Token)
		}
	}

	// T1's next alert waits in the outbox (Slack asked for 30 s) when T1
	// removes the app: it fails with the reason, and nothing more is sent
	// there.
	fake.RateLimit("chat.postMessage", 1, 30*time.Second)
	publish()
	if _, err := fake.WaitCall(ctx, "chat.postMessage", func(c fakeslack.Call) bool { return c.Status == http.StatusTooManyRequests }); err != nil {
		t.Fatal(err)
	}
	ann := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U0ANN"}
	waitDelivery(t, cfg, ann, func(d bot.Delivery) bool { return d.Status == bot.StatusPending && d.Attempts > 0 })
	fake.Uninstall("T1")
	post("/slack/events", fake.AppUninstalled("T1"))
	failed := waitDelivery(t, cfg, ann, func(d bot.Delivery) bool { return d.Status == bot.StatusFailed })
	if !strings.Contains(failed.LastError, "app_uninstalled") {
		t.Errorf("T1's pending alert after the uninstall failed with %q, want the reason", failed.LastError)
	}

	// A notice after the removal reaches T2 and makes nothing in T1, not
	// even a delivery that fails.
	before := len(personalData(t, cfg, ann).Deliveries)
	publish(`<item><title>Nieuwbouw sporthal Het Erve</title><link>https://aanbestedingen.example/twente/2026-0414</link>` +
		`<guid>twente-2026-0414</guid><pubDate>` + time.Now().Format(time.RFC1123Z) + `</pubDate>` +
		`<description>Opdrachtgever: Gemeente Enschede. Nieuwbouw van sporthal Het Erve. CPV: 45000000-7. Plaats van uitvoering: NUTS NL213. Sluitingsdatum: 15-02-2027 12:00.</description></item>`)
	if _, err := fake.WaitCall(ctx, "chat.postMessage", func(c fakeslack.Call) bool {
		return c.OK() && c.Param("channel") == fakeslack.DMChannel("U0BEN") && strings.Contains(c.Param("blocks"), "Het Erve")
	}); err != nil {
		t.Fatalf("T2's alert of the notice after T1 removed the app: %v\nT2's deliveries: %+v", err,
			personalData(t, cfg, bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T2", User: "U0BEN"}).Deliveries)
	}
	if after := personalData(t, cfg, ann).Deliveries; len(after) != before {
		t.Errorf("T1, which removed the app, got %d deliveries of the next notice: %+v", len(after)-before, after[before:])
	}

	// The tokens are in the database sealed, never in the clear, and in no
	// log line.
	sealed := storedInstallations(t, cfg)
	if len(sealed) != 1 || sealed[0].Team != "T2" || len(sealed[0].SealedToken) == 0 {
		t.Errorf("installations stored: %+v, want T2's alone (T1 removed the app)", sealed)
	}
	for _, r := range sealed {
		for team, token := range tokens {
			if strings.Contains(string(r.SealedToken), token) {
				t.Errorf("%s's row holds %s's token in the clear", r.Team, team)
			}
		}
	}
	if cfg.DatabaseURL == "" {
		for _, file := range []string{db, db + "-wal"} {
			raw, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			for team, token := range tokens {
				if strings.Contains(string(raw), token) {
					t.Errorf("%s holds %s's token in the clear", file, team)
				}
			}
		}
	}
	for team, token := range tokens {
		if strings.Contains(b.stderr.String(), token) || strings.Contains(b.stdout.String(), token) {
			t.Errorf("%s's token appears in the output", team)
		}
	}
	if !strings.Contains(b.stdout.String(), "Slack app distributed to every workspace") {
		t.Errorf("the first lines do not announce distribution:\n%s", b.stdout.String())
	}
}

// openExisting opens the bot's database beside the running bot, closed
// when t ends.
func openExisting(t *testing.T, cfg Config) store {
	t.Helper()
	s, err := openStore(context.Background(), cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// personalData reads what the database holds about the person.
func personalData(t *testing.T, cfg Config, who bot.Subscriber) bot.PersonalData {
	t.Helper()
	data, err := openExisting(t, cfg).PersonalData(context.Background(), who)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// waitDelivery waits until one of the person's deliveries, read from the
// database, is as cond wants it, and returns it.
func waitDelivery(t *testing.T, cfg Config, who bot.Subscriber, cond func(bot.Delivery) bool) bot.Delivery {
	t.Helper()
	s := openExisting(t, cfg)
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := s.PersonalData(context.Background(), who)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range data.Deliveries {
			if cond(d) {
				return d
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no delivery to %s as wanted: %+v", who.Key(), data.Deliveries)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// storedInstallations reads the installations as the database holds them.
func storedInstallations(t *testing.T, cfg Config) []install.Record {
	t.Helper()
	rs, err := openExisting(t, cfg).Installations(context.Background(), bot.PlatformSlack)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}
