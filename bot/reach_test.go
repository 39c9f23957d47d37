package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// workspaces is a Reach that reaches every workspace but those it names,
// and counts what it is asked.
type workspaces struct {
	mu    sync.Mutex
	gone  map[string]bool
	asked map[string]int
}

func (w *workspaces) Reaches(_ context.Context, _ bot.Platform, workspace string) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.asked[workspace]++
	return !w.gone[workspace], nil
}

// A notice makes no alert and no digest item in a workspace the bot cannot
// reach — not one that fails at its send — and the subscribers elsewhere
// get theirs; the bot asks once a workspace, however many of its people
// match.
func TestANoticeSkipsTheWorkspacesTheBotCannotReach(t *testing.T) {
	reach := &workspaces{gone: map[string]bool{"gone": true}, asked: map[string]int{}}
	h := newHarness(t, func(o *bot.Options) { o.Reach = reach })
	h.poll()
	carol := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "gone", User: "carol"}
	dave := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "gone", User: "dave"}
	for _, who := range []bot.Subscriber{alice, bob, carol, dave} {
		h.say(who, "subscribe sporthal")
	}
	h.say(dave, "digest 1 daily")
	h.poll(notice("n-1", "Renovatie sporthal", "45212200", "NL213", h.clock.Now().Add(-time.Minute)))
	h.deliver()
	for _, who := range []bot.Subscriber{alice, bob} {
		if sent := h.sentTexts(who); len(sent) != 1 || !strings.Contains(sent[0], `New tender for your profile "sporthal"`) {
			t.Errorf("sent to %s: %q; want the alert", who.User, sent)
		}
	}
	for _, who := range []bot.Subscriber{carol, dave} {
		data, err := h.store.PersonalData(h.ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		if len(data.Deliveries) != 0 {
			t.Errorf("%s, in a workspace the bot cannot reach, has deliveries: %+v", who.User, data.Deliveries)
		}
	}
	items, err := h.store.DigestItems(h.ctx, bot.DeliverDaily, h.clock.Now().Add(24*time.Hour))
	if err != nil || len(items) != 0 {
		t.Errorf("digest items: %+v, %v; want none for dave's daily profile", items, err)
	}
	if reach.asked["gone"] != 1 || reach.asked["local"] != 1 {
		t.Errorf("asked about the workspaces %v; want once each", reach.asked)
	}
}
