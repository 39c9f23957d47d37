package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/bot/text"
)

func fanOutTests() []test {
	return []test{
		{"FanOutCardsComeBackAsGiven", testFanOutCardsComeBackAsGiven},
		{"FanOutSkipsExistingKeys", testFanOutSkipsExistingKeys},
		{"SettingsOfReadsMany", testSettingsOfReadsMany},
		{"CountsSinceCountsEach", testCountsSinceCountsEach},
	}
}

// sharedCard is the card of FullNotice as every recipient sees it.
func sharedCard(via string) bot.Card {
	n := FullNotice()
	c := bot.Card{
		Notice:   n,
		CPV:      []bot.CodeName{{Code: "45212225", Label: "Bouwwerkzaamheden voor sportcomplexen"}, {Code: "09331200"}},
		Regions:  []bot.CodeName{{Code: "NL213", Label: "Twente"}},
		Ref:      bot.NoticeRef(n.ID),
		Via:      via,
		DaysLeft: 12,
	}
	return c.For(0, "", nil)
}

// fanOut is the effects of a notice reaching subscribers: an alert for the
// first, a digest item for the second, and so on alternately, each with
// the shared card for their own profile.
func fanOut(shared bot.Card, subs []bot.Subscriber, due time.Time) bot.Effects {
	fx := bot.Effects{Card: &shared}
	for i, sub := range subs {
		profile := int64(100 + i)
		card := shared.For(profile, fmt.Sprintf("profiel %d", i), []string{"cpv 45212225 under 45000000", fmt.Sprintf("word %d", i)})
		if i%2 == 1 {
			fx.Held = append(fx.Held, bot.DigestItem{To: sub, Mode: bot.DeliverDaily, ProfileID: profile, NoticeID: shared.Notice.ID, Card: card})
			continue
		}
		msg := bot.Message{Text: fmt.Sprintf("New tender for your profile %q:", card.Profile), Cards: []bot.Card{card}}
		if i%4 == 2 { // a channel profile's alert calls its group and a person
			msg.Mentions = []bot.Mention{{Group: true, ID: "S0TEAM"}, {ID: "U0LEAD"}}
		}
		fx.Deliveries = append(fx.Deliveries, bot.Delivery{
			Key: bot.AlertKey(sub, shared.Notice.ID), To: sub, Purpose: bot.PurposeAlert, NoticeID: shared.Notice.ID, ProfileID: profile,
			Message: msg, DueAt: due,
		})
	}
	return fx
}

// What a recipient sees does not depend on how a store keeps a notice's
// card: every alert and digest item comes back with exactly the card, text
// and buttons it was given, its own profile and reasons included.
func testFanOutCardsComeBackAsGiven(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	shared := sharedCard("Twente Business Desk")
	fx := fanOut(shared, people, epoch)
	if _, err := s.SaveNotice(ctx, shared.Notice, []string{"ref:" + shared.Ref}, fx); err != nil {
		t.Fatal(err)
	}
	comesBack(t, s, fx, "stored")
}

