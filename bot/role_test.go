package bot_test

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

var (
	admin   = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "admin"}
	partner = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "desk"}
)

func TestRolesListAndAdminIDs(t *testing.T) {
	h := newHarness(t, func(o *bot.Options) { o.Admins = []bot.Subscriber{admin} })
	h.say(admin, "role grant desk partner")
	if reply := h.say(partner, "roles"); !strings.Contains(reply.Text, "Only people with the staff role") {
		t.Errorf("a partner listing roles: %q", reply.Text)
	}
	reply := h.say(admin, "roles")
	for _, want := range []string{"admin — console/local/@admin (configured in TENDERBOT_ADMINS)", "partner — console/local/@desk"} {
		if !strings.Contains(reply.Text, want) {
			t.Errorf("roles lacks %q: %q", want, reply.Text)
		}
	}
}

// TestRoleGrantRefusesAMentionOfNobody: where the chat resolves mentions
// (Slack), a grant to a mention that names nobody is refused, saying so;
// one that names a user goes to that user's id.
func TestRoleGrantRefusesAMentionOfNobody(t *testing.T) {
	h := newHarness(t, func(o *bot.Options) { o.Admins = []bot.Subscriber{admin} })
	slack := func(text string, mentions bot.Mentions) bot.Message {
		return h.bot.Handle(h.ctx, bot.Command{From: admin, Text: text, Mentions: &mentions})
	}
	if got := slack("role grant @desk partner", bot.Mentions{"@desk": ""}).Text; !strings.Contains(got, "not a user") || strings.Contains(got, "now holds") {
		t.Errorf("a plain @name: got %q, want it refused", got)
	}
	if got := slack("role grant <@UGHOST|ghost> partner", bot.Mentions{"<@UGHOST|ghost>": ""}).Text; !strings.Contains(got, "not a user") {
		t.Errorf("an id Slack does not know: got %q, want it refused", got)
	}
	if got := slack("role grant <@desk|Desk> partner", bot.Mentions{"<@desk|Desk>": "desk"}).Text; !strings.Contains(got, "desk now holds the partner role") {
		t.Fatalf("a resolved mention: %q", got)
	}
	if got := h.say(partner, "role").Text; !strings.Contains(got, "partner") {
		t.Errorf("the grant did not reach the mentioned user: %q", got)
	}
}
