package partner_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestRolesGateFeedsAndAdminsGrantThem(t *testing.T) {
	h := newHarness(t)
	if reply := h.say(partnerUser, "feed add https://desk.example.nl/rss Twente Business Desk"); !strings.Contains(reply.Text, "Only people with the partner role") {
		t.Fatalf("without the role: %q", reply.Text)
	}
	if reply := h.say(partnerUser, "role grant desk partner"); !strings.Contains(reply.Text, "admin role") {
		t.Errorf("a non-admin granting: %q", reply.Text)
	}
	if reply := h.say(admin, "role grant <@desk> partner"); !strings.Contains(reply.Text, "desk now holds the partner role") {
		t.Fatalf("grant: %q", reply.Text)
	}
	if reply := h.say(partnerUser, "role"); !strings.Contains(reply.Text, "partner") {
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
	h := newHarness(t)
	h.say(admin, "role grant desk partner")
	h.say(admin, "role grant admin partner")
	refused := h.say(partnerUser, "feed add http://10.0.0.1/rss")
	if !strings.Contains(refused.Text, "private address") || strings.Contains(refused.Text, "TENDERBOT_") {
		t.Errorf("partner: got %q, want the rule without the setting", refused.Text)
	}
	if got := h.say(admin, "feed add http://10.0.0.1/rss").Text; !strings.Contains(got, "TENDERBOT_FEEDS_ALLOW_PRIVATE=true") {
		t.Errorf("admin: got %q, want the setting named", got)
	}
	for _, who := range []bot.Subscriber{partnerUser, admin} {
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
	h := newHarness(t)
	h.poll(h.feed.ID)
	h.say(admin, "role grant desk partner")
	h.say(alice, "subscribe cpv:45")

	preview := h.say(partnerUser, "feed add https://desk.example.nl/rss Twente Business Desk")
	for _, want := range []string{`"Twente Business Desk" is a rss feed with 2 items`, "CPV codes in 2", "1 current profile(s) would have matched", "confirm"} {
		if !strings.Contains(preview.Text, want) {
			t.Errorf("preview lacks %q: %q", want, preview.Text)
		}
	}
	if got := cardIDs(preview); got != "desk-1,desk-2" {
		t.Errorf("preview cards: %s, want the newest first", got)
	}
	if feeds, _ := h.store.ListFeeds(h.ctx); len(feeds) != 1 {
		t.Fatalf("a preview saved a feed: %d feeds", len(feeds))
	}
	if reply := h.say(partnerUser, "feed add http://10.0.0.1/rss confirm"); !strings.Contains(reply.Text, "private address") {
		t.Errorf("a private URL: %q", reply.Text)
	}
	if reply := h.say(partnerUser, "feed add https://desk.example.nl/rss Twente Business Desk confirm"); !strings.Contains(reply.Text, "Added feed #") {
		t.Fatalf("confirm: %q", reply.Text)
	}
	desk := h.feedNamed("Twente Business Desk")
	id := fmt.Sprint(desk.ID)
	feeds, err := h.bot.FeedsToPoll(h.ctx)
	if err != nil || len(feeds) != 2 || feeds[1].Trusted() || feeds[1].Owner != partnerUser {
		t.Fatalf("polled feeds: %+v, %v; want the partner's untrusted feed too", feeds, err)
	}
	// Its first read is a baseline; a later item alerts "via" the partner.
	h.poll(desk.ID)
	item := notice("desk-3", "Onderhoud kademuur", "45241000", "NL213", h.clock.Now())
	item.Source = desk.Name // as the poller names it
	h.poll(desk.ID, item)
	h.deliver()
	sent := h.chat.Sent()
	if len(sent) != 1 || sent[0].Message.Cards[0].Via != "Twente Business Desk" {
		t.Fatalf("alert via the partner: %+v", sent)
	}

	if reply := h.say(bob, "feed pause "+id); !strings.Contains(reply.Text, "belongs to another partner") {
		t.Errorf("bob pausing the partner's feed: %q", reply.Text)
	}
	if reply := h.say(partnerUser, "feed pause 1"); !strings.Contains(reply.Text, "configured by the operator") {
		t.Errorf("pausing the operator's feed: %q", reply.Text)
	}
	// A market consultation about the partner's notice brings a registration.
	h.say(admin, `event new title="Toelichting kademuur" kind=supplier_day start=2026-12-10T14:00+01:00 end=16:00 place="Almelo" related=`+bot.NoticeRef(item.ID))
	h.say(admin, "event publish 1")
	h.say(bob, "event rsvp 1 going")
	if reply := h.say(partnerUser, "feed stats "+id); !strings.Contains(reply.Text, "1 notices read; they matched profiles 1 times; 1 alerts were delivered; 1 registrations for events about them") ||
		strings.Contains(reply.Text, bob.User) {
		t.Errorf("stats: %q", reply.Text)
	}
	if reply := h.say(partnerUser, "feed pause "+id); !strings.Contains(reply.Text, "paused") {
		t.Errorf("pause: %q", reply.Text)
	}
	if feeds, _ := h.bot.FeedsToPoll(h.ctx); len(feeds) != 1 {
		t.Errorf("a paused feed is still polled")
	}
	if reply := h.say(partnerUser, "feed list"); !strings.Contains(reply.Text, "#"+id+" Twente Business Desk — added by desk, rss") || !strings.Contains(reply.Text, "paused: paused by desk") {
		t.Errorf("list: %q", reply.Text)
	}
	if reply := h.say(admin, "feed remove "+id); !strings.Contains(reply.Text, "Removed feed #"+id) {
		t.Errorf("an admin removing: %q", reply.Text)
	}
}

func TestFailingPartnerFeedIsDisabledAndItsOwnerToldOnce(t *testing.T) {
	h := newHarness(t)
	h.say(admin, "role grant desk partner")
	h.say(partnerUser, "feed add https://desk.example.nl/rss Desk confirm")
	for range 12 {
		h.bot.FeedPolled(h.ctx, h.feedNamed("Desk"), bot.PollResult{At: h.clock.Now(), Err: errors.New("server answered 500")})
		h.clock.Advance(time.Hour)
	}
	h.deliver()
	var told int
	for _, s := range h.chat.Sent() {
		if s.To == partnerUser && strings.Contains(s.Message.Text, "I stopped reading your feed #") {
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
	h := newHarness(t)
	h.say(admin, "role grant desk partner")
	h.say(partnerUser, "feed add https://desk.example.nl/rss Desk confirm")
	desk := func() bot.Feed { return h.feedNamed("Desk") }
	for i := range 4 { // a new item each week
		h.poll(desk().ID, notice(fmt.Sprintf("w%d", i), fmt.Sprintf("Item of week %d", i), "45000000", "NL213", h.clock.Now()))
		h.clock.Advance(7 * 24 * time.Hour)
	}
	h.clock.Advance(31 * 24 * time.Hour)
	h.bot.FeedPolled(h.ctx, desk(), bot.PollResult{At: h.clock.Now(), NotModified: true})
	h.bot.FeedPolled(h.ctx, desk(), bot.PollResult{At: h.clock.Now(), NotModified: true})
	h.deliver()
	var told int
	for _, s := range h.chat.Sent() {
		if strings.Contains(s.Message.Text, "usually brings something new every 7 days") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("silent notices to the owner: %d, want 1", told)
	}
	if reply := h.say(partnerUser, "feed list"); !strings.Contains(reply.Text, "silent: nothing new since") {
		t.Errorf("list: %q", reply.Text)
	}
	if reply := h.sayDutch(partnerUser, "feed list"); !strings.Contains(reply.Text, "stil: niets nieuws sinds 17 dec 09:00, terwijl er meestal elke 7 dagen iets nieuws komt") {
		t.Errorf("list in Dutch: %q", reply.Text)
	}
}

func TestAForgottenPartnersFeedPassesToTheOperator(t *testing.T) {
	h := newHarness(t)
	h.poll(h.feed.ID)
	h.say(admin, "role grant desk partner")
	if reply := h.say(partnerUser, "feed add https://desk.example.nl/rss Twente Business Desk confirm"); !strings.Contains(reply.Text, "Twente Business Desk") {
		t.Fatalf("add: %q", reply.Text)
	}
	if reply := h.say(partnerUser, "forget me confirm"); !strings.Contains(strings.ToLower(reply.Text), "erased") {
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

// cardIDs lists the notices on a message's cards, comma-separated.
func cardIDs(m bot.Message) string {
	var ids []string
	for _, c := range m.Cards {
		ids = append(ids, c.Notice.ID)
	}
	return strings.Join(ids, ",")
}
