package sqlite

import (
	"testing"
	"time"
	_ "time/tzdata" // Europe/Brussels, wherever the tests run
)

// brussels is a fixed +01:00 zone, as a form in Brussels gives in winter.
var brussels = time.FixedZone("", 3600)

func TestZonedTimesKeepTheirZone(t *testing.T) {
	brusselsTZ, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		in     time.Time
		stored string
	}{
		{"utc", time.Date(2026, 3, 10, 13, 0, 0, 0, time.UTC), "2026-03-10T13:00:00Z"},
		{"fixed offset", time.Date(2026, 3, 10, 14, 0, 0, 5, brussels), "2026-03-10T14:00:00.000000005+01:00"},
		{"named zone in winter", time.Date(2026, 3, 10, 14, 0, 0, 0, brusselsTZ), "2026-03-10T14:00:00+01:00[Europe/Brussels]"},
		{"named zone in summer", time.Date(2026, 7, 10, 14, 0, 0, 0, brusselsTZ), "2026-07-10T14:00:00+02:00[Europe/Brussels]"},
		{"unknown zone name", time.Date(2026, 3, 10, 14, 0, 0, 0, time.FixedZone("Mars/Olympus", -3*3600)), "2026-03-10T14:00:00-03:00[Mars/Olympus]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored := formatZoned(tt.in)
			if stored != tt.stored {
				t.Errorf("stored as %s, want %s", stored, tt.stored)
			}
			got, err := parseZoned(stored)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.in) || got.Format(time.RFC3339Nano) != tt.in.Format(time.RFC3339Nano) {
				t.Errorf("came back as %s, want %s", got.Format(time.RFC3339Nano), tt.in.Format(time.RFC3339Nano))
			}
			if tt.in.Location() != brusselsTZ {
				return
			}
			if name := got.Location().String(); name != "Europe/Brussels" {
				t.Errorf("came back in zone %q, want Europe/Brussels", name)
			}
		})
	}
	// A zone whose offset no longer matches (its rules changed) yields to
	// the stored offset.
	got, err := parseZoned("2026-03-10T14:00:00+03:00[Europe/Brussels]")
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Format(time.RFC3339); s != "2026-03-10T14:00:00+03:00" {
		t.Errorf("mismatched zone: came back as %s", s)
	}
	for _, bad := range []string{"2026-03-10T14:00:00+01:00[", "2026-03-10T14:00:00+01:00[]", "yesterday"} {
		if _, err := parseZoned(bad); err == nil {
			t.Errorf("parseZoned(%q): got no error", bad)
		}
	}
}
