package bot_test

import (
	"strings"
	"testing"
)

// TestFeedPolledElsewhereEndsTheFirstRound: a feed another replica polls
// counts as polled for this replica's first round, so its previews go out
// and it is ready, though it never reads the feed itself.
func TestFeedPolledElsewhereEndsTheFirstRound(t *testing.T) {
	h := newHarness(t)
	reply := h.say(alice, "subscribe cpv:45")
	if !strings.Contains(reply.Text, "Saved profile 1") {
		t.Fatalf("subscribe: %q", reply.Text)
	}
	select {
	case <-h.bot.Loaded():
		t.Fatal("loaded before the feed was polled anywhere")
	default:
	}
	h.bot.FeedPolledElsewhere(h.ctx, h.feed)
	select {
	case <-h.bot.Loaded():
	default:
		t.Fatal("not loaded after the only feed was polled by another replica")
	}
	h.deliver()
	if sent := h.chat.Sent(); len(sent) != 1 {
		t.Errorf("%d messages after the first round ended, want alice's waiting preview", len(sent))
	}
}
