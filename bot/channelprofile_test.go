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

// TestChannelAlertsButtonsAndQuietHoursFollowTheSameRights: on a channel's
// alert anyone may follow or say not relevant, but muting its buyer changes
// the channel's profile, so it needs the maker, a manager or an admin; the
// channel's quiet hours are changed by its managers and admins alone.
func TestChannelAlertsButtonsAndQuietHoursFollowTheSameRights(t *testing.T) {
	h := newHarness(t)
	h.poll()
	in := func(from bot.Subscriber, manager bool, text string) string {
		return h.bot.Handle(h.ctx, bot.Command{From: from, Channel: "C-bouw", Text: text, ChannelManager: manager}).Text
	}
	if reply := in(alice, false, "subscribe here cpv:45"); !strings.Contains(reply, "Saved") {
		t.Fatalf("subscribe here: %q", reply)
	}
	h.poll(sporthal)
	h.deliver()
	click := func(from bot.Subscriber, manager bool, kind bot.ActionKind) string {
		return h.bot.HandleAction(h.ctx, bot.Click{From: from, Action: alertAction(t, h, kind), ChannelManager: manager}).Text
	}
	if reply := click(bob, false, bot.ActionNotRelevant); !strings.Contains(reply, "not relevant") {
		t.Errorf("not relevant by a member: %q", reply)
	}
	if reply := click(bob, false, bot.ActionMuteBuyer); !strings.Contains(reply, "made it") {
		t.Errorf("mute by a member: got %q, want a refusal", reply)
	}
	if data, err := h.store.PersonalData(h.ctx, bot.Subscriber{Platform: alice.Platform, Workspace: alice.Workspace, Channel: "C-bouw"}); err != nil || len(data.Muted) != 0 {
		t.Errorf("after a refused mute the channel mutes %v (%v), want nothing", data.Muted, err)
	}
	if reply := in(bob, false, "mute here "+bot.NoticeRef(sporthal.ID)); !strings.Contains(reply, "made it") {
		t.Errorf("typed mute by a member: got %q, want a refusal", reply)
	}
	if reply := click(bob, true, bot.ActionMuteBuyer); !strings.Contains(reply, "Muted") {
		t.Errorf("mute by a channel manager: %q", reply)
	}

	if reply := in(bob, false, "quiet here 22:00-07:00"); !strings.Contains(reply, "managers and admins") {
		t.Errorf("quiet hours by a member: got %q, want a refusal", reply)
	}
	if reply := in(bob, false, "quiet here"); !strings.Contains(reply, "No quiet hours") {
		t.Errorf("a member reading the quiet hours: %q", reply)
	}
	if reply := in(bob, true, "quiet here 22:00-07:00"); !strings.Contains(reply, "Quiet hours set") {
		t.Errorf("quiet hours by a channel manager: %q", reply)
	}
	if reply := in(bob, false, "quiet 22:00-07:00"); !strings.Contains(reply, "Quiet hours set") {
		t.Errorf("a member's own quiet hours: %q", reply)
	}
}
