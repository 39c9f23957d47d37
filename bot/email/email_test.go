package email_test

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want "" for an address refused
	}{
		{"jan@zon.example", "jan@zon.example"},
		{"  Jan.Jansen+events@Zon-Energie.NL ", "jan.jansen+events@zon-energie.nl"},
		{"j@a.b.c.d", "j@a.b.c.d"},
		{"", ""},
		{"jan", ""},
		{"jan@zon", ""},
		{"@zon.example", ""},
		{"jan@", ""},
		{"jan@@zon.example", ""},
		{"jan@zon..example", ""},
		{"jan@-zon.example", ""},
		{"Jan <jan@zon.example>", ""},
		{"jan@zon.example, piet@zon.example", ""},
		{"jan zon@zon.example", ""},
		{"jan@zon.example\r\nBcc: x@y.example", ""},
		{`"jan"@zon.example`, ""},
		{"jan@zon_energie.example", ""},
		{strings.Repeat("a", 65) + "@zon.example", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := email.Parse(tc.in)
			if tc.want == "" {
				if err == nil || bot.ErrorCode(err) != bot.EINVALID {
					t.Errorf("got %q, %v; want an EINVALID error", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// FuzzParseEmail checks that every address accepted is one address that
// the standard library reads back as itself, in lower case, with nothing
// that could start another header.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"jan@zon.example", "Jan <jan@zon.example>", "a@b", "a@b.c\r\nBcc: d@e.f", "ü@ü.example", `"x y"@z.example`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := email.Parse(s)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("%q: got %v, want EINVALID", s, err)
			}
			return
		}
		if got != strings.ToLower(got) || strings.ContainsAny(got, "\r\n <>,;") || strings.Count(got, "@") != 1 {
			t.Fatalf("%q accepted as %q", s, got)
		}
		a, err := mail.ParseAddress(got)
		if err != nil || !strings.EqualFold(a.Address, got) {
			t.Fatalf("%q accepted as %q, which reads back as %v, %v", s, got, a, err)
		}
		if again, err := email.Parse(got); err != nil || again != got {
			t.Fatalf("%q: the accepted %q reads again as %q, %v", s, got, again, err)
		}
		if sub := email.Subscriber(got); sub.Validate() != nil {
			t.Fatalf("%q: subscriber %+v is not valid", s, sub)
		}
	})
}
