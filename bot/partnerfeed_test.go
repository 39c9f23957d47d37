package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
)

// tableProbe answers probes from a table of URLs; the real one (feeds.Prober)
// is exercised end to end in cmd/tenderbot.
type tableProbe map[string]bot.ProbeResult

func (p tableProbe) Probe(_ context.Context, url string) (bot.ProbeResult, error) {
	r, ok := p[url]
	switch {
	case ok:
		return r, nil
	case strings.Contains(url, "10.0.0.1"):
		return bot.ProbeResult{}, &bot.FeedRefusedError{Rule: "10.0.0.1 is a private address", Setting: "TENDERBOT_FEEDS_ALLOW_PRIVATE=true"}
	}
	return bot.ProbeResult{}, errors.New("fetch " + url + ": dial tcp: lookup gone.example on 127.0.0.53:53: no such host")
}

var (
	admin   = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "admin"}
	partner = bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "desk"}
)

func newPartnerHarness(t *testing.T) *harness {
	t.Helper()
	probe := tableProbe{"https://desk.example.nl/rss": {Format: "rss", Notices: []bot.Notice{
		notice("desk-1", "Marktconsultatie laadpalen", "31158100", "NL213", start.Add(-24*time.Hour)),
		notice("desk-2", "Renovatie brug", "45221000", "NL213", start.Add(-48*time.Hour)),
	}}}
	return newHarnessWithEvents(t, engage.Options{BaseURL: "https://tenderbot.example"}, func(o *bot.Options) {
		o.Probe, o.Admins = probe, []bot.Subscriber{admin}
	})
}

func TestRolesGateFeedsAndAdminsGrantThem(t *testing.T) {
	h := newPartnerHarness(t)
	if reply := h.say(partner, "feed add https://desk.example.nl/rss Twente Business Desk"); !strings.Contains(reply.Text, "Only people with the partner role") {
		t.Fatalf("without the role: %q", reply.Text)
	}
	if reply := h.say(partner, "role grant desk partner"); !strings.Contains(reply.Text, "admin role") {
		t.Errorf("a non-admin granting: %q", reply.Text)
	}
	if reply := h.say(admin, "role grant <@desk> partner"); !strings.Contains(reply.Text, "desk now holds the partner role") {
		t.Fatalf("grant: %q", reply.Text)
	}
	if reply := h.say(partner, "role"); !strings.Contains(reply.Text, "partner") {
		t.Errorf("own roles: %q", reply.Text)
	}
	if reply := h.say(admin, "role revoke desk staff"); !strings.Contains(reply.Text, "does not hold") {
		t.Errorf("revoking a role not held: %q", reply.Text)
	}
}

// TestFeedRefusalsSayWhatToDo: a refused address names the rule; an admin
// also learns the setting a closed deployment uses; no Go error text or
// resolver address reaches anybody in chat.
func TestFeedRefusalsSayWhatToDo(t *testing.T) {
	h := newPartnerHarness(t)
	h.say(admin, "role grant desk partner")
	h.say(admin, "role grant admin partner")
	refused := h.say(partner, "feed add http://10.0.0.1/rss")
	if !strings.Contains(refused.Text, "private address") || strings.Contains(refused.Text, "TENDERBOT_") {
		t.Errorf("partner: got %q, want the rule without the setting", refused.Text)
	}
	if got := h.say(admin, "feed add http://10.0.0.1/rss").Text; !strings.Contains(got, "TENDERBOT_FEEDS_ALLOW_PRIVATE=true") {
		t.Errorf("admin: got %q, want the setting named", got)
	}
	for _, who := range []bot.Subscriber{partner, admin} {
		got := h.say(who, "feed add https://gone.example/rss").Text
		for _, leak := range []string{"127.0.0.53", "dial tcp", "lookup", "no such host"} {
			if strings.Contains(got, leak) {
				t.Errorf("%s: %q shows %q", who.User, got, leak)
			}
		}
		if !strings.Contains(got, "could not read") {
			t.Errorf("%s: got %q, want it said the feed could not be read", who.User, got)
		}
	}
}

