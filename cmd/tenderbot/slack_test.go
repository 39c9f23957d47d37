package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack"
	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
)

// changingFeed serves testdata/feed.xml without its second item until
// publish is called, then with it, dated now, and with the items publish
// was given (RSS <item> elements) after the file's; every request waits
// until open is closed.
func changingFeed(t *testing.T, open <-chan struct{}) (srv *httptest.Server, publish func(items ...string)) {
	t.Helper()
	full, err := os.ReadFile("testdata/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	// An item dated days before the previous poll is backfill, not news.
	full = bytes.Replace(full, []byte("Sat, 21 Nov 2026 09:00:00 +0100"), []byte(time.Now().Format(time.RFC1123Z)), 1)
	second := regexp.MustCompile(`(?s)\s*<item>.*?</item>`).FindAllIndex(full, -1)[1]
	var mu sync.Mutex
	body := append(append([]byte{}, full[:second[0]]...), full[second[1]:]...)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-open:
		case <-r.Context().Done():
			return
		}
		mu.Lock()
		defer mu.Unlock()
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, func(items ...string) {
		mu.Lock()
		defer mu.Unlock()
		body = full
		for _, item := range items {
			body = bytes.Replace(body, []byte("</channel>"), []byte(item+"</channel>"), 1)
		}
	}
}

// runningBot is the whole bot, run through run() as the binary runs.
type runningBot struct {
	stdout, stderr syncBuffer
}

// startBot runs the bot with the environment set up by the test, until the
// test ends; it must then stop cleanly.
func startBot(t *testing.T) *runningBot {
	t.Helper()
	b := &runningBot{}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, strings.NewReader(""), &b.stdout, &b.stderr) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v\nstderr:\n%s", err, b.stderr.String())
		}
	})
	return b
}

// slackEnv points the bot at a fake Slack, in Socket Mode.
func slackEnv(t *testing.T, fake *fakeslack.Server) {
	t.Helper()
	t.Setenv("TENDERBOT_SLACK_BOT_TOKEN", fake.Options().BotToken)
	t.Setenv("TENDERBOT_SLACK_APP_TOKEN", fake.Options().AppToken)
	t.Setenv("TENDERBOT_SLACK_SIGNING_SECRET", "")
	t.Setenv("TENDERBOT_SLACK_API_URL", fake.APIURL())
}

func slackContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// blocksWith matches chat.postMessage calls whose blocks contain s.
func blocksWith(s string) func(fakeslack.Call) bool {
	return func(c fakeslack.Call) bool { return c.OK() && strings.Contains(c.Param("blocks"), s) }
}

