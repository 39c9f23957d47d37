package engage

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
)

// icsEvent is a published supplier day in Almelo, an hour ahead of UTC.
func icsEvent() bot.Event {
	cet := time.FixedZone("CET", 3600)
	return bot.Event{
		ID:          7,
		Title:       "Supplier day: solar roofs",
		Description: "Plans for 40 school roofs.",
		Kind:        bot.EventSupplierDay,
		Start:       time.Date(2027, 2, 10, 14, 0, 0, 0, cet),
		End:         time.Date(2027, 2, 10, 16, 0, 0, 0, cet),
		Place:       "Stadhuis, Haven Noordzijde 1, Almelo",
		Status:      bot.EventPublished,
		Sequence:    0,
		CreatedAt:   time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
		UpdatedAt:   time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC),
	}
}

func TestEventICS(t *testing.T) {
	got := string(EventICS(icsEvent(), "https://events.almelo.example/"))
	want := strings.Join([]string{
		"BEGIN:VCALENDAR",
		"PRODID:-//tenderbot//events//EN",
		"VERSION:2.0",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		"BEGIN:VEVENT",
		"UID:tenderbot-event-7@events.almelo.example",
		"DTSTAMP:20261201T093000Z",
		"DTSTART:20270210T130000Z",
		"DTEND:20270210T150000Z",
		"SUMMARY:Supplier day: solar roofs",
		`DESCRIPTION:Supplier day\n\nPlans for 40 school roofs.\n\nRegister: in chat`,
		`  with tenderbot\, press Going on your invitation or send "event rsvp 7 goi`,
		` ng". Everybody can register\, invited or not.\n\nDetails\, questions and a`,
		` nswers: https://events.almelo.example/events/7`,
		`LOCATION:Stadhuis\, Haven Noordzijde 1\, Almelo`,
		"URL:https://events.almelo.example/events/7",
		"SEQUENCE:0",
		"STATUS:CONFIRMED",
		"LAST-MODIFIED:20261201T093000Z",
		"END:VEVENT",
		"END:VCALENDAR",
		"",
	}, "\r\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEventICSVersions(t *testing.T) {
	first := icsEvent()
	moved := first
	moved.Start = moved.Start.Add(24 * time.Hour)
	moved.End = moved.End.Add(24 * time.Hour)
	moved.Sequence = 1
	moved.UpdatedAt = moved.UpdatedAt.Add(time.Hour)
	cancelled := moved
	cancelled.Status = bot.EventCancelled
	cancelled.Reason = "The tender is postponed."
	cancelled.Sequence = 2
	other := first
	other.ID = 8

	const base = "https://events.almelo.example"
	tests := []struct {
		name     string
		e        bot.Event
		uid      string
		sequence string
		status   string
	}{
		{"first version", first, "tenderbot-event-7@events.almelo.example", "0", "CONFIRMED"},
		{"moved a day", moved, "tenderbot-event-7@events.almelo.example", "1", "CONFIRMED"},
		{"cancelled", cancelled, "tenderbot-event-7@events.almelo.example", "2", "CANCELLED"},
		{"another event", other, "tenderbot-event-8@events.almelo.example", "0", "CONFIRMED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := icsProps(t, EventICS(tt.e, base))
			for name, want := range map[string]string{"UID": tt.uid, "SEQUENCE": tt.sequence, "STATUS": tt.status} {
				if p[name] != want {
					t.Errorf("%s: got %q, want %q", name, p[name], want)
				}
			}
		})
	}
	if p := icsProps(t, EventICS(cancelled, base)); !strings.Contains(icsUnescape(p["DESCRIPTION"]), "cancelled. The tender is postponed.") {
		t.Errorf("DESCRIPTION of a cancelled event gives no reason: %q", p["DESCRIPTION"])
	}
	if !bytes.Equal(EventICS(moved, base), EventICS(moved, base)) {
		t.Error("the same version of an event gave different bytes")
	}
}

func TestEventICSWithoutBaseURL(t *testing.T) {
	p := icsProps(t, EventICS(icsEvent(), ""))
	if p["UID"] != "tenderbot-event-7@tenderbot" {
		t.Errorf("UID: got %q, want tenderbot-event-7@tenderbot", p["UID"])
	}
	if u, ok := p["URL"]; ok {
		t.Errorf("URL: got %q, want none without a base URL", u)
	}
}