func TestPartnerFeedPreviewConfirmAndManage(t *testing.T) {
	h := newPartnerHarness(t)
	h.poll()
	h.say(admin, "role grant desk partner")
	h.say(alice, "subscribe cpv:45")

	preview := h.say(partner, "feed add https://desk.example.nl/rss Twente Business Desk")
	for _, want := range []string{`"Twente Business Desk" is a rss feed with 2 items`, "CPV codes in 2", "1 current profile(s) would have matched", "confirm"} {
		if !strings.Contains(preview.Text, want) {
			t.Errorf("preview lacks %q: %q", want, preview.Text)
		}
	}
	if got := strings.Join(cardIDs(preview), ","); got != "desk-1,desk-2" {
		t.Errorf("preview cards: %s, want the newest first", got)
	}
	if feeds, _ := h.store.ListFeeds(h.ctx); len(feeds) != 1 {
		t.Fatalf("a preview saved a feed: %d feeds", len(feeds))
	}
	if reply := h.say(partner, "feed add http://10.0.0.1/rss confirm"); !strings.Contains(reply.Text, "private address") {
		t.Errorf("a private URL: %q", reply.Text)
	}
	if reply := h.say(partner, "feed add https://desk.example.nl/rss Twente Business Desk confirm"); !strings.Contains(reply.Text, "Added feed #") {
		t.Fatalf("confirm: %q", reply.Text)
	}
	desk := feedNamed(t, h, "Twente Business Desk")
	id := fmt.Sprint(desk.ID)
	feeds, err := h.bot.FeedsToPoll(h.ctx)
	if err != nil || len(feeds) != 2 || feeds[1].Trusted() || feeds[1].Owner != partner {
		t.Fatalf("polled feeds: %+v, %v; want the partner's untrusted feed too", feeds, err)
	}
	// Its first read is a baseline; a later item alerts "via" the partner.
	pollWith(t, h.ctx, h.bot, desk.ID, h.clock.Now())
	item := notice("desk-3", "Onderhoud kademuur", "45241000", "NL213", h.clock.Now())
	item.Source = desk.Name // as the poller names it
	pollWith(t, h.ctx, h.bot, desk.ID, h.clock.Now(), item)
	h.deliver()
	sent := h.chat.Sent()
	if len(sent) != 1 || sent[0].Message.Cards[0].Via != "Twente Business Desk" {
		t.Fatalf("alert via the partner: %+v", sent)
	}

	if reply := h.say(bob, "feed pause "+id); !strings.Contains(reply.Text, "belongs to another partner") {
		t.Errorf("bob pausing the partner's feed: %q", reply.Text)
	}
	if reply := h.say(partner, "feed pause 1"); !strings.Contains(reply.Text, "configured by the operator") {
		t.Errorf("pausing the operator's feed: %q", reply.Text)
	}
	// A market consultation about the partner's notice brings a registration.
	h.say(admin, `event new title="Toelichting kademuur" kind=supplier_day start=2026-12-10T14:00+01:00 end=16:00 place="Almelo" related=`+bot.NoticeRef(item.ID))
	h.say(admin, "event publish 1")
	h.say(bob, "event rsvp 1 going")
	if reply := h.say(partner, "feed stats "+id); !strings.Contains(reply.Text, "1 notices read; they matched profiles 1 times; 1 alerts were delivered; 1 registrations for events about them") ||
		strings.Contains(reply.Text, bob.User) {
		t.Errorf("stats: %q", reply.Text)
	}
	if reply := h.say(partner, "feed pause "+id); !strings.Contains(reply.Text, "paused") {
		t.Errorf("pause: %q", reply.Text)
	}
	if feeds, _ := h.bot.FeedsToPoll(h.ctx); len(feeds) != 1 {
		t.Errorf("a paused feed is still polled")
	}
	if reply := h.say(partner, "feed list"); !strings.Contains(reply.Text, "#"+id+" Twente Business Desk — added by desk, rss") || !strings.Contains(reply.Text, "paused: paused by desk") {
		t.Errorf("list: %q", reply.Text)
	}
	if reply := h.say(admin, "feed remove "+id); !strings.Contains(reply.Text, "Removed feed #"+id) {
		t.Errorf("an admin removing: %q", reply.Text)
	}
}

