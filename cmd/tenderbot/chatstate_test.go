package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/storage/postgres/pgtest"
)

// TestReplicasAnswerEachOthersRequests runs two bots on one PostgreSQL
// database, as two replicas behind one HTTP port, with Slack and Discord
// in HTTP mode, and sends each step of a conversation to either of them:
// a Discord profile form opened on one is submitted and saved on the
// other, a Slack event redelivered to the other is not handled twice, and
// a signed request replayed to the other is refused.
func TestReplicasAnswerEachOthersRequests(t *testing.T) {
	const secret = "replicas-signing-secret"
	url := pgtest.URL(t)
	slackFake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(slackFake.Close)
	discordFake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(discordFake.Close)
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	t.Setenv("TENDERBOT_DATABASE_URL", url)
	slackEnv(t, slackFake)
	t.Setenv("TENDERBOT_SLACK_APP_TOKEN", "")
	t.Setenv("TENDERBOT_SLACK_SIGNING_SECRET", secret)
	discordEnv(t, discordFake)
	t.Setenv("TENDERBOT_DISCORD_PUBLIC_KEY", discordFake.PublicKey())
	a, b := startBot(t), startBot(t)
	bases := []string{httpBase(t, &a.stdout), httpBase(t, &b.stdout)}
	for _, base := range bases {
		waitReady(t, base)
	}

	t.Run("a Discord form goes on where the last step was answered", func(t *testing.T) {
		ctx := discordContext(t)
		o := fakediscord.Origin{Guild: testGuild, Channel: testChannel, User: testUser}
		endpoint := func(i int) string { return bases[i] + "/discord/interactions" }
		opened, err := discordFake.Deliver(ctx, endpoint(0), fakediscord.Command(o, "tender", fakediscord.Subcommand("subscribe")))
		if err != nil {
			t.Fatal(err)
		}
		modal, err := opened.WaitResponse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if modal.Type != discordgo.InteractionResponseModal {
			t.Fatalf("subscribe: got response %+v, want the form", modal)
		}
		submitted, err := discordFake.Deliver(ctx, endpoint(1), fakediscord.ModalSubmit(o, modal.Data.CustomID,
			fakediscord.Field{ID: "words", Value: "renovatie"}, fakediscord.Field{ID: "cpv", Value: "45000000"}))
		if err != nil {
			t.Fatal(err)
		}
		preview, err := submitted.WaitReply(ctx, "renovatie cpv:45000000")
		if err != nil {
			t.Fatalf("the other replica did not preview the form: %v", err)
		}
		save := fakediscord.Buttons(preview.Message.Components)[0].CustomID
		saved, err := discordFake.Deliver(ctx, endpoint(0), fakediscord.Click(o, preview.Message.ID, save))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := saved.WaitReply(ctx, "Saved profile 1"); err != nil {
			t.Fatalf("Save on the first replica: %v", err)
		}
		again, err := discordFake.Deliver(ctx, endpoint(1), fakediscord.Click(o, preview.Message.ID, save))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := again.WaitReply(ctx, "expired"); err != nil {
			t.Errorf("Save again on the other replica: %v, want the form gone", err)
		}
	})

	t.Run("Slack's events and signed requests count once across replicas", func(t *testing.T) {
		ctx := slackContext(t)
		post := func(i int, path string, r *fakeslack.Request, at time.Time) int {
			t.Helper()
			return postSlack(ctx, t, bases[i]+path, r, secret, at)
		}
		home := slackFake.AppHomeOpened("U0ANN")
		if got := post(0, "/slack/events", home, time.Now()); got != http.StatusOK {
			t.Fatalf("an event: got %d, want 200", got)
		}
		if _, err := slackFake.WaitCall(ctx, "views.publish", nil); err != nil {
			t.Fatal(err)
		}
		if got := post(1, "/slack/events", home, time.Now().Add(time.Second)); got != http.StatusOK {
			t.Errorf("the event redelivered to the other replica: got %d, want 200 (taken, not handled twice)", got)
		}
		other := slackFake.AppHomeOpened("U0BOB")
		post(1, "/slack/events", other, time.Now())
		if _, err := slackFake.WaitCall(ctx, "views.publish", func(c fakeslack.Call) bool { return c.Param("user_id") == "U0BOB" }); err != nil {
			t.Fatal(err)
		}
		if n := len(slackFake.Calls("views.publish")); n != 2 {
			t.Errorf("views.publish: got %d calls, want 2 (the redelivered event_id is not handled again)", n)
		}
		help := slackFake.SlashCommand(fakeslack.SlashCommand{User: "U0ANN", Channel: "C0GENERAL", Text: "help"})
		at := time.Now()
		if got := post(0, "/slack/commands", help, at); got != http.StatusOK {
			t.Fatalf("a signed command: got %d, want 200", got)
		}
		if got := post(1, "/slack/commands", help, at); got != http.StatusUnauthorized {
			t.Errorf("the same signed request to the other replica: got %d, want 401", got)
		}
	})
}
