package bot_test

import (
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/engage"
)

var (
	staff    = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "inkoper"}
	announce = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", Channel: "aanbestedingen"}
)

// newEventHarness is a harness whose staff member is an admin, with a
// public address and an announcement channel.
func newEventHarness(t *testing.T) *harness {
	events := engage.Options{BaseURL: "https://events.example", Announce: []bot.Subscriber{announce}}
	return newHarnessWithEvents(t, events, func(o *bot.Options) { o.Admins = []bot.Subscriber{staff} })
}

// solarEvent is a complete `event new` line.
const solarEvent = `event new title="Marktconsultatie zonnedaken" kind=consultation start=2026-12-10T14:00+01:00 end=2026-12-10T16:00+01:00 place="Stadhuis Almelo" capacity=2 target="cpv:09331200 nuts:NL21"`

// publishSolar drafts and publishes the solar event and returns its id.
func (h *harness) publishSolar(line string) int64 {
	h.t.Helper()
	return bottest.PublishEvent(h.t, h.say, staff, line)
}