func TestFailingPartnerFeedIsDisabledAndItsOwnerToldOnce(t *testing.T) {
	h := newPartnerHarness(t)
	h.say(admin, "role grant desk partner")
	h.say(partner, "feed add https://desk.example.nl/rss Desk confirm")
	for range 12 {
		h.bot.FeedPolled(h.ctx, feedNamed(t, h, "Desk"), bot.PollResult{At: h.clock.Now(), Err: errors.New("server answered 500")})
		h.clock.Advance(time.Hour)
	}
	h.deliver()
	var told int
	for _, s := range h.chat.Sent() {
		if s.To == partner && strings.Contains(s.Message.Text, "I stopped reading your feed #") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("the owner was told %d times, want once", told)
	}
	feeds, _ := h.bot.FeedsToPoll(h.ctx)
	if len(feeds) != 1 {
		t.Errorf("the disabled feed is still polled")
	}
}

func TestSilentFeedIsReported(t *testing.T) {
	h := newPartnerHarness(t)
	h.say(admin, "role grant desk partner")
	h.say(partner, "feed add https://desk.example.nl/rss Desk confirm")
	desk := func() bot.Feed { return feedNamed(t, h, "Desk") }
	for i := range 4 { // a new item each week
		pollWith(t, h.ctx, h.bot, desk().ID, h.clock.Now(), notice(fmt.Sprintf("w%d", i), fmt.Sprintf("Item of week %d", i), "45000000", "NL213", h.clock.Now()))
		h.clock.Advance(7 * 24 * time.Hour)
	}
	h.clock.Advance(31 * 24 * time.Hour)
	h.bot.FeedPolled(h.ctx, desk(), bot.PollResult{At: h.clock.Now(), NotModified: true})
	h.bot.FeedPolled(h.ctx, desk(), bot.PollResult{At: h.clock.Now(), NotModified: true})
	h.deliver()
	var told int
	for _, s := range h.chat.Sent() {
		if strings.Contains(s.Message.Text, "usually brings something new every 168h0m0s") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("silent notices to the owner: %d, want 1", told)
	}
	if reply := h.say(partner, "feed list"); !strings.Contains(reply.Text, "silent: nothing new since") {
		t.Errorf("list: %q", reply.Text)
	}
}

// feedNamed returns the stored feed with the name.
func feedNamed(t *testing.T, h *harness, name string) bot.Feed {
	t.Helper()
	feeds, err := h.store.ListFeeds(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no feed named %q", name)
	return bot.Feed{}
}

func TestRolesListAndAdminIDs(t *testing.T) {
	h := newPartnerHarness(t)
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
		got, err := bot.ParseAdmin(tt.id)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseAdmin(%q): got %+v, %v", tt.id, got, err)
		}
	}
}

// TestRoleGrantRefusesAMentionOfNobody: where the chat resolves mentions
// (Slack), a grant to a mention that names nobody is refused, saying so;
// one that names a user goes to that user's id.
func TestRoleGrantRefusesAMentionOfNobody(t *testing.T) {
	h := newPartnerHarness(t)
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

func TestAForgottenPartnersFeedPassesToTheOperator(t *testing.T) {
	h := newPartnerHarness(t)
	h.poll()
	h.say(admin, "role grant desk partner")
	if reply := h.say(partner, "feed add https://desk.example.nl/rss Twente Business Desk confirm"); !strings.Contains(reply.Text, "Twente Business Desk") {
		t.Fatalf("add: %q", reply.Text)
	}
	if reply := h.say(partner, "forget me confirm"); !strings.Contains(strings.ToLower(reply.Text), "erased") {
		t.Fatalf("forget me: %q", reply.Text)
	}
	list := h.say(admin, "feed list")
	if !strings.Contains(list.Text, "Twente Business Desk") || !strings.Contains(list.Text, "the operator") {
		t.Errorf("feed list after forget me: got %q, want the feed listed as the operator's", list.Text)
	}
	if strings.Contains(list.Text, "desk —") || strings.Contains(list.Text, "by desk") {
		t.Errorf("feed list still names the forgotten partner: %q", list.Text)
	}
	polled, err := h.bot.FeedsToPoll(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found *bot.Feed
	for i := range polled {
		if polled[i].URL == "https://desk.example.nl/rss" {
			found = &polled[i]
		}
	}
	switch {
	case found == nil:
		t.Errorf("the feed is no longer polled: %+v", polled)
	case found.Trusted():
		t.Error("the feed became trusted: a partner's URL must stay behind the guard")
	}
}