func TestSlackSubscribeAlertClickAndRateLimit(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{PingInterval: 200 * time.Millisecond})
	t.Cleanup(fake.Close)
	subscribed := make(chan struct{})
	feed, publish := changingFeed(t, subscribed)
	setEnv(t, feed.URL)
	t.Setenv("TENDERBOT_POLL_INTERVAL", "1s")
	slackEnv(t, fake)
	b := startBot(t)
	ctx := slackContext(t)
	if err := fake.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}

	// The slash command subscribes, and is answered ephemerally.
	cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U0ANN", Channel: "C0GENERAL", Text: "subscribe sporthal OR leerlingenvervoer"})
	ack, err := fake.Deliver(ctx, cmd)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Latency > 3*time.Second {
		t.Errorf("the slash command was acknowledged after %s; Slack allows 3s", ack.Latency)
	}
	answer, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == cmd.ResponseURL })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(answer.Param("text"), "Saved profile 1") || answer.Param("response_type") != "ephemeral" {
		t.Fatalf("the answer to /tender subscribe: %s", answer.JSON)
	}

	// The first poll is the feed's baseline: its match comes as the preview,
	// by direct message.
	close(subscribed)
	if _, err := fake.WaitCall(ctx, "chat.postMessage", blocksWith("Renovatie sporthal De Sluis")); err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, b.stderr.String())
	}

	// A new item is alerted by DM as Block Kit; the first try is rate
	// limited and the outbox tries again after Retry-After.
	fake.RateLimit("chat.postMessage", 1, time.Second)
	publish()
	alert, err := fake.WaitCall(ctx, "chat.postMessage", blocksWith("Leerlingenvervoer 2027-2031"))
	if err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, b.stderr.String())
	}
	if alert.Param("channel") != fakeslack.DMChannel("U0ANN") {
		t.Errorf("the alert went to %q, want the DM with U0ANN", alert.Param("channel"))
	}
	var opened bool
	for _, c := range fake.Calls("conversations.open") {
		opened = opened || c.Param("users") == "U0ANN"
	}
	if !opened {
		t.Error("no conversations.open for U0ANN")
	}
	for _, want := range []string{"Gemeente Hengelo", "60130000", "NL213", "value not stated", "days left", `"type":"actions"`, "Open notice"} {
		if !strings.Contains(alert.Param("blocks"), want) {
			t.Errorf("the alert's blocks lack %q:\n%s", want, alert.Param("blocks"))
		}
	}
	var limited int
	for _, c := range fake.Calls("chat.postMessage") {
		if c.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("429 answers: got %d, want 1", limited)
	}

	// The Follow button is handled and answered.
	follow := buttonWithPrefix(t, alert.Param("blocks"), "tb1:follow:")
	click := fake.Click(fakeslack.Click{User: "U0ANN", Channel: alert.Param("channel"), MessageTS: alert.TS, ActionID: follow, Value: follow, Text: "Follow"})
	if _, err := fake.Deliver(ctx, click); err != nil {
		t.Fatal(err)
	}
	reply, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == click.ResponseURL })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(reply.Param("text"), "You follow") || reply.Param("response_type") != "ephemeral" {
		t.Errorf("the answer to Follow: %s", reply.JSON)
	}

	// Nothing was lost or sent twice; the bot is ready; no token was logged.
	if n := len(callsMatching(fake.Calls("chat.postMessage"), blocksWith("Leerlingenvervoer 2027-2031"))); n != 1 {
		t.Errorf("the alert was posted %d times, want once", n)
	}
	base := httpBase(t, &b.stdout)
	waitReady(t, base)
	for _, secret := range []string{fake.Options().BotToken, fake.Options().AppToken} {
		if strings.Contains(b.stderr.String(), secret) || strings.Contains(b.stdout.String(), secret) {
			t.Errorf("a token appears in the output")
		}
	}
	if !strings.Contains(b.stdout.String(), "Slack chat over Socket Mode") || strings.Contains(b.stdout.String(), "type `help`") {
		t.Errorf("the first lines should announce Slack and no console:\n%s", b.stdout.String())
	}
}

func TestSlackHTTPModeVerifiesRequests(t *testing.T) {
	const secret = "e2e-signing-secret"
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	slackEnv(t, fake)
	t.Setenv("TENDERBOT_SLACK_APP_TOKEN", "")
	t.Setenv("TENDERBOT_SLACK_SIGNING_SECRET", secret)
	b := startBot(t)
	base := httpBase(t, &b.stdout)
	ctx := slackContext(t)
	waitReady(t, base)

	post := func(path string, r *fakeslack.Request, secret string, at time.Time) int {
		t.Helper()
		return postSlack(ctx, t, base+path, r, secret, at)
	}
	help := fake.SlashCommand(fakeslack.SlashCommand{User: "U0ANN", Channel: "C0GENERAL", Text: "help"})
	if got := post("/slack/commands", help, "not-the-secret", time.Now()); got != http.StatusUnauthorized {
		t.Errorf("a bad signature: got %d, want 401", got)
	}
	if got := post("/slack/commands", help, secret, time.Now().Add(-10*time.Minute)); got != http.StatusUnauthorized {
		t.Errorf("a stale timestamp: got %d, want 401", got)
	}
	at := time.Now()
	if got := post("/slack/commands", help, secret, at); got != http.StatusOK {
		t.Fatalf("a signed command: got %d, want 200\nstderr:\n%s", got, b.stderr.String())
	}
	answer, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == help.ResponseURL })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(answer.Param("blocks"), "subscribe [here]") {
		t.Errorf("the answer to help: %s", answer.JSON)
	}
	if got := post("/slack/commands", help, secret, at); got != http.StatusUnauthorized {
		t.Errorf("the same signed request again: got %d, want 401", got)
	}

	home := fake.AppHomeOpened("U0ANN")
	if got := post("/slack/events", home, secret, time.Now()); got != http.StatusOK {
		t.Fatalf("an event: got %d, want 200", got)
	}
	if _, err := fake.WaitCall(ctx, "views.publish", nil); err != nil {
		t.Fatal(err)
	}
	if got := post("/slack/events", home, secret, time.Now().Add(2*time.Second)); got != http.StatusOK {
		t.Errorf("the event again, signed afresh: got %d, want 200 (taken, not handled twice)", got)
	}
	other := fake.AppHomeOpened("U0BOB")
	post("/slack/events", other, secret, time.Now())
	if _, err := fake.WaitCall(ctx, "views.publish", func(c fakeslack.Call) bool { return c.Param("user_id") == "U0BOB" }); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Calls("views.publish")); n != 2 {
		t.Errorf("views.publish: got %d calls, want 2 (a replayed event_id is not handled again)", n)
	}
	if !strings.Contains(b.stdout.String(), "Slack chat in HTTP mode") {
		t.Errorf("the first lines do not announce HTTP mode:\n%s", b.stdout.String())
	}
}

