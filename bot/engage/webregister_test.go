package engage_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/engage"
)

func TestCheckRegistrant(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    engage.Registrant
		field string // "" when accepted
	}{
		{"complete", engage.Registrant{Name: " Jan Jansen ", Company: "Zon BV", Email: "Jan@Zon.example"}, ""},
		{"no company", engage.Registrant{Name: "Jan", Email: "jan@zon.example"}, ""},
		{"no name", engage.Registrant{Name: " ", Email: "jan@zon.example"}, "name"},
		{"long name", engage.Registrant{Name: strings.Repeat("j", 121), Email: "jan@zon.example"}, "name"},
		{"two lines", engage.Registrant{Name: "Jan\nBcc", Email: "jan@zon.example"}, "name"},
		{"long company", engage.Registrant{Name: "Jan", Company: strings.Repeat("z", 161), Email: "jan@zon.example"}, "company"},
		{"bad address", engage.Registrant{Name: "Jan", Email: "jan@zon"}, "email"},
		{"no address", engage.Registrant{Name: "Jan"}, "email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := engage.CheckRegistrant(tc.in)
			if f := bot.ErrorField(err); f != tc.field || (err != nil) != (tc.field != "") {
				t.Fatalf("got field %q (%v), want %q", f, err, tc.field)
			}
			if err == nil && (got.Name != strings.TrimSpace(tc.in.Name) || got.Email != strings.ToLower(strings.TrimSpace(tc.in.Email))) {
				t.Errorf("got %+v", got)
			}
		})
	}
}

// FuzzCheckRegistrant checks that what the public form accepts is what
// the attendance list can hold: one line each, within the limits, and an
// address that reads as itself.
func FuzzCheckRegistrant(f *testing.F) {
	f.Add("Jan Jansen", "Zon BV", "jan@zon.example")
	f.Add("", "", "")
	f.Add("Jan\r\n", "=cmd|' /C calc'!A0", "Jan <jan@zon.example>")
	f.Fuzz(func(t *testing.T, name, company, address string) {
		got, err := engage.CheckRegistrant(engage.Registrant{Name: name, Company: company, Email: address})
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID || bot.ErrorField(err) == "" {
				t.Fatalf("got %v (field %q), want EINVALID on a field", err, bot.ErrorField(err))
			}
			return
		}
		if got.Name == "" || utf8.RuneCountInString(got.Name) > 120 || utf8.RuneCountInString(got.Company) > 160 {
			t.Fatalf("accepted %+v", got)
		}
		if strings.ContainsAny(got.Name+got.Company, "\r\n\x00") {
			t.Fatalf("accepted a line break: %+v", got)
		}
		if again, err := email.Parse(got.Email); err != nil || again != got.Email {
			t.Fatalf("address %q reads again as %q, %v", got.Email, again, err)
		}
	})
}
