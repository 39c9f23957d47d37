package engage

import (
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

func TestEventWhen(t *testing.T) {
	cet, cest := time.FixedZone("", 3600), time.FixedZone("", 7200)
	en, nl := text.For(text.English), text.For(text.Dutch)
	cases := []struct {
		p          text.Printer
		start, end time.Time
		want       string
	}{
		{en, time.Date(2027, 2, 10, 14, 0, 0, 0, cet), time.Date(2027, 2, 10, 16, 0, 0, 0, cet), "Wed 10 Feb 2027, 14:00–16:00 (UTC+01:00)"},
		{en, time.Date(2027, 2, 10, 14, 0, 0, 0, cet), time.Date(2027, 2, 11, 12, 0, 0, 0, cet), "Wed 10 Feb 2027, 14:00–Thu 11 Feb 2027, 12:00 (UTC+01:00)"},
		{en, time.Date(2027, 3, 27, 14, 0, 0, 0, cet), time.Date(2027, 3, 29, 10, 0, 0, 0, cest), "Sat 27 Mar 2027, 14:00 (UTC+01:00) – Mon 29 Mar 2027, 10:00 (UTC+02:00)"},
		{en, time.Date(2027, 2, 10, 14, 0, 0, 0, time.UTC), time.Date(2027, 2, 10, 15, 0, 0, 0, time.UTC), "Wed 10 Feb 2027, 14:00–15:00 (UTC+00:00)"},
		{nl, time.Date(2027, 2, 10, 14, 0, 0, 0, cet), time.Date(2027, 2, 10, 16, 0, 0, 0, cet), "woensdag 10 februari 2027, 14:00–16:00 (UTC+01:00)"},
		{nl, time.Date(2027, 3, 27, 14, 0, 0, 0, cet), time.Date(2027, 3, 29, 10, 0, 0, 0, cest), "zaterdag 27 maart 2027, 14:00 (UTC+01:00) – maandag 29 maart 2027, 10:00 (UTC+02:00)"},
	}
	for _, c := range cases {
		if got := eventWhen(c.p, bot.Event{Start: c.start, End: c.end}); got != c.want {
			t.Errorf("eventWhen(%s, %v, %v) = %q, want %q", c.p.Language(), c.start, c.end, got, c.want)
		}
	}
}

func TestAuditTimesNeverGoBack(t *testing.T) {
	last := time.Date(2027, 2, 10, 13, 0, 0, 500_000_000, time.UTC)
	st := bot.EventState{Event: bot.Event{ID: 1}}
	first := newAuditTrail(st, last)
	if err := first.add("publish", botActor, nil); err != nil {
		t.Fatal(err)
	}
	st.Last = first.last
	later := newAuditTrail(st, last.Add(-time.Second)) // a change that read the clock earlier
	if err := later.add("rsvp", botActor, nil); err != nil {
		t.Fatal(err)
	}
	if later.last.Time < first.last.Time {
		t.Errorf("time went back: %s after %s", later.last.Time, first.last.Time)
	}
}
