package feeds

import (
	"strings"
	"time"
)

// Structured dates: RFC 3339 (OCDS, the TED API) and UBL's separate date and
// time with optional offsets (eForms, CODICE): "2023-11-24+01:00" and
// "13:00:00+01:00", "2023-10-25Z", or no offset at all.

// parseDate reads a date or date-time. A value without offset is a local
// time in loc; a date without time is the start of that day, or its end
// (23:59) when endOfDay is set, as deadlines mean it. The result is in UTC;
// ok is false for anything else or a year far from now.
func parseDate(s string, loc *time.Location, endOfDay bool) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if date, clock, found := strings.Cut(s, "T"); found {
		return ublDateTime(date, clock, loc, endOfDay)
	}
	return ublDateTime(s, "", loc, endOfDay)
}

// ublDateTime combines a UBL date and time, each with an optional offset;
// the time's offset wins, then the date's, then loc.
func ublDateTime(date, clock string, loc *time.Location, endOfDay bool) (time.Time, bool) {
	d, dateZone, ok := parseZoned(strings.TrimSpace(date), "2006-01-02")
	if !ok {
		return time.Time{}, false
	}
	hour, minute, sec, nsec := 0, 0, 0, 0
	if endOfDay {
		hour, minute = 23, 59
	}
	zone := dateZone
	if clock = strings.TrimSpace(clock); clock != "" {
		c, clockZone, ok := parseZoned(clock, "15:04:05.999999999")
		if !ok {
			c, clockZone, ok = parseZoned(clock, "15:04")
		}
		if !ok {
			return time.Time{}, false
		}
		hour, minute, sec, nsec = c.Hour(), c.Minute(), c.Second(), c.Nanosecond()
		if clockZone != nil {
			zone = clockZone
		}
	}
	if zone == nil {
		zone = loc
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), hour, minute, sec, nsec, zone).UTC()
	if t.Year() < 1990 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t, true
}

// parseZoned parses s with layout, followed by an optional offset ("Z",
// "+01:00"); zone is nil when there is none.
func parseZoned(s, layout string) (t time.Time, zone *time.Location, ok bool) {
	if t, err := time.Parse(layout+"Z07:00", s); err == nil {
		// A fixed zone, never time.Local (which Parse returns when the
		// offset happens to match it): the offset holds for this value only.
		_, offset := t.Zone()
		return t, time.FixedZone("", offset), true
	}
	if t, err := time.Parse(layout, s); err == nil {
		return t, nil, true
	}
	return time.Time{}, nil, false
}

// earliest returns the earliest non-zero time, or zero when there is none.
func earliest(times ...time.Time) time.Time {
	var first time.Time
	for _, t := range times {
		if !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	return first
}
