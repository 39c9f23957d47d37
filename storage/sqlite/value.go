package sqlite

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/tenderbot/tenderbot/storage/internal/codec"
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

// The lists are stored as codec.EncodeList writes them.
var encodeList = codec.EncodeList[string]

// decodeList reads a list written by encodeList: NULL is nil.
func decodeList(s sql.NullString) ([]string, error) {
	return codec.DecodeList[string](nullBytes(s))
}

// nullBytes returns s's text, or nil for NULL.
func nullBytes(s sql.NullString) []byte {
	if !s.Valid {
		return nil
	}
	return []byte(s.String)
}

// The times an event shows in its own zone are stored as codec.FormatZoned
// writes them.
var (
	formatZoned = codec.FormatZoned
	nullZoned   = codec.NullZoned
	parseZoned  = codec.ParseZoned
)

// parseNullZoned reads a time written by nullZoned: NULL is the zero time.
func parseNullZoned(s sql.NullString) (time.Time, error) {
	return codec.ParseNullZoned(nullString(s))
}