func TestEventICSText(t *testing.T) {
	tests := []struct {
		name, title, want string
	}{
		{"punctuation and multi-byte", "Zonnedaken, fase 2; Almelo — €80M\nsecond line", "Zonnedaken, fase 2; Almelo — €80M\nsecond line"},
		{"backslash", `C:\tenders\2027`, `C:\tenders\2027`},
		{"CRLF and CR become LF", "one\r\ntwo\rthree", "one\ntwo\nthree"},
		{"control characters dropped", "bell\a and nul\x00", "bell and nul"},
		{"invalid UTF-8 dropped", "caf\xe9 Almelo", "caf Almelo"},
		{"long multi-byte", strings.Repeat("€ü漢", 60), strings.Repeat("€ü漢", 60)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := icsEvent()
			e.Title = tt.title
			e.Place = tt.title
			b := EventICS(e, "https://events.almelo.example")
			checkICSLines(t, b)
			p := icsProps(t, b)
			if got := icsUnescape(p["SUMMARY"]); got != tt.want {
				t.Errorf("SUMMARY: got %q, want %q", got, tt.want)
			}
			if got := icsUnescape(p["LOCATION"]); got != tt.want {
				t.Errorf("LOCATION: got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzEventICS(f *testing.F) {
	f.Add("Zonnedaken, fase 2; Almelo — €80M\nsecond line", "Plans; costs, \\ risks", "Almelo")
	f.Add(strings.Repeat("漢", 40), strings.Repeat("a,", 100), "https://meet.example/abc?x=1;y=2")
	f.Add("", "", "")
	f.Add("\r\n\x00\xff", "\\n", ";;;")
	f.Fuzz(func(t *testing.T, title, description, place string) {
		e := icsEvent()
		e.Title, e.Description, e.Place = title, description, place
		b := EventICS(e, "https://events.almelo.example")
		checkICSLines(t, b)
		p := icsProps(t, b)
		if icsClean(title) {
			if got := icsUnescape(p["SUMMARY"]); got != title {
				t.Errorf("SUMMARY: got %q, want %q", got, title)
			}
		}
	})
}

// icsClean reports whether s survives EventICS unchanged: valid UTF-8 and no
// control characters but tab and LF.
func icsClean(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
		return (r < ' ' && r != '\t' && r != '\n') || r == 0x7f
	})
}

// checkICSLines checks the framing of RFC 5545 §3.1: every line ends in
// CRLF, no LF stands alone, no line is longer than 75 octets, and every
// line is UTF-8 on its own (folding never splits a character).
func checkICSLines(t *testing.T, b []byte) {
	t.Helper()
	s := string(b)
	if !strings.HasSuffix(s, "\r\n") {
		t.Errorf("the last line does not end in CRLF: %q", s[max(len(s)-20, 0):])
	}
	if n := strings.Count(s, "\n"); n != strings.Count(s, "\r\n") {
		t.Errorf("%d LF, of which only %d after CR", n, strings.Count(s, "\r\n"))
	}
	for i, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets, more than 75: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d is not valid UTF-8: %q", i+1, l)
		}
		if strings.ContainsRune(l, '\r') {
			t.Errorf("line %d holds a CR: %q", i+1, l)
		}
	}
}

// icsProps unfolds b and returns each property's value, still escaped, by
// name; a name seen twice (other than BEGIN and END) fails the test.
func icsProps(t *testing.T, b []byte) map[string]string {
	t.Helper()
	props := map[string]string{}
	for _, l := range icsUnfold(string(b)) {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("line without a colon: %q", l)
		}
		if name == "BEGIN" || name == "END" {
			continue
		}
		if _, dup := props[name]; dup {
			t.Errorf("%s twice", name)
		}
		props[name] = value
	}
	return props
}

// icsUnfold joins folded lines back into content lines (RFC 5545 §3.1).
func icsUnfold(s string) []string {
	s = strings.ReplaceAll(s, "\r\n ", "")
	return strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
}

// icsUnescape reads a TEXT value (RFC 5545 §3.3.11).
func icsUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
