package partner_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestFeedsCommandShowsPollState(t *testing.T) {
	h := newHarness(t)
	if reply := h.say(alice, "feeds"); !strings.Contains(reply.Text, "#1 test feed — added by the operator, auto-detected, 0 alerts\n   not read yet") {
		t.Errorf("before any poll: %q", reply.Text)
	}
	sporthal := notice("n-sporthal", "Renovatie sporthal De Sluis", "45212225", "NL213", start.Add(-4*time.Hour))
	zonne := notice("n-zonne", "Marktconsultatie zonnepanelen gemeentelijke daken", "09331200", "NL213", start.Add(-3*time.Hour))
	h.poll(h.feed.ID, sporthal, zonne)
	if reply := h.say(alice, "feeds"); !strings.Contains(reply.Text, "read 09:00, 2 items") {
		t.Errorf("after a poll: %q", reply.Text)
	}
	h.clock.Advance(time.Hour)
	h.bot.FeedPolled(h.ctx, h.feed, bot.PollResult{At: h.clock.Now(), Err: errors.New("server answered 502 Bad Gateway"), NextPoll: h.clock.Now().Add(30 * time.Minute)})
	reply := h.say(alice, "feeds")
	for _, want := range []string{"failing (1 in a row): server answered 502 Bad Gateway", "last read 09:00 with 2 items", "next read 10:30"} {
		if !strings.Contains(reply.Text, want) {
			t.Errorf("after a failure: %q lacks %q", reply.Text, want)
		}
	}
	// Go's error text, with the resolver's address, is for the log only.
	h.bot.FeedPolled(h.ctx, h.feed, bot.PollResult{At: h.clock.Now(), Err: errors.New("read https://feeds.example/tenders.xml: fetch: dial tcp: lookup feeds.example on 127.0.0.53:53: no such host"), NextPoll: h.clock.Now().Add(30 * time.Minute)})
	reply = h.say(alice, "feeds")
	if strings.Contains(reply.Text, "127.0.0.53") || strings.Contains(reply.Text, "dial tcp") || !strings.Contains(reply.Text, "could not be read") {
		t.Errorf("a network failure: %q, want it said without Go's error text", reply.Text)
	}
	h.bot.FeedPolled(h.ctx, h.feed, bot.PollResult{At: h.clock.Now(), Err: errors.New("read https://desk.example/rss: refused https://desk.example/rss: the host desk.example cannot be resolved: lookup desk.example on 127.0.0.53:53: no such host"), NextPoll: h.clock.Now().Add(30 * time.Minute)})
	reply = h.say(alice, "feeds")
	if strings.Contains(reply.Text, "127.0.0.53") || !strings.Contains(reply.Text, "refused https://desk.example/rss: the host desk.example cannot be resolved;") {
		t.Errorf("a refusal: %q, want the rule without the resolver's answer", reply.Text)
	}
}
