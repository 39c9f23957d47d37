package main

import (
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestParseAdmin(t *testing.T) {
	tests := []struct {
		id   string
		want bot.Subscriber
		ok   bool
	}{
		{"slack:T0123:U0456", bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0123", User: "U0456"}, true},
		{"console:local:local", bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "local"}, true},
		{"slack/T0123/@U0456", bot.Subscriber{}, false},
		{"irc:net:nick", bot.Subscriber{}, false},
		{"slack::U1", bot.Subscriber{}, false},
	}
	for _, tt := range tests {
		got, err := parseAdmin(tt.id)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseAdmin(%q): got %+v, %v", tt.id, got, err)
		}
	}
}
