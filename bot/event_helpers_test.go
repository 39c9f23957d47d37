package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
)

var (
	staff    = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "inkoper"}
	carol    = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "carol-the-asker"}
	dave     = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "dave"}
	announce = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", Channel: "aanbestedingen"}
)

// newEventHarness is a harness whose staff member is an admin, with a
// public address and an announcement channel.
func newEventHarness(t *testing.T) *harness {
	events := engage.Options{BaseURL: "https://events.example", Announce: []bot.Subscriber{announce}}
	return newHarnessWithEvents(t, events, func(o *bot.Options) { o.Admins = []bot.Subscriber{staff} })
}

// solarEvent is a complete `event new` line: the example of the issue.
const solarEvent = `event new title="Marktconsultatie zonnedaken" kind=consultation start=2026-12-10T14:00+01:00 end=2026-12-10T16:00+01:00 place="Stadhuis Almelo" capacity=2 target="cpv:09331200 nuts:NL21"`

// publishSolar drafts and publishes the solar event and returns its id.
func (h *harness) publishSolar(line string) int64 {
	h.t.Helper()
	reply := h.say(staff, line)
	if !strings.Contains(reply.Text, "Draft saved as event") {
		h.t.Fatalf("event new: %q", reply.Text)
	}
	var id int64
	if _, err := fmt.Sscanf(reply.Text[strings.Index(reply.Text, "event "):], "event %d", &id); err != nil {
		h.t.Fatalf("no event id in %q", reply.Text)
	}
	if got := h.say(staff, fmt.Sprintf("event publish %d", id)); !strings.Contains(got.Text, "Published event") {
		h.t.Fatalf("publish: %q", got.Text)
	}
	return id
}

// sentTo returns the texts sent to s, in order.
func (h *harness) sentTo(s bot.Subscriber) []string {
	var out []string
	for _, m := range h.chat.Sent() {
		if m.To == s {
			out = append(out, m.Message.Text)
		}
	}
	return out
}
