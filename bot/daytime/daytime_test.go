package daytime

import (
	"errors"
	"testing"
	"time"
)

func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	return loc
}

func TestSpanUntilKeepsTheClockOnTheDaysItChanges(t *testing.T) {
	ams := amsterdam(t)
	night := Span{Start: 22 * time.Hour, End: 7 * time.Hour}
	lunch := Span{Start: 12 * time.Hour, End: 13*time.Hour + 30*time.Minute}
	tests := []struct {
		span      Span
		now, want string // in Amsterdam; want "" for now itself
	}{
		{night, "2026-11-26 23:00", "2026-11-27 07:00"},
		{night, "2026-11-26 06:59", "2026-11-26 07:00"},
		{night, "2026-11-26 07:00", ""},
		{night, "2026-11-26 21:59", ""},
		{night, "2027-03-27 23:00", "2027-03-28 07:00"}, // the night the clocks go forward
		{night, "2026-10-24 23:00", "2026-10-25 07:00"}, // and back
		{night, "2026-10-25 06:00", "2026-10-25 07:00"},
		{lunch, "2026-11-26 12:15", "2026-11-26 13:30"},
		{lunch, "2026-11-26 13:30", ""},
		{Span{Start: 8 * time.Hour, End: 8 * time.Hour}, "2026-11-26 08:00", ""},
	}
	for _, tt := range tests {
		now, err := time.ParseInLocation("2006-01-02 15:04", tt.now, ams)
		if err != nil {
			t.Fatal(err)
		}
		want := now
		if tt.want != "" {
			if want, err = time.ParseInLocation("2006-01-02 15:04", tt.want, ams); err != nil {
				t.Fatal(err)
			}
		}
		if got := tt.span.Until(now.UTC(), ams); !got.Equal(want) {
			t.Errorf("%s at %s: until %s, want %s", tt.span, tt.now, got.In(ams).Format("2006-01-02 15:04"), want.Format("2006-01-02 15:04"))
		}
	}
}

func TestOnIsTheTimeTheClockShows(t *testing.T) {
	ams := amsterdam(t)
	for _, day := range []string{"2027-03-28", "2026-10-25", "2026-11-26"} {
		d, err := time.ParseInLocation("2006-01-02", day, ams)
		if err != nil {
			t.Fatal(err)
		}
		if got := On(d.Add(20*time.Hour), 8*time.Hour+30*time.Minute, ams).Format("2006-01-02 15:04"); got != day+" 08:30" {
			t.Errorf("08:30 on %s: got %s", day, got)
		}
	}
}

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in   string
		want Span
		err  error
	}{
		{"22:00-07:00", Span{22 * time.Hour, 7 * time.Hour}, nil},
		{" 12:30 - 13:45 ", Span{12*time.Hour + 30*time.Minute, 13*time.Hour + 45*time.Minute}, nil},
		{"22:00", Span{}, ErrSpanForm},
		{"25:00-07:00", Span{}, ErrSpanForm},
		{"10pm-7am", Span{}, ErrSpanForm},
		{"08:00-08:00", Span{}, ErrSpanEmpty},
	}
	for _, tt := range tests {
		got, err := ParseSpan(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("ParseSpan(%q): got %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func FuzzParseSpan(f *testing.F) {
	f.Add("22:00-07:00")
	f.Add("-")
	f.Fuzz(func(t *testing.T, s string) {
		span, err := ParseSpan(s)
		if err != nil {
			return
		}
		if span.Start < 0 || span.Start >= 24*time.Hour || span.End < 0 || span.End >= 24*time.Hour || span.Start == span.End {
			t.Fatalf("ParseSpan(%q) = %v", s, span)
		}
		if again, err := ParseSpan(span.String()); err != nil || again != span {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
	})
}
