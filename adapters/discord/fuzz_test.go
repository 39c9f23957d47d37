package discord

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/bot"
)

// FuzzInteraction feeds arbitrary interaction bodies, as an HTTP endpoint
// receives them once the signature checks out, through the adapter's
// parsing and planning: nothing may panic, and every first response must be
// one Discord accepts for the interaction's type.
func FuzzInteraction(f *testing.F) {
	fake := fakediscord.New(fakediscord.Options{})
	defer fake.Close()
	if err := fake.RegisterCommands("", applicationCommands()); err != nil {
		f.Fatal(err)
	}
	o := fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1"}
	dm := fakediscord.Origin{Channel: "D1", User: "U1"}
	seeds := []*discordgo.Interaction{
		fakediscord.Ping(),
		fakediscord.Command(o, "tender", fakediscord.Subcommand("subscribe", fakediscord.String("query", "cpv:45"), fakediscord.Bool("here", true))),
		fakediscord.Command(dm, "tender", fakediscord.Subcommand("subscribe", fakediscord.Bool("here", true))),
		fakediscord.Command(o, "tender", fakediscord.Subcommand("unsubscribe", fakediscord.String("which", "1"))),
		fakediscord.Autocomplete(o, "tender", fakediscord.Subcommand("subscribe", fakediscord.Focused(fakediscord.String("region", "NL")))),
		fakediscord.Click(o, "M1", testCard(1).Actions[0].String()),
		fakediscord.Click(o, "M1", formID(stepSave, "0011")),
		fakediscord.ModalSubmit(o, formID(stepSubmit, "0011"), fakediscord.Field{ID: "words", Value: "x"}),
		fakediscord.Command(o, "tender", fakediscord.Subcommand("event", fakediscord.String("do", "new"))),
		fakediscord.ModalSubmit(o, formID(stepEvent, "0011"), fakediscord.Field{ID: "title", Value: "x"}, fakediscord.Field{ID: "start", Value: "yesterday"}),
		fakediscord.Click(dm, "M1", formID(stepEventEdit, "0011")),
		fakediscord.Click(dm, "M1", bot.Action{Kind: bot.ActionAsk, EventID: 9223372036854775807}.String()),
		fakediscord.ModalSubmit(dm, formID(stepAsk, "12"), fakediscord.Field{ID: inputQuestion, Value: "Mag het?"}),
		fakediscord.ModalSubmit(dm, formID(stepAsk, "-1"), fakediscord.Field{ID: inputQuestion, Value: "Mag het?"}),
	}
	for _, i := range seeds {
		_, body, err := fake.Prepare(i)
		if err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(body))
	}
	f.Add([]byte(`{"type":2,"data":{"name":"tender","options":[{"type":1,"name":"subscribe","options":[{"type":3,"name":"query","value":7}]}]},"member":{"user":{"id":"1"}}}`))
	f.Add([]byte(`{"type":3,"data":{"custom_id":"tbform:edit:"},"user":{"id":"1"}}`))
	d, err := New(Options{Token: "t", AppID: "1"})
	if err != nil {
		f.Fatal(err)
	}
	core := &stubCore{}
	f.Fuzz(func(t *testing.T, body []byte) {
		var i discordgo.Interaction
		if err := json.Unmarshal(body, &i); err != nil {
			return
		}
		resp, _ := d.plan(core, &i)
		if resp == nil {
			return
		}
		out, err := json.Marshal(resp)
		if err != nil {
			t.Fatalf("encode response: %v", err)
		}
		if err := fakediscord.ValidateResponse(i.Type, out); err != nil {
			t.Errorf("Discord would refuse the response %s to %s: %v", out, body, err)
		}
	})
}
