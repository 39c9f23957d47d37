package outbox_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// pacedMessenger is a recording messenger with Slack's published limit.
type pacedMessenger struct{ bottest.Messenger }

func (*pacedMessenger) RateLimits() bot.RateLimits {
	return bot.RateLimits{PerConversation: bot.Rate{Events: 1, Per: time.Second}, Global: bot.Rate{Events: 2, Per: time.Second}}
}

func TestDeliveriesKeepUnderThePlatformsRateLimits(t *testing.T) {
	h := newHarness(t)
	paced := &pacedMessenger{}
	w := h.worker(paced)
	// 9 alerts: 3 notices to each of 3 people, notice by notice, as a poll
	// enqueues them.
	for i := range 3 {
		for _, who := range []bot.Subscriber{alice, bob, carol} {
			h.alert(who, fmt.Sprintf("n-%d", i))
		}
	}

	perSecond := []int{}
	for range 6 {
		before := len(paced.Sent())
		for range 2 { // the sends go evenly spread, one every half second in all
			if err := w.DeliverDue(h.ctx); err != nil {
				t.Fatal(err)
			}
			h.clock.Advance(500 * time.Millisecond)
		}
		perSecond = append(perSecond, len(paced.Sent())-before)
	}
	if got := fmt.Sprint(perSecond); got != "[2 2 2 2 1 0]" {
		t.Errorf("sends per second: got %s, want [2 2 2 2 1 0] (2 a second in all, 1 per conversation)", got)
	}
	order := map[string][]string{}
	for _, s := range paced.Sent() {
		order[s.To.User] = append(order[s.To.User], s.Message.Cards[0].Notice.ID)
	}
	for user, ids := range order {
		if strings.Join(ids, ",") != "n-0,n-1,n-2" {
			t.Errorf("%s got %v, want n-0,n-1,n-2 in order", user, ids)
		}
	}
}
