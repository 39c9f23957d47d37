package engage

import (
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func TestParseEventTime(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	day := time.Date(2027, 2, 10, 14, 0, 0, 0, time.FixedZone("", 3600))
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2027-02-10T14:00+01:00", day},
		{"2027-02-10T13:00:00Z", day},
		{"2027-02-10 14:00", day}, // the bot's zone: CET in February
		{"16:00", day.Add(2 * time.Hour)},
	}
	for _, c := range cases {
		got, err := parseEventTime(c.in, ams, day)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("parseEventTime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	if got, _ := parseEventTime("2027-02-10T14:00+01:00", ams, time.Time{}); got.Format("Z07:00") != "+01:00" {
		t.Errorf("the zone given must be kept, got %v", got)
	}
	if _, err := parseEventTime("next tuesday", ams, day); bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(bot.ErrorMessage(err), "2027-02-10T14:00+01:00") {
		t.Errorf("a bad time must show the form that works: %v", err)
	}
}

func FuzzParseEventTime(f *testing.F) {
	for _, seed := range []string{"2027-02-10T14:00+01:00", "16:00", "2027-02-10 14:00", "", "2027-13-45T99:99Z"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		day := time.Date(2027, 2, 10, 14, 0, 0, 0, time.UTC)
		if _, err := parseEventTime(s, time.UTC, day); err != nil && bot.ErrorCode(err) != bot.EINVALID {
			t.Fatalf("parseEventTime(%q): %v", s, err)
		}
	})
}
