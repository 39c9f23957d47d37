// Package daytime is the time of day as the clock on the wall shows it: a
// moment of a given day ("08:00"), and a daily span ("22:00-07:00") with
// the moment it ends — right on the days the clocks change, when midnight
// plus eight hours is 07:00 or 09:00.
package daytime

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// On returns the moment the clock in loc shows at (a time of day, as a
// duration after midnight) on the date of day in loc.
func On(day time.Time, at time.Duration, loc *time.Location) time.Time {
	y, m, d := day.In(loc).Date()
	at = at.Round(time.Second)
	return time.Date(y, m, d, int(at/time.Hour), int(at%time.Hour/time.Minute), int(at%time.Minute/time.Second), 0, loc)
}

// Span is a daily window of the clock, as times of day; Start after End
// spans midnight (22:00-07:00).
type Span struct {
	Start, End time.Duration
}

// Until returns when the window holding t ends, in loc, or t itself when
// t is outside it.
func (s Span) Until(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	now := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute +
		time.Duration(local.Second())*time.Second + time.Duration(local.Nanosecond())
	switch {
	case s.Start == s.End:
		return t
	case s.Start < s.End: // 12:00-14:00
		if now >= s.Start && now < s.End {
			return On(local, s.End, loc)
		}
	default: // 22:00-07:00
		if now >= s.Start {
			return On(local.AddDate(0, 0, 1), s.End, loc)
		}
		if now < s.End {
			return On(local, s.End, loc)
		}
	}
	return t
}

func (s Span) String() string {
	clock := func(d time.Duration) string { return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60) }
	return clock(s.Start) + "-" + clock(s.End)
}

// Errors of ParseSpan.
var (
	ErrSpanForm  = errors.New("not a span of the clock: write it from-to, 24-hour clock, e.g. 22:00-07:00")
	ErrSpanEmpty = errors.New("the span starts when it ends")
)

// ParseSpan reads "22:00-07:00".
func ParseSpan(s string) (Span, error) {
	start, end, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	if !ok {
		return Span{}, ErrSpanForm
	}
	var span Span
	for i, part := range []string{start, end} {
		t, err := time.Parse("15:04", part)
		if err != nil {
			return Span{}, ErrSpanForm
		}
		d := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
		if i == 0 {
			span.Start = d
		} else {
			span.End = d
		}
	}
	if span.Start == span.End {
		return Span{}, ErrSpanEmpty
	}
	return span, nil
}
