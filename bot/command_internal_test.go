package bot

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot/text"
)

func TestHelpSaysHowToTypeCommandsPerChat(t *testing.T) {
	var en text.Printer
	if !strings.Contains(en.ChatHelp(string(PlatformDiscord)), "/tender event do:rsvp 1 going") {
		t.Error("Discord help must show the do: form of event commands")
	}
	if !strings.Contains(en.ChatHelp(string(PlatformSlack)), "/tender events") {
		t.Error("Slack help must show the /tender prefix")
	}
	if en.ChatHelp(string(PlatformConsole)) != "" {
		t.Error("the console types commands as shown")
	}
}
