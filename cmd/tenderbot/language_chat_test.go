package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
)

// TestSlackFormFollowsChosenLanguage: someone whose Slack is in English
// and who wrote `language nl` gets the profile form, which the app writes
// itself, in Dutch; a colleague who chose nothing gets it in English.
func TestSlackFormFollowsChosenLanguage(t *testing.T) {
	fake := fakeslack.New(fakeslack.Options{PingInterval: 200 * time.Millisecond})
	t.Cleanup(fake.Close)
	fake.SetLocale("U0ANN", "en-US")
	fake.SetLocale("U0BOB", "en-US")
	b := startReadyBot(t, func() { slackEnv(t, fake) })
	ctx := slackContext(t)

	slash := func(user, line string) *fakeslack.Request {
		t.Helper()
		cmd := fake.SlashCommand(fakeslack.SlashCommand{User: user, Channel: "C0TEAM", Text: line})
		if _, err := fake.Deliver(ctx, cmd); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	chose := slash("U0ANN", "language nl")
	answer, err := fake.WaitCall(ctx, "response_url", func(c fakeslack.Call) bool { return c.URL == chose.ResponseURL })
	if err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, b.stderr.String())
	}
	if !strings.Contains(answer.Param("text"), "Nederlands") {
		t.Fatalf("language nl answered %s", answer.JSON)
	}

	for _, tc := range []struct {
		user      string
		want, not []string
	}{
		{user: "U0ANN", want: []string{"Nieuw profiel", "Bekijken", "Annuleren"}, not: []string{"New tender profile"}},
		{user: "U0BOB", want: []string{"New tender profile", "Preview"}, not: []string{"Nieuw profiel"}},
	} {
		cmd := slash(tc.user, "subscribe")
		opened := func(c fakeslack.Call) bool { return c.OK() && strings.Contains(string(c.JSON), cmd.TriggerID) }
		if _, err := fake.WaitCall(ctx, "views.open", opened); err != nil {
			t.Fatalf("no form opened for %s: %v\nstderr:\n%s", tc.user, err, b.stderr.String())
		}
		form, _ := fake.TopView(tc.user)
		for _, w := range tc.want {
			if !strings.Contains(string(form.JSON), w) {
				t.Errorf("%s's form lacks %q:\n%s", tc.user, w, form.JSON)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(string(form.JSON), w) {
				t.Errorf("%s's form says %q:\n%s", tc.user, w, form.JSON)
			}
		}
	}
}

// TestDiscordFormFollowsChosenLanguage: someone whose Discord client is in
// English and who chose `language nl` gets the profile form's title and
// the buttons under its preview, which the adapter writes itself, in
// Dutch; someone who chose nothing gets them in English.
func TestDiscordFormFollowsChosenLanguage(t *testing.T) {
	const otherUser = "300000000000000002"
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	b := startReadyBot(t, func() {
		discordEnv(t, fake)
		t.Setenv("TENDERBOT_DISCORD_GUILD_ID", testGuild)
	})
	ctx := discordContext(t)
	if err := fake.Wait(ctx, func() bool { return len(fake.Commands(testGuild)) == 1 }); err != nil {
		t.Fatalf("/tender was not registered: %v", err)
	}
	interact := interactWith(ctx, t, fake)
	dutch := fakediscord.Origin{Guild: testGuild, Channel: testChannel, User: testUser, Locale: discordgo.EnglishUS}
	english := fakediscord.Origin{Guild: testGuild, Channel: testChannel, User: otherUser, Locale: discordgo.EnglishUS}
	if _, err := interact(fakediscord.Command(dutch, "tender", fakediscord.Subcommand("language", fakediscord.String("language", "nl")))).WaitReply(ctx, "Nederlands"); err != nil {
		t.Fatalf("language nl: %v\nstderr:\n%s", err, b.stderr.String())
	}

	for _, tc := range []struct {
		who           fakediscord.Origin
		title, button string
	}{
		{dutch, "Nieuw profiel", "Annuleren"},
		{english, "New profile", "Cancel"},
	} {
		ex := interact(fakediscord.Command(tc.who, "tender", fakediscord.Subcommand("subscribe")))
		form, err := ex.WaitResponse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if form.Type != discordgo.InteractionResponseModal || form.Data.Title != tc.title {
			t.Fatalf("%s's form: type %d, title %q; want a modal titled %q", tc.who.User, form.Type, form.Data.Title, tc.title)
		}
		preview, err := interact(fakediscord.ModalSubmit(tc.who, form.Data.CustomID, fakediscord.Field{ID: "words", Value: "sporthal"})).WaitReply(ctx, "sporthal")
		if err != nil {
			t.Fatalf("%s's preview: %v\nstderr:\n%s", tc.who.User, err, b.stderr.String())
		}
		buttonLabelled(t, preview.Message, tc.button)
	}
}

// startReadyBot runs the whole bot, its feed published, in the chat that
// chat sets the environment for, and waits until it is ready.
func startReadyBot(t *testing.T, chat func()) *runningBot {
	t.Helper()
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	chat()
	b := startBot(t)
	waitReady(t, httpBase(t, &b.stdout))
	return b
}

// interactWith sends interactions to the fake Discord, failing the test
// when one cannot be sent.
func interactWith(ctx context.Context, t *testing.T, fake *fakediscord.Server) func(*discordgo.Interaction) *fakediscord.Exchange {
	return func(i *discordgo.Interaction) *fakediscord.Exchange {
		t.Helper()
		ex, err := fake.Interact(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		return ex
	}
}

// TestFeedSpeaksTheWorkspaceLanguage: in a workspace whose language is
// Dutch, the feed of events is in Dutch unless its address asks for
// English.
func TestFeedSpeaksTheWorkspaceLanguage(t *testing.T) {
	b := startReadyBot(t, func() {
		t.Setenv("TENDERBOT_CONSOLE", "off")
		t.Setenv("TENDERBOT_LANGUAGE", "nl")
	})
	base := httpBase(t, &b.stdout)
	for path, want := range map[string]string{
		"/events.atom":         `xml:lang="nl"`,
		"/events.atom?lang=en": `xml:lang="en"`,
	} {
		if code, feed := httpGet(t, base+path); code != http.StatusOK || !strings.Contains(feed, want) {
			t.Errorf("%s: %d, want %s in:\n%s", path, code, want, feed)
		}
	}
}
