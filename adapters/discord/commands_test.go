package discord

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/bot"
)

func TestCommandText(t *testing.T) {
	tests := []struct {
		sub  *fakediscord.Option
		want string
	}{
		{fakediscord.Subcommand("subscribe", fakediscord.String("query", "zonne* -asbest"), fakediscord.String("region", "NL21")), "subscribe zonne* -asbest nuts:NL21"},
		{fakediscord.Subcommand("unsubscribe", fakediscord.String("which", "2"), fakediscord.Bool("here", true)), "unsubscribe here 2"},
		{fakediscord.Subcommand("search", fakediscord.String("query", "bouw"), fakediscord.String("cpv", "45")), "search bouw cpv:45"},
		{fakediscord.Subcommand("digest", fakediscord.String("profile", "1"), fakediscord.String("mode", "weekly")), "digest 1 weekly"},
		{fakediscord.Subcommand("quiet", fakediscord.String("hours", "22:00-07:00")), "quiet 22:00-07:00"},
		{fakediscord.Subcommand("deliveries"), "deliveries failed"},
		{fakediscord.Subcommand("feed", fakediscord.String("action", "add"), fakediscord.String("target", "https://example.org/rss"), fakediscord.Bool("confirm", true)), "feed add https://example.org/rss confirm"},
		{fakediscord.Subcommand("role", fakediscord.String("action", "grant"), &fakediscord.Option{Name: "user", Type: 6, Value: "42"}, fakediscord.String("role", "partner")), "role grant 42 partner"},
		{fakediscord.Subcommand("my-data"), "my data"},
		{fakediscord.Subcommand("forget-me", fakediscord.Bool("confirm", false)), "forget me"},
		{fakediscord.Subcommand("help", fakediscord.String("command", "subscribe")), "help subscribe"},
		{fakediscord.Subcommand("events"), "events"},
		{fakediscord.Subcommand("why", fakediscord.String("ref", "3f2a9c0d1e4b5a6f"), fakediscord.Bool("here", true)), "why here 3f2a9c0d1e4b5a6f"},
		{fakediscord.Subcommand("event", fakediscord.String("do", `new title="Zon" kind=webinar`)), `event new title="Zon" kind=webinar`},
		{fakediscord.Subcommand("event", fakediscord.String("do", "ask 1 Mag het?")), "event ask 1 Mag het?"},
	}
	for _, tt := range tests {
		i := fakediscord.Command(fakediscord.Origin{User: "U1"}, "tender", tt.sub)
		inv, err := parseInvocation(i.ApplicationCommandData())
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := commandText(inv); !ok || got != tt.want {
			t.Errorf("/tender %s: got %q (%v), want %q", tt.sub.Name, got, ok, tt.want)
		}
	}
	fake := fakediscord.New(fakediscord.Options{})
	defer fake.Close()
	if err := fake.RegisterCommands("", applicationCommands()); err != nil {
		t.Errorf("Discord would refuse /tender: %v", err)
	}
}

// TestSubcommandsAreTheCatalogue checks /tender as Discord has it
// registered against the core's catalogue: the same commands in the same
// order, each with the core's options, so Discord offers no command the
// core lacks and misses none it has.
func TestSubcommandsAreTheCatalogue(t *testing.T) {
	fake := fakediscord.New(fakediscord.Options{})
	defer fake.Close()
	if err := fake.RegisterCommands("", applicationCommands()); err != nil {
		t.Fatal(err)
	}
	var registered []*discordgo.ApplicationCommandOption
	for _, c := range fake.Commands("") {
		if c.Name == commandName {
			registered = c.Options
		}
	}
	cmds := menuCommands(bot.Commands())
	if len(registered) != len(cmds) {
		t.Errorf("Discord has %d subcommands, the core %d commands", len(registered), len(cmds))
	}
	for i := range max(len(registered), len(cmds)) {
		var got, want string
		if i < len(registered) {
			got = describeSubcommand(registered[i])
		}
		if i < len(cmds) {
			want = describeCommand(cmds[i])
		}
		if got != want {
			t.Errorf("subcommand %d:\n got  %s\n want %s", i+1, got, want)
		}
	}
}

// describeSubcommand and describeCommand write a subcommand and a core
// command in the same words, to compare them.
func describeSubcommand(s *discordgo.ApplicationCommandOption) string {
	kinds := map[discordgo.ApplicationCommandOptionType]bot.OptionKind{
		discordgo.ApplicationCommandOptionBoolean: bot.OptionFlag,
		discordgo.ApplicationCommandOptionUser:    bot.OptionUser,
	}
	words := []string{s.Name, s.Description}
	for _, o := range s.Options {
		kind, ok := kinds[o.Type]
		switch {
		case ok:
		case o.Autocomplete:
			kind = bot.OptionCode
		case len(o.Choices) > 0:
			kind = bot.OptionChoice
		default:
			kind = bot.OptionText
		}
		var choices []string
		for _, c := range o.Choices {
			choices = append(choices, c.Name)
		}
		words = append(words, fmt.Sprintf("[%s %s %s required=%v %v]", o.Name, kind, o.Description, o.Required, choices))
	}
	return strings.Join(words, " | ")
}

func describeCommand(c bot.CommandInfo) string {
	words := []string{c.Name, c.Brief}
	for _, o := range c.Options {
		words = append(words, fmt.Sprintf("[%s %s %s required=%v %v]", o.Name, o.Kind, o.Description, o.Required, o.Choices))
	}
	return strings.Join(words, " | ")
}
