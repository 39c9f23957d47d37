package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// timeLayout is how times are stored: UTC, fixed width, nanoseconds always
// written out, so that comparing and sorting the text compares and sorts the
// times (RFC3339Nano trims trailing zeros and would sort "…05Z" after
// "…05.5Z"). Years outside 0000–9999 do not fit; no notice lives there.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// formatTime returns t as stored.
func formatTime(t time.Time) string {
	return t.UTC().Format(timeLayout)
}

// nullTime returns t as stored, or nil (NULL) when t is zero: "not stated".
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// parseTime reads a time written by formatTime.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// parseNullTime reads a time written by nullTime: NULL is the zero time.
func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

// encodeList returns v as a JSON array, or nil (NULL) when it has no
// elements: nil and empty lists are stored alike and both come back nil.
func encodeList[T any](v []T) (any, error) {
	if len(v) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// decodeList reads a list written by encodeList.
func decodeList[T any](s sql.NullString) ([]T, error) {
	if !s.Valid {
		return nil, nil
	}
	var v []T
	if err := json.Unmarshal([]byte(s.String), &v); err != nil {
		return nil, fmt.Errorf("stored list %.40q: %w", s.String, err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	return v, nil
}

// formatZoned returns t as written by a person, for the times an event
// shows in its own zone (its start, end and registration deadline): RFC 3339
// at t's offset, to the nanosecond, followed by the name of t's zone in
// brackets (RFC 9557), as in 2026-03-10T14:00:00+01:00[Europe/Brussels], when
// the zone has a name other than UTC.
func formatZoned(t time.Time) string {
	s := t.Format(time.RFC3339Nano)
	if name := t.Location().String(); name != "" && name != "UTC" {
		s += "[" + name + "]"
	}
	return s
}

// nullZoned returns t as formatZoned does, or nil (NULL) when t is zero.
func nullZoned(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatZoned(t)
}

// parseZoned reads a time written by formatZoned. It comes back in the zone
// named when this machine knows that zone and it has the stored offset at
// that instant; otherwise in a fixed zone at the stored offset (UTC for
// Z), so the wall-clock time is always the one given, whatever the local
// zone of the machine reading it.
func parseZoned(s string) (time.Time, error) {
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

// parseNullZoned reads a time written by nullZoned: NULL is the zero time.
func parseNullZoned(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseZoned(s.String)
}
