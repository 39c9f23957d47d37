package bot

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func TestParseFields(t *testing.T) {
	got, err := parseFields(`title="Marktconsultatie \"zon\"" kind=consultation place=“Stadhuis Almelo” capacity=30`)
	if err != nil {
		t.Fatal(err)
	}
	want := []field{{"title", `Marktconsultatie "zon"`}, {"kind", "consultation"}, {"place", "Stadhuis Almelo"}, {"capacity", "30"}}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d: got %q, want %q", i, got[i], want[i])
		}
	}
	for _, bad := range []string{`title="open`, `just words`, `=value`, `title=x stray`} {
		if _, err := parseFields(bad); ErrorCode(err) != EINVALID {
			t.Errorf("parseFields(%q): %v, want EINVALID", bad, err)
		}
	}
}

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
	if _, err := parseEventTime("next tuesday", ams, day); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "2027-02-10T14:00+01:00") {
		t.Errorf("a bad time must show the form that works: %v", err)
	}
}

func FuzzParseFields(f *testing.F) {
	for _, seed := range []string{`title="a b" kind=x`, `a=“b c”`, `k="\"`, `x=`, `=`, `a=b=c d="e\" f"`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fields, err := parseFields(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("parseFields(%q): %v is not a person's error", s, err)
			}
			return
		}
		for _, fl := range fields {
			if fl.Key == "" || strings.ContainsFunc(fl.Key, unicode.IsSpace) {
				t.Fatalf("parseFields(%q): bad key %q", s, fl.Key)
			}
			if utf8.ValidString(s) && !utf8.ValidString(fl.Value) {
				t.Fatalf("parseFields(%q): value %q is not UTF-8", s, fl.Value)
			}
		}
	})
}

func FuzzParseEventTime(f *testing.F) {
	for _, seed := range []string{"2027-02-10T14:00+01:00", "16:00", "2027-02-10 14:00", "", "2027-13-45T99:99Z"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		day := time.Date(2027, 2, 10, 14, 0, 0, 0, time.UTC)
		if _, err := parseEventTime(s, time.UTC, day); err != nil && ErrorCode(err) != EINVALID {
			t.Fatalf("parseEventTime(%q): %v", s, err)
		}
	})
}
