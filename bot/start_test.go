package bot_test

import (
	"fmt"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/matching"
)

// puttingMatcher is the scan, recording the profiles put into it.
type puttingMatcher struct {
	bot.Matcher
	put map[int64]int
}

func (m *puttingMatcher) Put(profileID int64, q bot.Query) {
	m.put[profileID]++
	m.Matcher.Put(profileID, q)
}

// Start reads the profiles a page at a time: every profile past the first
// page reaches the matcher too, once, and a paused one does not.
func TestStartPutsEveryProfileAcrossPages(t *testing.T) {
	h := newHarness(t)
	const n = 10_000*2 + 3 // past two pages
	ps := make([]bot.Profile, n)
	for i := range ps {
		ps[i] = bot.Profile{
			Subscriber: bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: fmt.Sprintf("u%05d", i)},
			Name:       "bouw", Query: "cpv:45000000", Delivery: bot.DeliverInstant,
			Paused: i == n-2,
		}
	}
	if err := h.store.CreateProfiles(h.ctx, ps); err != nil {
		t.Fatal(err)
	}

	m := &puttingMatcher{Matcher: matching.NewScan(), put: map[int64]int{}}
	restarted := bot.New(bot.Options{Store: h.store, Matcher: m, Clock: h.clock})
	if err := restarted.Start(h.ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := len(m.put), n-1; got != want {
		t.Errorf("profiles put: got %d, want %d (all but the paused one)", got, want)
	}
	for i, p := range ps {
		want := 1
		if p.Paused {
			want = 0
		}
		if got := m.put[p.ID]; got != want {
			t.Errorf("profile %d (ID %d): put %d times, want %d", i, p.ID, got, want)
			break // the first is enough to see which page went missing
		}
	}
}
