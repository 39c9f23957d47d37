package bot_test

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// TestChannelProfilesChangeOnlyByTheirMakerManagersAndAdmins: anyone in a
// channel lists its profiles; changing or deleting one needs the person
// who made it, a channel manager (as the platform says) or a bot admin.
func TestChannelProfilesChangeOnlyByTheirMakerManagersAndAdmins(t *testing.T) {
	admin := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "root"}
	h := newHarness(t, func(o *bot.Options) { o.Admins = []bot.Subscriber{admin} })
	in := func(from bot.Subscriber, manager bool, text string) string {
		return h.bot.Handle(h.ctx, bot.Command{From: from, Channel: "C-bouw", Text: text, ChannelManager: manager}).Text
	}
	if reply := in(alice, false, "subscribe here cpv:45"); !strings.Contains(reply, "Saved") {
		t.Fatalf("subscribe here: %q", reply)
	}
	in(alice, false, `subscribe here name="ICT" cpv:72`)
	in(alice, false, `subscribe here name="Groen" cpv:77`)
	if reply := in(bob, false, "profiles here"); !strings.Contains(reply, "cpv:45") {
		t.Errorf("a member listing: %q", reply)
	}
	for _, text := range []string{"unsubscribe here 1", "digest here 1 daily"} {
		if reply := in(bob, false, text); !strings.Contains(reply, "made it") {
			t.Errorf("%s by a member: got %q, want a refusal naming who may", text, reply)
		}
	}
	if reply := in(bob, true, "digest here 1 daily"); strings.Contains(reply, "made it") {
		t.Errorf("digest by a channel manager: %q", reply)
	}
	if reply := in(bob, true, "unsubscribe here ICT"); !strings.Contains(reply, "Deleted") {
		t.Errorf("unsubscribe by a channel manager: %q", reply)
	}
	if reply := in(admin, false, "unsubscribe here Groen"); !strings.Contains(reply, "Deleted") {
		t.Errorf("unsubscribe by a bot admin: %q", reply)
	}
	if reply := in(alice, false, "unsubscribe here 1"); !strings.Contains(reply, "Deleted") {
		t.Errorf("unsubscribe by its maker: %q", reply)
	}
}
