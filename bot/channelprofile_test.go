package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

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

// TestAChannelProfileCallsTheGroupItNames: `subscribe here mention=…` takes
// a user group or a person the chat found behind the mention, never the
// whole channel, and the profile's alerts call them; digests and a
// person's own profiles call nobody.
func TestAChannelProfileCallsTheGroupItNames(t *testing.T) {
	h := newHarness(t)
	h.poll()
	const team = "<!subteam^S0TEAM|@team-tenders>"
	slackAlice := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U0ALICE"}
	channel := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", Channel: "C-bouw"}
	in := func(text string) string {
		mentions := bot.Mentions{"<@U0LEAD|lead>": "U0LEAD", "<@UGHOST>": "", "@nobody": ""}
		return h.bot.Handle(h.ctx, bot.Command{From: slackAlice, Channel: "C-bouw", Text: text, Mentions: &mentions,
			Groups: map[string]string{team: "S0TEAM"}}).Text
	}
	for _, refused := range []struct{ text, want string }{
		{"subscribe here mention=@here cpv:45", "never calls the whole channel"},
		{"subscribe here mention=<!channel> cpv:45", "never calls the whole channel"},
		{"subscribe here mention=@everyone cpv:45", "never calls the whole channel"},
		{"subscribe here mention=<@UGHOST> cpv:45", "not a user group or person I can find"},
		{"subscribe here mention=@nobody cpv:45", "not a user group or person I can find"},
		{"subscribe mention=" + team + " cpv:45", "Only a channel's profile calls a group"},
	} {
		if got := in(refused.text); !strings.Contains(got, refused.want) {
			t.Errorf("%s: got %q, want %q", refused.text, got, refused.want)
		}
	}
	if got := h.bot.Handle(h.ctx, bot.Command{From: alice, Channel: "C-bouw", Text: "subscribe here mention=@team cpv:45"}).Text; !strings.Contains(got, "Mentions work in Slack and Discord") {
		t.Errorf("a mention on the console: %q", got)
	}
	if profiles, err := h.store.ListProfiles(h.ctx, channel); err != nil || len(profiles) != 0 {
		t.Fatalf("refused subscriptions stored %d profiles (%v)", len(profiles), err)
	}
	if got := in("subscribe here mention=" + team + " cpv:45"); !strings.Contains(got, "Saved") || !strings.Contains(got, "call the group it names") || strings.Contains(got, "S0TEAM") {
		t.Fatalf("subscribe with a group: %q", got)
	}
	if got := in(`subscribe here name="ICT" mention=<@U0LEAD|lead> cpv:45212225`); !strings.Contains(got, "call the person it names") {
		t.Fatalf("subscribe with a person after the name: %q", got)
	}
	if got := in("profiles here"); !strings.Contains(got, "calling the group it names") {
		t.Errorf("profiles here: %q", got)
	}
	if got := h.say(alice, "subscribe here mention=@team cpv:45"); !strings.Contains(got.Text, "channel you type it in") {
		t.Errorf("here outside a channel: %q", got.Text)
	}
	h.poll(sporthal)
	due, err := h.store.DueDeliveries(h.ctx, []bot.Platform{bot.PlatformSlack}, h.clock.Now().Add(time.Hour), 0, 10)
	if err != nil || len(due) != 1 || due[0].To != channel {
		t.Fatalf("alerts: %+v, %v; want one to the channel", due, err)
	}
	want := []bot.Mention{{Group: true, ID: "S0TEAM"}, {ID: "U0LEAD"}}
	if got := due[0].Message.Mentions; !slices.Equal(got, want) {
		t.Errorf("the alert calls %+v, want %+v", got, want)
	}
}

func TestMentionWords(t *testing.T) {
	got := bot.MentionWords("subscribe here mention=<@U1|jan> name=Bouw <!subteam^S1|@team> cpv:45")
	want := []string{"subscribe", "here", "<@U1|jan>", "Bouw", "<!subteam^S1|@team>", "cpv:45"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
