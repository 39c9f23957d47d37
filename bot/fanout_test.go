package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// The most immediate of a subscriber's matching profiles decides, whichever
// was made first: the alert goes out now, names the instant profile, and no
// digest item waits for the notice.
func TestInstantProfileWinsOverAnEarlierDigestProfile(t *testing.T) {
	for _, order := range []string{"weekly first", "instant first"} {
		t.Run(order, func(t *testing.T) {
			h := newStreamHarness(t, 0)
			h.poll()
			subscribe := []func(){
				func() {
					h.say(alice, `subscribe name="weekly bouw" cpv:45`)
					h.say(alice, `digest "weekly bouw" weekly`)
				},
				func() { h.say(alice, `subscribe name="sporthal" sporthal`) },
			}
			if order == "instant first" {
				subscribe[0], subscribe[1] = subscribe[1], subscribe[0]
			}
			for _, s := range subscribe {
				s()
			}
			h.poll(fresh(h, "n-1", "Renovatie sporthal", "45212200"))
			h.runDue()
			sent := h.sentTexts(alice)
			if len(sent) != 1 || !strings.Contains(sent[0], `New tender for your profile "sporthal":`) {
				t.Fatalf("sent to alice: %q; want one instant alert naming \"sporthal\"", sent)
			}
			items, err := h.store.DigestItems(h.ctx, bot.DeliverWeekly, h.clock.Now().Add(365*24*time.Hour))
			if err != nil || len(items) != 0 {
				t.Errorf("digest items: %v, %v; want none for a notice already alerted", items, err)
			}
		})
	}
}

// An alert names every instant profile of the subscriber that matched.
func TestAlertNamesEveryInstantProfileThatMatched(t *testing.T) {
	h := newStreamHarness(t, 0)
	h.poll()
	h.say(alice, `subscribe name="sporthal" sporthal`)
	h.say(alice, `subscribe name="bouw" cpv:45`)
	h.poll(fresh(h, "n-1", "Renovatie sporthal", "45212200"))
	h.runDue()
	if sent := h.sentTexts(alice); len(sent) != 1 || !strings.Contains(sent[0], `New tender for your profiles "sporthal" and "bouw":`) {
		t.Errorf("sent to alice: %q", sent)
	}
}

// One notice that matches thousands of subscribers with mixed settings
// gives exactly the rows each rule asks for, in one go: instant alerts now,
// alerts held to the end of quiet hours, digest items for daily and weekly
// profiles, nothing for a muted buyer, and, past the hourly cap, a digest
// item and the once-an-hour notice.
func TestFanOutAppliesEveryRuleInBulk(t *testing.T) {
	const subscribers = 5000
	// Two alerts in the last hour for every tenth subscriber: at the cap.
	capped := func(i int) bool { return i%10 == 0 }
	seed := func(h *harness) {
		for i := range subscribers {
			who := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "bulk", User: fmt.Sprintf("u%04d", i)}
			mode := []bot.DeliveryMode{bot.DeliverInstant, bot.DeliverInstant, bot.DeliverDaily, bot.DeliverWeekly}[i%4]
			p := bot.Profile{Subscriber: who, Name: "bouw", Query: "cpv:45000000", Delivery: mode, CreatedAt: h.clock.Now()}
			if err := h.store.CreateProfile(h.ctx, &p); err != nil {
				t.Fatal(err)
			}
			if i%7 == 0 {
				quiet := &bot.QuietHours{Start: 0, End: 23*time.Hour + 59*time.Minute}
				if err := h.store.SaveSettings(h.ctx, who, bot.Settings{Quiet: quiet}); err != nil {
					t.Fatal(err)
				}
			}
			if i%13 == 0 {
				if err := h.store.MuteBuyer(h.ctx, p.ID, "gemeente almelo", h.clock.Now()); err != nil {
					t.Fatal(err)
				}
			}
			for k := range 2 {
				if !capped(i) {
					break
				}
				d := bot.Delivery{Key: fmt.Sprintf("alert:earlier-%d:%s", k, who.Key()), To: who, Purpose: bot.PurposeAlert, Message: bot.Message{Text: "earlier"}}
				if _, err := h.store.Enqueue(h.ctx, &d); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	h := newStreamHarness(t, 2, seed)
	h.poll()
	n := fresh(h, "n-bulk", "Renovatie", "45212200")
	h.poll(n)

	var want struct{ now, held, daily, weekly, overflow, capNotice int }
	for i := range subscribers {
		switch mode := i % 4; {
		case i%13 == 0:
		case mode == 2:
			want.daily++
		case mode == 3:
			want.weekly++
		case capped(i):
			want.overflow++
			want.capNotice++
		case i%7 == 0:
			want.held++
		default:
			want.now++
		}
	}
	due, err := h.store.DueDeliveries(h.ctx, []bot.Platform{bot.PlatformConsole}, h.clock.Now(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var alertsNow, notices int
	for _, d := range due {
		switch {
		case d.Purpose == bot.PurposeAlert && d.NoticeID == n.ID:
			alertsNow++
			if c := d.Message.Cards; len(c) != 1 || c[0].Profile != "bouw" || len(c[0].Actions) != 3 || c[0].Notice.Title != "Renovatie" {
				t.Fatalf("alert %s: card %+v", d.Key, c)
			}
		case d.Purpose == bot.PurposeNotice:
			notices++
		}
	}
	later, err := h.store.DueDeliveries(h.ctx, []bot.Platform{bot.PlatformConsole}, h.clock.Now().Add(24*time.Hour), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	heldAlerts := -alertsNow
	for _, d := range later {
		if d.Purpose == bot.PurposeAlert && d.NoticeID == n.ID {
			heldAlerts++
		}
	}
	far := h.clock.Now().Add(365 * 24 * time.Hour)
	daily, _ := h.store.DigestItems(h.ctx, bot.DeliverDaily, far)
	weekly, _ := h.store.DigestItems(h.ctx, bot.DeliverWeekly, far)
	overflow := 0
	for _, it := range daily {
		if it.Overflow {
			overflow++
		}
	}
	got := [...]int{alertsNow, heldAlerts, len(daily) - overflow, len(weekly), overflow, notices}
	wantRows := [...]int{want.now, want.held, want.daily, want.weekly, want.overflow, want.capNotice}
	if got != wantRows {
		t.Errorf("rows (alerts now, held to quiet hours' end, daily, weekly, over the cap, cap notices) = %v, want %v", got, wantRows)
	}
}

// sentTexts returns the texts sent to s, in order.
func (h *harness) sentTexts(s bot.Subscriber) []string {
	var out []string
	for _, m := range h.chat.Sent() {
		if m.To == s {
			out = append(out, m.Message.Text)
		}
	}
	return out
}
