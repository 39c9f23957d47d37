package discord

import (
	"reflect"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/bot"
)

// One adapter serves all the subtests: closing a discordgo session takes a
// second.
func TestGateway(t *testing.T) {
	r := start(t, nil)
	guild := fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1"}

	t.Run("identifies and registers /tender globally", func(t *testing.T) {
		ids := r.fake.Identifies()
		if len(ids) != 1 || ids[0].Intents != discordgo.IntentsGuilds {
			t.Errorf("identify: got %+v, want one with intents GUILDS", ids)
		}
		cmds := r.fake.Commands("")
		if len(cmds) != 1 || cmds[0].Name != "tender" {
			t.Fatalf("registered: got %v, want /tender", cmds)
		}
		var names []string
		for _, o := range cmds[0].Options {
			names = append(names, o.Name)
		}
		if got := strings.Join(names, ","); got != "subscribe,profiles,unsubscribe,pause,resume,rename,edit,search,home,follow,unfollow,why,events,event,digest,quiet,language,deliveries,feeds,feed,role,roles,my-data,forget-me,help" {
			t.Errorf("subcommands: got %s", got)
		}
		if l := cmds[0].DescriptionLocalizations; l == nil || (*l)[discordgo.Dutch] != "Openbare aanbestedingen en marktconsultaties die bij je bedrijf passen" {
			t.Errorf("/tender's Dutch description: got %v", l)
		}
		subscribe := cmds[0].Options[0]
		if got, want := subscribe.DescriptionLocalizations[discordgo.Dutch], "Meldingen van aankondigingen die bij een profiel passen; zonder zoekvraag opent een formulier"; got != want {
			t.Errorf("subscribe's Dutch description: got %q, want %q", got, want)
		}
		if got, want := subscribe.Options[0].DescriptionLocalizations[discordgo.Dutch], "Waar je naar zoekt, bijv. renovatie sporthal cpv:45 nuts:NL21"; got != want {
			t.Errorf("subscribe query's Dutch description: got %q, want %q", got, want)
		}
	})

	t.Run("a subcommand becomes a command line, answered ephemerally", func(t *testing.T) {
		ex, err := r.fake.Interact(testCtx(t), fakediscord.Command(guild, "tender", fakediscord.Subcommand("subscribe",
			fakediscord.String("query", "renovatie"), fakediscord.String("name", `Bouw "Twente"`),
			fakediscord.String("cpv", "45000000"), fakediscord.String("region", "NL21"), fakediscord.Bool("here", true))))
		if err != nil {
			t.Fatal(err)
		}
		reply, err := ex.WaitReply(testCtx(t), "ran")
		if err != nil {
			t.Fatal(err)
		}
		resp := ex.Responses()[0]
		if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || resp.Data.Flags != discordgo.MessageFlagsEphemeral {
			t.Errorf("first response: got type %d flags %d, want an ephemeral deferral", resp.Type, resp.Data.Flags)
		}
		if reply.Kind != "edit" {
			t.Errorf("the answer came as %s, want an edit of the deferral", reply.Kind)
		}
		cmd, _ := r.core.lastCommand()
		want := bot.Command{From: bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: Workspace, User: "U1"}, Channel: "C1",
			Text: `subscribe here name="Bouw 'Twente'" renovatie cpv:45000000 nuts:NL21`, Locale: "en-US"}
		if !reflect.DeepEqual(cmd, want) {
			t.Errorf("command: got %+v, want %+v", cmd, want)
		}
	})

	t.Run("in a DM the person is the same and there is no channel", func(t *testing.T) {
		dm := fakediscord.Origin{Channel: "D1", User: "U2"}
		ex, err := r.fake.Interact(testCtx(t), fakediscord.Command(dm, "tender", fakediscord.Subcommand("profiles")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ex.WaitReply(testCtx(t), "ran `profiles`"); err != nil {
			t.Fatal(err)
		}
		cmd, _ := r.core.lastCommand()
		if cmd.From.Workspace != Workspace || cmd.From.User != "U2" || cmd.Channel != "" {
			t.Errorf("command from a DM: got %+v", cmd)
		}
	})

	t.Run("a card's button is the core's action, answered to the clicker", func(t *testing.T) {
		a := testCard(3).Actions[2]
		ex, err := r.fake.Interact(testCtx(t), fakediscord.Click(guild, "M1", a.String()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ex.WaitReply(testCtx(t), "did mute_buyer on "+a.NoticeRef+" for U1"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a foreign button gets the core's explanation", func(t *testing.T) {
		ex, err := r.fake.Interact(testCtx(t), fakediscord.Click(guild, "M1", "something-else"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ex.WaitReply(testCtx(t), "not one of mine"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("cpv autocompletes from the core's vocabulary", func(t *testing.T) {
		ex, err := r.fake.Interact(testCtx(t), fakediscord.Autocomplete(guild, "tender", fakediscord.Subcommand("search",
			fakediscord.String("query", "x"), fakediscord.Focused(fakediscord.String("cpv", "45")))))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := ex.WaitResponse(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Data.Choices) != 2 || resp.Data.Choices[0].Name != "45000000 Construction work" || resp.Data.Choices[0].Value != "45000000" {
			t.Errorf("choices: got %+v", resp.Data.Choices)
		}
	})

	t.Run("a Dutch client: its locale reaches the core, and the form is in Dutch", func(t *testing.T) {
		dutch := guild
		dutch.User, dutch.Locale = "U9", discordgo.Dutch
		ex, err := r.fake.Interact(testCtx(t), fakediscord.Command(dutch, "tender", fakediscord.Subcommand("help")))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ex.WaitReply(testCtx(t), ""); err != nil {
			t.Fatal(err)
		}
		if cmd, _ := r.core.lastCommand(); cmd.Locale != "nl" {
			t.Errorf("locale: got %q, want nl", cmd.Locale)
		}
		ex, err = r.fake.Interact(testCtx(t), fakediscord.Command(dutch, "tender", fakediscord.Subcommand("subscribe")))
		if err != nil {
			t.Fatal(err)
		}
		modal, err := ex.WaitResponse(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		if modal.Data.Title != "Nieuw profiel" {
			t.Errorf("modal title: got %q, want %q", modal.Data.Title, "Nieuw profiel")
		}
	})

	t.Run("subscribe without a query: form, preview, save", func(t *testing.T) {
		testFormFlow(t, r, guild)
	})

	t.Run("event new alone: the event form, a refusal naming the field, edit, draft", func(t *testing.T) {
		testEventForm(t, r, guild)
	})

	t.Run("an event's Ask a question: a modal, then the core", func(t *testing.T) {
		testAskModal(t, r, fakediscord.Origin{Channel: "D3", User: "U3"})
	})
}

// testFormFlow walks the profile form: the modal, a bad submission, an
// edit, a good one, and Save.
func testFormFlow(t *testing.T, r running, o fakediscord.Origin) {
	ex, err := r.fake.Interact(testCtx(t), fakediscord.Command(o, "tender", fakediscord.Subcommand("subscribe", fakediscord.Bool("here", true))))
	if err != nil {
		t.Fatal(err)
	}
	modal, err := ex.WaitResponse(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if modal.Type != discordgo.InteractionResponseModal || len(fakediscord.TextInputs(modal.Data.Components)) != 5 {
		t.Fatalf("got response %+v, want a modal of five inputs", modal)
	}
	if modal.Data.Title != "New profile for this channel" {
		t.Errorf("modal title: %q", modal.Data.Title)
	}

	// Nothing filled in: the core's complaint, and no Save button.
	empty, err := r.fake.Interact(testCtx(t), fakediscord.ModalSubmit(o, modal.Data.CustomID))
	if err != nil {
		t.Fatal(err)
	}
	complaint, err := empty.WaitReply(testCtx(t), "Fill in at least")
	if err != nil {
		t.Fatal(err)
	}
	if got := labels(complaint.Message); got != "Edit,Cancel" {
		t.Errorf("buttons under a refused form: got %s, want Edit,Cancel", got)
	}

	submitted, err := r.fake.Interact(testCtx(t), fakediscord.ModalSubmit(o, modal.Data.CustomID,
		fakediscord.Field{ID: "words", Value: "renovatie"},
		fakediscord.Field{ID: "cpv", Value: "45000000 Construction work, 45210000"},
		fakediscord.Field{ID: "regions", Value: "NL21"},
		fakediscord.Field{ID: "value", Value: "50k..2m"},
		fakediscord.Field{ID: "kinds", Value: "early engagement, tender"}))
	if err != nil {
		t.Fatal(err)
	}
	want := "renovatie cpv:45000000,45210000 nuts:NL21 value:50k..2m kind:early,tender"
	preview, err := submitted.WaitReply(testCtx(t), "`"+want+"`")
	if err != nil {
		t.Fatal(err)
	}
	if got := labels(preview.Message); got != "Save profile,Edit,Cancel,Follow,Not relevant,Mute buyer,Open notice" {
		t.Errorf("preview buttons: got %s", got)
	}

	// Edit reopens the modal with what was typed.
	edit, err := r.fake.Interact(testCtx(t), fakediscord.Click(o, preview.Message.ID, fakediscord.Buttons(preview.Message.Components)[1].CustomID))
	if err != nil {
		t.Fatal(err)
	}
	reopened, err := edit.WaitResponse(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if in := fakediscord.TextInputs(reopened.Data.Components); reopened.Type != discordgo.InteractionResponseModal || in[3].Value != "50k..2m" {
		t.Errorf("edit: got %+v, want the modal filled in", reopened)
	}

	save := fakediscord.Buttons(preview.Message.Components)[0].CustomID
	saved, err := r.fake.Interact(testCtx(t), fakediscord.Click(o, preview.Message.ID, save))
	if err != nil {
		t.Fatal(err)
	}
	done, err := saved.WaitReply(testCtx(t), "Saved profile `"+want+"`")
	if err != nil {
		t.Fatal(err)
	}
	if done.Message.ID != preview.Message.ID || len(done.Message.Components) != 0 {
		t.Errorf("save should replace the preview and its buttons: got %+v", done.Message)
	}
	r.core.mu.Lock()
	channels := append([]string(nil), r.core.channels...)
	r.core.mu.Unlock()
	if len(channels) != 1 || channels[0] != o.Channel {
		t.Errorf("saved for channels %q, want [%q]", channels, o.Channel)
	}

	// The form is gone: a second Save saves nothing.
	again, err := r.fake.Interact(testCtx(t), fakediscord.Click(o, preview.Message.ID, save))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.WaitReply(testCtx(t), "expired"); err != nil {
		t.Fatal(err)
	}
}

// labels lists a message's button labels.
func labels(m *discordgo.Message) string {
	var out []string
	for _, b := range fakediscord.Buttons(m.Components) {
		out = append(out, b.Label)
	}
	return strings.Join(out, ",")
}

func TestCommandsCarryWhetherTheMemberManagesTheChannel(t *testing.T) {
	r := start(t, nil)
	tests := []struct {
		name        string
		permissions int64
		want        bool
	}{
		{"a member", discordgo.PermissionSendMessages, false},
		{"Manage Channels", discordgo.PermissionManageChannels, true},
		{"Manage Server", discordgo.PermissionManageServer, true},
		{"Administrator", discordgo.PermissionAdministrator, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			origin := fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1", Permissions: tt.permissions}
			_, n := r.core.lastCommand()
			if _, err := r.fake.Interact(testCtx(t), fakediscord.Command(origin, "tender", fakediscord.Subcommand("profiles", fakediscord.Bool("here", true)))); err != nil {
				t.Fatal(err)
			}
			wait(t, "the command to reach the core", func() bool { _, m := r.core.lastCommand(); return m > n })
			if c, _ := r.core.lastCommand(); c.ChannelManager != tt.want {
				t.Errorf("ChannelManager: got %v, want %v", c.ChannelManager, tt.want)
			}
		})
	}
}

func TestMutingABuyerCarriesWhetherTheMemberManagesTheChannel(t *testing.T) {
	r := start(t, nil)
	mute := testCard(3).Actions[2]
	if mute.Kind != bot.ActionMuteBuyer {
		t.Fatalf("the card's third button is %s, want mute_buyer", mute.Kind)
	}
	for _, tt := range []struct {
		permissions int64
		want        bool
	}{{discordgo.PermissionSendMessages, false}, {discordgo.PermissionManageChannels, true}} {
		origin := fakediscord.Origin{Guild: "G1", Channel: "C1", User: "U1", Permissions: tt.permissions}
		ex, err := r.fake.Interact(testCtx(t), fakediscord.Click(origin, "M1", mute.String()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ex.WaitReply(testCtx(t), "did mute_buyer"); err != nil {
			t.Fatal(err)
		}
		r.core.mu.Lock()
		got := r.core.clicks[len(r.core.clicks)-1].ChannelManager
		r.core.mu.Unlock()
		if got != tt.want {
			t.Errorf("permissions %d: ChannelManager %v, want %v", tt.permissions, got, tt.want)
		}
	}
}

func TestMentionsInACommand(t *testing.T) {
	users, roles := mentionsIn("subscribe here mention=<@&111> <@!222> <@333> @everyone <@&x> cpv:45")
	if want := map[string]string{"<@&111>": "111"}; !reflect.DeepEqual(roles, want) {
		t.Errorf("roles: got %v, want %v", roles, want)
	}
	if want := (bot.Mentions{"<@!222>": "222", "<@333>": "333"}); users == nil || !reflect.DeepEqual(*users, want) {
		t.Errorf("users: got %v, want %v", users, want)
	}
	if users, roles := mentionsIn("search cpv:45"); users != nil || roles != nil {
		t.Errorf("no mentions: got %v, %v", users, roles)
	}
}
