package main

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
)

// TestDiscordEventFormAndAskModal posts an event through the Discord modal
// and asks about it through the Ask a question modal, with the whole bot
// against the fake Discord over the gateway: a start in the past is named
// in the answer, Edit brings back what was typed, a good form is a draft
// that says how to add the fields the modal had no room for; once
// published, a supplier's questions, from the invitation and from the
// announcement, reach the organiser without the supplier's id.
func TestDiscordEventFormAndAskModal(t *testing.T) {
	const (
		staffUser     = "300000000000000009"
		otherUser     = "300000000000000002"
		eventsChannel = "200000000000000009"
	)
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	fake.AddChannel(testGuild, eventsChannel)
	open := make(chan struct{})
	close(open)
	setEnv(t, feedServer(t, open).URL)
	discordEnv(t, fake)
	t.Setenv("TENDERBOT_DISCORD_GUILD_ID", testGuild)
	t.Setenv("TENDERBOT_ADMINS", "discord:discord:"+staffUser)
	t.Setenv("TENDERBOT_EVENT_CHANNELS", "discord:discord:"+eventsChannel)
	b := startBot(t)
	ctx := discordContext(t)
	waitReady(t, httpBase(t, &b.stdout))
	if err := fake.Wait(ctx, func() bool { return len(fake.Commands(testGuild)) == 1 }); err != nil {
		t.Fatalf("/tender was not registered: %v", err)
	}

	staff := fakediscord.Origin{Guild: testGuild, Channel: testChannel, User: staffUser}
	sme := fakediscord.Origin{Guild: testGuild, Channel: testChannel, User: testUser}
	interact := interactWith(ctx, t, fake)
	reply := func(ex *fakediscord.Exchange, want string) *discordgo.Message {
		t.Helper()
		r, err := ex.WaitReply(ctx, want)
		if err != nil {
			t.Fatalf("%v\nstderr:\n%s", err, b.stderr.String())
		}
		return r.Message
	}
	modal := func(ex *fakediscord.Exchange) fakediscord.Response {
		t.Helper()
		r, err := ex.WaitResponse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.Type != discordgo.InteractionResponseModal {
			t.Fatalf("got response type %d, want a modal", r.Type)
		}
		return r
	}
	event := func(o fakediscord.Origin, do string) *fakediscord.Exchange {
		return interact(fakediscord.Command(o, "tender", fakediscord.Subcommand("event", fakediscord.String("do", do))))
	}

	reply(interact(fakediscord.Command(sme, "tender", fakediscord.Subcommand("subscribe", fakediscord.String("query", "cpv:09 nuts:NL21")))), "Saved profile 1")

	// Staff open the form with "/tender event do:new"; it asks for the
	// required fields, five at most.
	form := modal(event(staff, "new"))
	inputs := fakediscord.TextInputs(form.Data.Components)
	var ids []string
	for _, in := range inputs {
		ids = append(ids, in.CustomID)
	}
	if got := strings.Join(ids, ","); got != "title,kind,start,end,place" {
		t.Fatalf("the form asks for %s, want title,kind,start,end,place", got)
	}
	typed := []fakediscord.Field{
		{ID: "title", Value: "Marktconsultatie zonnedaken"}, {ID: "kind", Value: "consultation"},
		{ID: "start", Value: "2020-02-10T14:00+01:00"}, {ID: "end", Value: "16:00"}, {ID: "place", Value: "Stadhuis Almelo"},
	}
	refusal := reply(interact(fakediscord.ModalSubmit(staff, form.Data.CustomID, typed...)), "in the past")
	if text := fakediscord.Text(refusal); !strings.Contains(text, "Start (with time zone)") {
		t.Errorf("the refusal does not name the field: %q", text)
	}
	edit := buttonLabelled(t, refusal, "Edit")
	again := modal(interact(fakediscord.Click(staff, refusal.ID, edit.CustomID)))
	if in := fakediscord.TextInputs(again.Data.Components); in[0].Value != "Marktconsultatie zonnedaken" || in[4].Value != "Stadhuis Almelo" {
		t.Errorf("Edit does not bring back what was typed: %+v", in)
	}
	typed[2].Value = time.Now().AddDate(0, 0, 14).Format("2006-01-02") + "T14:00+01:00"
	draft := reply(interact(fakediscord.ModalSubmit(staff, again.Data.CustomID, typed...)), "Draft saved as event 1")
	if text := fakediscord.Text(draft); !strings.Contains(text, "update 1 key=value") || !strings.Contains(text, "target") {
		t.Errorf("the draft does not say how to add the other fields:\n%s", text)
	}
	buttonLabelled(t, draft, "Publish")

	// The optional fields come with event update; then publish.
	reply(event(staff, `update 1 target="cpv:09331200 nuts:NL21"`), "Updated event 1 (target)")
	reply(event(staff, "publish 1"), "Published event 1")

	// The supplier asks from the invitation in their DM, someone else from
	// the announcement in the events channel.
	ask := func(o fakediscord.Origin, msg *discordgo.Message, question string) *discordgo.Message {
		t.Helper()
		button := buttonLabelled(t, msg, "Ask a question")
		if button.CustomID != "tb1:ask:1:event" {
			t.Errorf("the Ask a question button's custom id: %s", button.CustomID)
		}
		m := modal(interact(fakediscord.Click(o, msg.ID, button.CustomID)))
		in := fakediscord.TextInputs(m.Data.Components)
		if len(in) != 1 || !strings.Contains(m.Data.CustomID, "1") {
			t.Fatalf("the question modal: %+v", m)
		}
		return reply(interact(fakediscord.ModalSubmit(o, m.Data.CustomID, fakediscord.Field{ID: in[0].CustomID, Value: question})), "Your question is Q")
	}
	invitation := waitDM(ctx, t, fake, testUser, "You're invited")
	dm, _ := fake.DMChannel(testUser)
	if got := fakediscord.Text(ask(fakediscord.Origin{Channel: dm, User: testUser}, invitation, "Mogen consortia inschrijven?")); !strings.Contains(got, "Q1") {
		t.Errorf("the answer to the supplier's question: %s", got)
	}
	q1 := waitDM(ctx, t, fake, staffUser, "Mogen consortia inschrijven?")

	var announcement *discordgo.Message
	if err := fake.Wait(ctx, func() bool {
		for _, m := range fake.Messages(eventsChannel) {
			if strings.Contains(fakediscord.Text(m), "Marktconsultatie zonnedaken") {
				announcement = m
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no announcement in the events channel: %v", err)
	}
	other := fakediscord.Origin{Guild: testGuild, Channel: eventsChannel, User: otherUser}
	if got := fakediscord.Text(ask(other, announcement, "Is er parkeergelegenheid?")); !strings.Contains(got, "Q2") {
		t.Errorf("the answer to the second question: %s", got)
	}
	q2 := waitDM(ctx, t, fake, staffUser, "Is er parkeergelegenheid?")
	for name, m := range map[string]*discordgo.Message{"Q1": q1, "Q2": q2} {
		text := fakediscord.Text(m)
		if !strings.Contains(text, name) {
			t.Errorf("the question to staff is not %s:\n%s", name, text)
		}
		if strings.Contains(text, testUser) || strings.Contains(text, otherUser) {
			t.Errorf("the question to staff names the asker:\n%s", text)
		}
	}
}
