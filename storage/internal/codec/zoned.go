package codec

import (
	"fmt"
	"strings"
	"time"
)

// FormatZoned returns t as written by a person, for the times an event
// shows in its own zone (its start, end and registration deadline): RFC 3339
// at t's offset, to the nanosecond, followed by the name of t's zone in
// brackets (RFC 9557), as in 2026-03-10T14:00:00+01:00[Europe/Brussels], when
// the zone has a name other than UTC.
func FormatZoned(t time.Time) string {
	s := t.Format(time.RFC3339Nano)
	if name := t.Location().String(); name != "" && name != "UTC" {
		s += "[" + name + "]"
	}
	return s
}

// NullZoned returns t as FormatZoned does, or nil (NULL) when t is zero.
func NullZoned(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return FormatZoned(t)
}

// ParseZoned reads a time written by FormatZoned. It comes back in the zone
// named when this machine knows that zone and it has the stored offset at
// that instant; otherwise in a fixed zone at the stored offset (UTC for
// Z), so the wall-clock time is always the one given, whatever the local
// zone of the machine reading it.
func ParseZoned(s string) (time.Time, error) {
	stamp, name, named := strings.Cut(s, "[")
	if named {
		var ok bool
		if name, ok = strings.CutSuffix(name, "]"); !ok || name == "" {
			return time.Time{}, fmt.Errorf("stored time %q: malformed zone", s)
		}
	}
	t, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	_, offset := t.Zone()
	if named {
		if loc, err := time.LoadLocation(name); err == nil {
			in := t.In(loc)
			if _, o := in.Zone(); o == offset {
				return in, nil
			}
		}
	}
	if offset == 0 && !named {
		return t.UTC(), nil
	}
	return t.In(time.FixedZone("", offset)), nil
}

// ParseNullZoned reads a time written by NullZoned: nil (NULL) is the zero
// time.
func ParseNullZoned(s *string) (time.Time, error) {
	if s == nil {
		return time.Time{}, nil
	}
	return ParseZoned(*s)
}
