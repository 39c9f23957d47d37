package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

func TestLastSlot(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	s := bot.DigestSchedule{At: 8 * time.Hour, Weekday: time.Monday}
	tests := []struct {
		mode bot.DeliveryMode
		now  string // in Amsterdam
		want string
	}{
		{bot.DeliverDaily, "2026-11-26 07:59", "2026-11-25 08:00"},
		{bot.DeliverDaily, "2026-11-26 08:00", "2026-11-26 08:00"},
		{bot.DeliverWeekly, "2026-11-26 09:00", "2026-11-23 08:00"}, // Thursday: last Monday
		{bot.DeliverWeekly, "2026-11-23 07:00", "2026-11-16 08:00"}, // Monday before the hour
		{bot.DeliverDaily, "2027-03-28 09:00", "2027-03-28 08:00"},  // the day clocks go forward
		{bot.DeliverDaily, "2026-10-25 07:30", "2026-10-24 08:00"},  // and the day they go back
	}
	for _, tt := range tests {
		now, err := time.ParseInLocation("2006-01-02 15:04", tt.now, ams)
		if err != nil {
			t.Fatal(err)
		}
		if got := lastSlot(s, tt.mode, now.UTC(), ams).Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("%s at %s: got %s, want %s", tt.mode, tt.now, got, tt.want)
		}
	}
}

func TestDigestOrdersEarlyFirstThenByDeadlineAndCountsTheRest(t *testing.T) {
	now := time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC)
	to := bot.Subscriber{Platform: bot.PlatformConsole, Workspace: "local", User: "alice"}
	item := func(id string, kind bot.Kind, deadline time.Time, overflow bool) bot.DigestItem {
		return bot.DigestItem{To: to, Mode: bot.DeliverDaily, NoticeID: id, Overflow: overflow,
			Card: bot.Card{Notice: bot.Notice{ID: id, Kind: kind, Deadline: deadline}}}
	}
	items := []bot.DigestItem{
		item("award", bot.KindAward, time.Time{}, false),
		item("open-ended", bot.KindTender, time.Time{}, false),
		item("late", bot.KindTender, now.AddDate(0, 2, 0), true),
		item("soon", bot.KindTender, now.AddDate(0, 0, 10), false),
		item("early", bot.KindEarly, now.AddDate(0, 3, 0), false),
	}
	for i := range maxDigestCards {
		items = append(items, item("more-"+string(rune('a'+i)), bot.KindOther, time.Time{}, false))
	}
	d := digest(text.Printer{}, bot.DeliverDaily, now, now, items)
	var ids []string
	for _, c := range d.Message.Cards {
		ids = append(ids, c.Notice.ID)
	}
	if got := strings.Join(ids[:5], ","); got != "early,soon,late,open-ended,award" {
		t.Errorf("order: %s", got)
	}
	if len(d.Message.Cards) != maxDigestCards {
		t.Errorf("cards: %d, want at most %d", len(d.Message.Cards), maxDigestCards)
	}
	for _, want := range []string{"20 notice(s)", "1 of them arrived after you reached your hourly alert limit", "5 more are left out"} {
		if !strings.Contains(d.Message.Text, want) {
			t.Errorf("text lacks %q: %q", want, d.Message.Text)
		}
	}
	if d.Key != "digest:"+to.Key()+":daily:2026-11-26" || d.Purpose != bot.PurposeDigest || !d.DueAt.Equal(now) {
		t.Errorf("delivery: key %q, purpose %s, due %s", d.Key, d.Purpose, d.DueAt)
	}
}
