package discord

import (
	"testing"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
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
