package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestReadiness(t *testing.T) {
	h := newHarness(t)
	if got := strings.Join(h.bot.Readiness(h.ctx), "; "); !strings.Contains(got, "first poll has not finished") {
		t.Errorf("before the first poll: got %q, want it to name the first poll", got)
	}
	h.bot.FeedPolled(h.ctx, h.feed, bot.PollResult{At: h.clock.Now(), NextPoll: h.clock.Now().Add(15 * time.Minute)})
	if got := h.bot.Readiness(h.ctx); len(got) != 0 {
		t.Errorf("after the first poll: got %q, want ready", got)
	}
	h.clock.Advance(time.Hour)
	if got := strings.Join(h.bot.Readiness(h.ctx), "; "); !strings.Contains(got, "test feed is overdue") {
		t.Errorf("a feed 45 minutes past its next poll: got %q, want it named overdue", got)
	}
}

func TestStatsCountsTheOutbox(t *testing.T) {
	h := newHarness(t)
	h.poll()
	h.say(alice, "subscribe cpv:45")
	h.poll(sporthal, cumbria)
	st, err := h.store.Stats(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Profiles != 1 || st.Notices != 2 || st.Pending != 2 || !st.OldestDue.Equal(h.clock.Now()) {
		t.Errorf("stats before delivery: got %+v, want 1 profile, 2 notices, 2 pending due now", st)
	}
	h.deliver()
	if st, _ = h.store.Stats(h.ctx); st.Pending != 0 || !st.OldestDue.IsZero() {
		t.Errorf("stats after delivery: got %+v, want nothing pending", st)
	}
}