// comesBack checks that fx's deliveries are due and its digest items held,
// each with exactly the message or card it was given, and nothing else.
func comesBack(t *testing.T, s bot.Store, fx bot.Effects, when string) {
	t.Helper()
	ctx := context.Background()
	due, err := s.DueDeliveries(ctx, []bot.Platform{bot.PlatformSlack, bot.PlatformDiscord, bot.PlatformConsole}, epoch, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bot.Message{}
	for _, d := range due {
		got[d.Key] = d.Message
	}
	for _, d := range fx.Deliveries {
		equal(t, when+": message of "+d.Key, got[d.Key], d.Message)
	}
	if len(due) != len(fx.Deliveries) {
		t.Errorf("%s: %d deliveries due, want %d", when, len(due), len(fx.Deliveries))
	}
	items, err := s.DigestItems(ctx, bot.DeliverDaily, epoch.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	held := map[bot.Subscriber]bot.Card{}
	for _, it := range items {
		held[it.To] = it.Card
	}
	for _, it := range fx.Held {
		equal(t, when+": digest card of "+it.To.Key(), held[it.To], it.Card)
	}
	if len(items) != len(fx.Held) {
		t.Errorf("%s: %d digest items, want %d", when, len(items), len(fx.Held))
	}
}

// A fan-out that meets keys it wrote before writes none of them twice and
// the rest once.
func testFanOutSkipsExistingKeys(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	shared := sharedCard("")
	first := fanOut(shared, people[:2], epoch)
	if _, err := s.SaveNotice(ctx, shared.Notice, nil, first); err != nil {
		t.Fatal(err)
	}
	again := fanOut(shared, people, epoch)
	if _, err := s.SaveNotice(ctx, shared.Notice, nil, again); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueDeliveries(ctx, []bot.Platform{bot.PlatformSlack, bot.PlatformDiscord, bot.PlatformConsole}, epoch, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, d := range due {
		seen[d.Key]++
	}
	for _, d := range again.Deliveries {
		if seen[d.Key] != 1 {
			t.Errorf("%s is due %d times, want once", d.Key, seen[d.Key])
		}
	}
}

// SettingsOf returns the stored settings of everyone asked for, and leaves
// out who has none.
func testSettingsOfReadsMany(t *testing.T, s bot.Store, _ *bottest.Clock) {
	ctx := context.Background()
	night := bot.Settings{Quiet: &bot.QuietHours{Start: 22 * time.Hour, End: 7 * time.Hour}}
	lunch := bot.Settings{Quiet: &bot.QuietHours{Start: 12 * time.Hour, End: 13 * time.Hour}, Language: text.Dutch}
	dutchChat := bot.Settings{Locale: "nl-NL"}
	for sub, st := range map[bot.Subscriber]bot.Settings{alice: night, channel: lunch, zoe: dutchChat} {
		if err := s.SaveSettings(ctx, sub, st); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.SettingsOf(ctx, []bot.Subscriber{alice, bob, channel, zoe})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "settings", got, map[bot.Subscriber]bot.Settings{alice: night, channel: lunch, zoe: dutchChat})
	if one, err := s.Settings(ctx, channel); err != nil || one.Language != text.Dutch || one.Quiet == nil {
		t.Errorf("Settings(channel) = %+v, %v; want its quiet hours and Dutch", one, err)
	}
	if none, err := s.SettingsOf(ctx, nil); err != nil || len(none) != 0 {
		t.Errorf("SettingsOf(nil) = %v, %v; want nothing", none, err)
	}
}

// CountsSince counts each subscriber's deliveries of one purpose made since
// a time, and leaves out who has none.
func testCountsSinceCountsEach(t *testing.T, s bot.Store, clock *bottest.Clock) {
	ctx := context.Background()
	enqueue := func(key string, sub bot.Subscriber, purpose bot.Purpose) {
		t.Helper()
		d := bot.Delivery{Key: key, To: sub, Purpose: purpose, Message: bot.Message{Text: key}}
		if _, err := s.Enqueue(ctx, &d); err != nil {
			t.Fatal(err)
		}
	}
	enqueue("old", alice, bot.PurposeAlert) // made before the hour counted
	clock.Advance(2 * time.Hour)
	since := clock.Now().Add(-time.Hour)
	enqueue("a1", alice, bot.PurposeAlert)
	enqueue("a2", alice, bot.PurposeAlert)
	enqueue("c1", channel, bot.PurposeAlert)
	enqueue("b-notice", bob, bot.PurposeNotice)
	got, err := s.CountsSince(ctx, []bot.Subscriber{alice, bob, channel, zoe}, bot.PurposeAlert, since)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "counts", got, map[bot.Subscriber]int{alice: 2, channel: 1})
}
