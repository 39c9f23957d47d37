package bot

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot/text"
)

func TestHelpSaysHowToTypeCommandsPerChat(t *testing.T) {
	if !strings.Contains(platformHelp(text.Printer{}, PlatformDiscord), "/tender event do:rsvp 1 going") {
		t.Error("Discord help must show the do: form of event commands")
	}
	if !strings.Contains(platformHelp(text.Printer{}, PlatformSlack), "/tender events") {
		t.Error("Slack help must show the /tender prefix")
	}
	if platformHelp(text.Printer{}, PlatformConsole) != "" {
		t.Error("the console types commands as shown")
	}
}
