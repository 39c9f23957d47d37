package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/bot"
)

const (
	testGuild   = "100000000000000001"
	testChannel = "200000000000000001"
	testUser    = "300000000000000001"
)

// discordEnv points the bot at a fake Discord, over the gateway.
func discordEnv(t *testing.T, fake *fakediscord.Server) {
	t.Helper()
	t.Setenv("TENDERBOT_DISCORD_TOKEN", fake.Token())
	t.Setenv("TENDERBOT_DISCORD_APP_ID", fake.AppID())
	t.Setenv("TENDERBOT_DISCORD_API_URL", fake.URL())
	t.Setenv("TENDERBOT_DISCORD_PUBLIC_KEY", "")
	t.Setenv("TENDERBOT_DISCORD_GUILD_ID", "")
}

func discordContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitDM waits for a direct message to the user whose text contains want.
func waitDM(ctx context.Context, t *testing.T, fake *fakediscord.Server, user, want string) *discordgo.Message {
	t.Helper()
	var found *discordgo.Message
	err := fake.Wait(ctx, func() bool {
		for _, m := range fake.DMs(user) {
			if strings.Contains(fakediscord.Text(m), want) {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		var got []string
		for _, m := range fake.DMs(user) {
			got = append(got, fakediscord.Text(m))
		}
		t.Fatalf("no DM containing %q; got %q: %v", want, got, err)
	}
	return found
}

// buttonLabelled returns the message's button with the label.
func buttonLabelled(t *testing.T, m *discordgo.Message, label string) *discordgo.Button {
	t.Helper()
	for _, b := range fakediscord.Buttons(m.Components) {
		if b.Label == label {
			return b
		}
	}
	t.Fatalf("the message has no %q button", label)
	return nil
}

// The whole bot against a fake Discord over the gateway: /tender is
// registered in the configured server, /tender subscribe makes a profile, a
// new feed item is alerted by DM as an embed with buttons — once, though
// Discord rate-limits the first try — and the buttons work from the DM.
func TestDiscordSubscribeAlertClickAndRateLimit(t *testing.T) {
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	open := make(chan struct{})
	feed, publish := changingFeed(t, open)
	setEnv(t, feed.URL)
	t.Setenv("TENDERBOT_POLL_INTERVAL", "1s")
	discordEnv(t, fake)
	t.Setenv("TENDERBOT_DISCORD_GUILD_ID", testGuild)
	const title = "Leerlingenvervoer 2027-2031"
	t.Cleanup(func() { // after the bot has stopped: nothing came twice
		n := 0
		for _, m := range fake.DMs(testUser) {
			if strings.Contains(fakediscord.Text(m), title) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("the alert came %d times, want once", n)
		}
	})
	b := startBot(t)
	ctx := discordContext(t)

	waitFor(t, &b.stdout, "tenderbot: invite the Discord bot to a server: https://discord.com/oauth2/authorize?client_id="+fake.AppID())
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	if err := fake.Wait(ctx, func() bool { return len(fake.Commands(testGuild)) == 1 }); err != nil {
		t.Fatalf("/tender was not registered in the guild: %v", err)
	}
	if global := fake.Commands(""); len(global) != 0 {
		t.Errorf("with a guild configured, %d commands were registered globally", len(global))
	}

	alice := fakediscord.Origin{Guild: testGuild, Channel: testChannel, User: testUser}
	ex, err := fake.Interact(ctx, fakediscord.Command(alice, "tender",
		fakediscord.Subcommand("subscribe", fakediscord.String("query", "sporthal OR leerlingenvervoer"))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.WaitReply(ctx, "Saved profile 1"); err != nil {
		t.Fatal(err)
	}
	close(open)
	// The first poll is the feed's baseline: what it holds comes as the
	// profile's preview, by DM.
	waitDM(ctx, t, fake, testUser, "The feeds have loaded")

	// Discord refuses the next message once: the alert goes back into the
	// outbox until retry_after has passed, and comes once.
	fake.RateLimitNext("POST /channels/{channel}/messages", 1, 200*time.Millisecond)
	publish()
	alert := waitDM(ctx, t, fake, testUser, title)
	limited := 0
	for _, c := range fake.CallsTo("POST /channels/{channel}/messages") {
		if c.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("%d sends were rate-limited, want 1", limited)
	}
	if !strings.Contains(alert.Content, `New tender for your profile "sporthal OR leerlingenvervoer"`) || len(alert.Embeds) != 1 {
		t.Errorf("alert: %q with %d embeds", alert.Content, len(alert.Embeds))
	}
	if e := alert.Embeds[0]; e.URL != "https://aanbestedingen.example/twente/2026-0413" || !strings.Contains(fakediscord.Text(alert), "Why it matched: ") {
		t.Errorf("embed: %+v", e)
	}
	if b := buttonLabelled(t, alert, "Open notice"); b.URL != "https://aanbestedingen.example/twente/2026-0413" {
		t.Errorf("link button to %q", b.URL)
	}

	// The buttons work from the DM, for the profile made in the server.
	dm, _ := fake.DMChannel(testUser)
	inDM := fakediscord.Origin{Channel: dm, User: testUser}
	for label, want := range map[string]string{"Follow": "You follow", "Mute buyer": "Muted"} {
		button := buttonLabelled(t, alert, label)
		if _, err := bot.ParseAction(button.CustomID); err != nil {
			t.Errorf("%s button's custom id %q: %v", label, button.CustomID, err)
		}
		click, err := fake.Interact(ctx, fakediscord.Click(inDM, alert.ID, button.CustomID))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := click.WaitReply(ctx, want); err != nil {
			t.Errorf("%s: %v", label, err)
		}
	}
	waitReady(t, httpBase(t, &b.stdout))
	if strings.Contains(b.stderr.String(), fake.Token()) {
		t.Error("the log shows the bot token")
	}
}

// HTTP interactions: Discord's PING is answered, a signed command works,
// and bad signatures, stale timestamps and replays get 401.
func TestDiscordHTTPInteractions(t *testing.T) {
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	discordEnv(t, fake)
	t.Setenv("TENDERBOT_DISCORD_PUBLIC_KEY", fake.PublicKey())
	b := startBot(t)
	ctx := discordContext(t)
	waitFor(t, &b.stdout, "Discord chat in HTTP mode")
	endpoint := httpBase(t, &b.stdout) + "/discord/interactions"
	if err := fake.Wait(ctx, func() bool { return len(fake.Commands("")) == 1 }); err != nil {
		t.Fatalf("/tender was not registered globally: %v", err)
	}

	ping, err := fake.Deliver(ctx, endpoint, fakediscord.Ping())
	if err != nil {
		t.Fatal(err)
	}
	if r := ping.Responses()[0]; r.Type != discordgo.InteractionResponsePong {
		t.Errorf("PING answered with type %d", r.Type)
	}
	o := fakediscord.Origin{Guild: testGuild, Channel: testChannel, User: testUser}
	ex, err := fake.Deliver(ctx, endpoint, fakediscord.Command(o, "tender", fakediscord.Subcommand("subscribe", fakediscord.String("query", "cpv:45"))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.WaitReply(ctx, "Saved profile 1"); err != nil {
		t.Fatal(err)
	}

	_, other, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, body, err := fake.Prepare(fakediscord.Command(o, "tender", fakediscord.Subcommand("profiles")))
	if err != nil {
		t.Fatal(err)
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	forged := hex.EncodeToString(ed25519.Sign(other, append([]byte(now), body...)))
	staleTS, staleSig := fake.Sign(time.Now().Add(-10*time.Minute), body)
	goodTS, goodSig := fake.Sign(time.Now(), body)
	for _, tt := range []struct {
		name, ts, sig string
		want          int
	}{
		{"signed by another key", now, forged, http.StatusUnauthorized},
		{"signed ten minutes ago", staleTS, staleSig, http.StatusUnauthorized},
		{"signed now", goodTS, goodSig, http.StatusOK},
		{"the same again", goodTS, goodSig, http.StatusUnauthorized},
	} {
		status, answer, err := fake.Post(ctx, endpoint, body, tt.ts, tt.sig)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if status != tt.want {
			t.Errorf("%s: got %d %s, want %d", tt.name, status, answer, tt.want)
		}
	}
	if n := len(fake.Identifies()); n != 0 {
		t.Errorf("in HTTP mode the bot opened %d gateway sessions", n)
	}
}

func TestDiscordConfigurationIsExplained(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"token without app id", map[string]string{"TENDERBOT_DISCORD_TOKEN": "abc.def.ghi"}, "TENDERBOT_DISCORD_APP_ID: is unset"},
		{"app id that is no id", map[string]string{"TENDERBOT_DISCORD_TOKEN": "abc", "TENDERBOT_DISCORD_APP_ID": "tenderbot"}, "TENDERBOT_DISCORD_APP_ID: \"tenderbot\" is not an application id"},
		{"app id without token", map[string]string{"TENDERBOT_DISCORD_APP_ID": "123456789012345678"}, "TENDERBOT_DISCORD_TOKEN: is unset"},
		{"public key that is no key", map[string]string{"TENDERBOT_DISCORD_TOKEN": "abc", "TENDERBOT_DISCORD_APP_ID": "123456789012345678", "TENDERBOT_DISCORD_PUBLIC_KEY": "xyz"}, "64 hexadecimal characters"},
		{"HTTP mode without a listener", map[string]string{"TENDERBOT_DISCORD_TOKEN": "abc", "TENDERBOT_DISCORD_APP_ID": "123456789012345678", "TENDERBOT_DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32), "TENDERBOT_HTTP_ADDR": ""}, "TENDERBOT_HTTP_ADDR: is empty"},
		{"guild id that is no id", map[string]string{"TENDERBOT_DISCORD_TOKEN": "abc", "TENDERBOT_DISCORD_APP_ID": "123456789012345678", "TENDERBOT_DISCORD_GUILD_ID": "my server"}, "Copy Server ID"},
		{"API URL", map[string]string{"TENDERBOT_DISCORD_API_URL": "discord.com"}, "TENDERBOT_DISCORD_API_URL: \"discord.com\" is not an http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setEnv(t, "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			err := run(context.Background(), nil, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
			if err != nil && tt.env["TENDERBOT_DISCORD_TOKEN"] != "" && strings.Contains(err.Error(), tt.env["TENDERBOT_DISCORD_TOKEN"]) {
				t.Errorf("the error repeats the token: %v", err)
			}
		})
	}
}

// A token Discord refuses stops the bot, naming the variable to fix.
func TestDiscordRefusedTokenStopsTheBot(t *testing.T) {
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	setEnv(t, "")
	discordEnv(t, fake)
	t.Setenv("TENDERBOT_DISCORD_TOKEN", "not-the-token")
	ctx := discordContext(t)
	err := run(ctx, nil, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "check TENDERBOT_DISCORD_TOKEN") || strings.Contains(err.Error(), "not-the-token") {
		t.Errorf("got %v, want a refusal naming TENDERBOT_DISCORD_TOKEN, without the token", err)
	}
}