// postSlack sends r to url as Slack does in HTTP mode, signed with secret
// at at, and returns the status answered.
func postSlack(ctx context.Context, t *testing.T, url string, r *fakeslack.Request, secret string, at time.Time) int {
	t.Helper()
	req, err := r.HTTPRequest(ctx, url, secret, at)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestSlackConfigurationIsExplained(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"user token as bot token", map[string]string{"TENDERBOT_SLACK_BOT_TOKEN": "xoxp-123", "TENDERBOT_SLACK_APP_TOKEN": "xapp-1"},
			[]string{"TENDERBOT_SLACK_BOT_TOKEN", "xoxb-"}},
		{"bot token as app token", map[string]string{"TENDERBOT_SLACK_BOT_TOKEN": "xoxb-1", "TENDERBOT_SLACK_APP_TOKEN": "xoxb-2"},
			[]string{"TENDERBOT_SLACK_APP_TOKEN", "xapp-"}},
		{"app token alone", map[string]string{"TENDERBOT_SLACK_APP_TOKEN": "xapp-1"},
			[]string{"TENDERBOT_SLACK_BOT_TOKEN: is unset"}},
		{"bot token alone", map[string]string{"TENDERBOT_SLACK_BOT_TOKEN": "xoxb-1"},
			[]string{"TENDERBOT_SLACK_APP_TOKEN", "TENDERBOT_SLACK_SIGNING_SECRET"}},
		{"HTTP mode without a listener", map[string]string{"TENDERBOT_SLACK_BOT_TOKEN": "xoxb-1", "TENDERBOT_SLACK_SIGNING_SECRET": "s", "TENDERBOT_HTTP_ADDR": ""},
			[]string{"TENDERBOT_HTTP_ADDR"}},
		{"API URL", map[string]string{"TENDERBOT_SLACK_BOT_TOKEN": "xoxb-1", "TENDERBOT_SLACK_APP_TOKEN": "xapp-1", "TENDERBOT_SLACK_API_URL": "slack.com/api"},
			[]string{"TENDERBOT_SLACK_API_URL"}},
		{"client id without its secret", map[string]string{"TENDERBOT_SLACK_CLIENT_ID": "123.456", "TENDERBOT_SLACK_SIGNING_SECRET": "s"},
			[]string{"TENDERBOT_SLACK_CLIENT_SECRET: is unset"}},
		{"distribution over Socket Mode", map[string]string{"TENDERBOT_SLACK_CLIENT_ID": "123.456", "TENDERBOT_SLACK_CLIENT_SECRET": "cs", "TENDERBOT_SLACK_APP_TOKEN": "xapp-1", "TENDERBOT_SLACK_SIGNING_SECRET": "s", "TENDERBOT_SECRET_KEY": strings.Repeat("k", 32)},
			[]string{"TENDERBOT_SLACK_APP_TOKEN", "Socket Mode is not allowed in the Slack Marketplace"}},
		{"distribution without a signing secret", map[string]string{"TENDERBOT_SLACK_CLIENT_ID": "123.456", "TENDERBOT_SLACK_CLIENT_SECRET": "cs", "TENDERBOT_SECRET_KEY": strings.Repeat("k", 32)},
			[]string{"TENDERBOT_SLACK_SIGNING_SECRET: is unset"}},
		{"distribution without a secret key", map[string]string{"TENDERBOT_SLACK_CLIENT_ID": "123.456", "TENDERBOT_SLACK_CLIENT_SECRET": "cs", "TENDERBOT_SLACK_SIGNING_SECRET": "s"},
			[]string{"TENDERBOT_SECRET_KEY: is unset", "sealed"}},
		{"distribution and a bot token", map[string]string{"TENDERBOT_SLACK_CLIENT_ID": "123.456", "TENDERBOT_SLACK_CLIENT_SECRET": "cs", "TENDERBOT_SLACK_BOT_TOKEN": "xoxb-1", "TENDERBOT_SLACK_SIGNING_SECRET": "s"},
			[]string{"TENDERBOT_SLACK_BOT_TOKEN", "not both"}},
		{"authorize URL", map[string]string{"TENDERBOT_SLACK_CLIENT_ID": "123.456", "TENDERBOT_SLACK_CLIENT_SECRET": "cs", "TENDERBOT_SLACK_SIGNING_SECRET": "s", "TENDERBOT_SECRET_KEY": strings.Repeat("k", 32), "TENDERBOT_SLACK_OAUTH_URL": "slack.com/oauth"},
			[]string{"TENDERBOT_SLACK_OAUTH_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setEnv(t, "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			err := run(context.Background(), nil, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil {
				t.Fatal("the bot started; want a configuration error")
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			for k, v := range tt.env {
				if strings.HasPrefix(k, "TENDERBOT_SLACK_") && (strings.Contains(k, "TOKEN") || strings.Contains(k, "SECRET")) && len(v) > 2 && strings.Contains(err.Error(), v) {
					t.Errorf("the error repeats the value of %s", k)
				}
			}
		})
	}
}

func TestSlackRefusedTokenStopsTheBot(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	setEnv(t, "")
	slackEnv(t, fake)
	t.Setenv("TENDERBOT_SLACK_BOT_TOKEN", "xoxb-revoked")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := run(ctx, nil, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") || !strings.Contains(err.Error(), "TENDERBOT_SLACK_BOT_TOKEN") {
		t.Errorf("got %v, want the refusal naming TENDERBOT_SLACK_BOT_TOKEN", err)
	}
}

// buttonWithPrefix returns the action_id of the first button in blocks
// whose action_id starts with prefix.
func buttonWithPrefix(t *testing.T, blocks, prefix string) string {
	t.Helper()
	id, ok := fakeslack.ButtonID(blocks, prefix)
	if !ok {
		t.Fatalf("no button %s… in %s", prefix, blocks)
	}
	return id
}

func callsMatching(calls []fakeslack.Call, match func(fakeslack.Call) bool) []fakeslack.Call {
	var out []fakeslack.Call
	for _, c := range calls {
		if match(c) {
			out = append(out, c)
		}
	}
	return out
}

// waitReady polls /readyz until the bot is ready.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, body := httpGet(t, base+"/readyz")
		if code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never ready: %s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSlackManifest keeps deploy/slack/manifest.yaml in step with what the
// app handles: the command, the events, interactivity, the Home tab, Socket
// Mode, and the paths HTTP mode serves.
func TestSlackManifest(t *testing.T) {
	manifest, err := os.ReadFile("../../deploy/slack/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"command: /tender", "home_tab_enabled: true", "messages_tab_enabled: true",
		"- commands", "- chat:write", "- im:write", "- im:history", "- channels:history", "- groups:history", "- users:read", "- channels:read", "- groups:read", "- files:write",
		"- app_home_opened", "- message.im", "is_enabled: true", "socket_mode_enabled: true",
		slack.EventsPath, slack.CommandsPath, slack.InteractivityPath,
	} {
		if !strings.Contains(string(manifest), want) {
			t.Errorf("the manifest lacks %q", want)
		}
	}
}

// TestSlackDistributedManifest keeps deploy/slack/manifest-distributed.yaml
// in step with distribution: HTTP mode, the redirect URL of the install's
// callback, the uninstall events, and the scopes the install link asks for.
func TestSlackDistributedManifest(t *testing.T) {
	manifest, err := os.ReadFile("../../deploy/slack/manifest-distributed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"socket_mode_enabled: false", "redirect_urls:", "https://tenderbot.example.org" + slack.OAuthCallbackPath,
		"- app_uninstalled", "- tokens_revoked", "- app_home_opened", "- message.im",
		"https://tenderbot.example.org" + slack.EventsPath, "https://tenderbot.example.org" + slack.CommandsPath, "https://tenderbot.example.org" + slack.InteractivityPath,
	}
	for _, scope := range slack.DefaultScopes {
		want = append(want, "- "+scope+"\n")
	}
	for _, w := range want {
		if !strings.Contains(string(manifest), w) {
			t.Errorf("the distributed manifest lacks %q", w)
		}
	}
}

func TestSlackProfileFormMakesAChannelProfile(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{PingInterval: 200 * time.Millisecond})
	t.Cleanup(fake.Close)
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	slackEnv(t, fake)
	b := startBot(t)
	ctx := slackContext(t)
	waitReady(t, httpBase(t, &b.stdout)) // connected, feeds read

	deliverOK := func(r *fakeslack.Request) fakeslack.Ack {
		t.Helper()
		ack, err := fake.Deliver(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return ack
	}
	cmd := fake.SlashCommand(fakeslack.SlashCommand{User: "U0ANN", Channel: "C0TEAM", Text: "subscribe here"})
	deliverOK(cmd)
	if _, err := fake.WaitCall(ctx, "views.open", fakeslack.Call.OK); err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, b.stderr.String())
	}
	suggest, err := fake.Suggestion("U0ANN", "cpv", "cpv", "45")
	if err != nil {
		t.Fatal(err)
	}
	if ack := deliverOK(suggest); !strings.Contains(string(ack.Payload), `"value":"45`) {
		t.Errorf("no CPV option for 45: %s", ack.Payload)
	}
	submit, err := fake.ViewSubmission("U0ANN", fakeslack.Values{
		"words":    {"words": fakeslack.Text("sporthal")},
		"cpv":      {"cpv": fakeslack.Selected("multi_external_select", "45")},
		"regions":  {"regions": fakeslack.Selected("multi_external_select", "NL21")},
		"delivery": {"delivery": fakeslack.Chosen("radio_buttons", "instant")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ack := deliverOK(submit); !strings.Contains(string(ack.Payload), `"response_action":"push"`) {
		t.Fatalf("the form's submission: %s", ack.Payload)
	}
	preview, _ := fake.TopView("U0ANN")
	if !strings.Contains(string(preview.JSON), "Renovatie sporthal De Sluis") || !strings.Contains(string(preview.JSON), "nuts:NL21") {
		t.Errorf("the preview lacks the match or the query:\n%s", preview.JSON)
	}
	save, _ := fake.ViewSubmission("U0ANN", nil)
	deliverOK(save)
	saved, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == cmd.ResponseURL })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(saved.Param("text"), "Saved profile 1") {
		t.Errorf("the confirmation: %s", saved.JSON)
	}

	list := fake.SlashCommand(fakeslack.SlashCommand{User: "U0BOB", Channel: "C0TEAM", Text: "profiles here"})
	deliverOK(list)
	answer, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == list.ResponseURL })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(answer.Param("blocks"), "sporthal cpv:45") {
		t.Errorf("the channel's profiles, asked by someone else in it, lack the new one: %s", answer.Param("blocks"))
	}
}
