package bot

import (
	"strings"
	"testing"
)

func TestHelpSaysHowToTypeCommandsPerChat(t *testing.T) {
	if !strings.Contains(platformHelp(PlatformDiscord), "/tender event do:rsvp 1 going") {
		t.Error("Discord help must show the do: form of event commands")
	}
	if !strings.Contains(platformHelp(PlatformSlack), "/tender events") {
		t.Error("Slack help must show the /tender prefix")
	}
	if platformHelp(PlatformConsole) != "" {
		t.Error("the console types commands as shown")
	}
}
