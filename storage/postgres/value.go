package postgres

import (
	"fmt"
	"time"
)

// Times are stored as BIGINT nanoseconds since 1970-01-01 UTC: timestamptz
// keeps microseconds only, and the store gives back the times it was given
// to the nanosecond, as the SQLite store does. Integers compare and sort as
// the times do. The range is 1678–2262; no notice lives outside it.

// unixNano returns t as stored.
func unixNano(t time.Time) int64 {
	return t.UnixNano()
}

// nullTime returns t as stored, or nil (NULL) when t is zero: "not stated".
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// fromNano reads a time written by unixNano, in UTC.
func fromNano(ns int64) time.Time {
	return time.Unix(0, ns).UTC()
}

// fromNullNano reads a time written by nullTime: NULL is the zero time.
func fromNullNano(ns *int64) time.Time {
	if ns == nil {
		return time.Time{}
	}
	return fromNano(*ns)
}

// checkTime fails for a time outside what BIGINT nanoseconds hold, which
// would otherwise come back as another time.
func checkTime(what string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if y := t.Year(); y < 1678 || y > 2261 {
		return fmt.Errorf("%s %s is outside the years 1678–2261 the store keeps", what, t.Format(time.RFC3339))
	}
	return nil
}
