package email_test

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
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

// TestParseSaysWhatToFixInTheReadersLanguage: a refused address is said
// in the reader's language, English by default.
func TestParseSaysWhatToFixInTheReadersLanguage(t *testing.T) {
	for _, tc := range []struct{ in, english, dutch string }{
		{"", "Give your e-mail address", "Geef je e-mailadres, bijvoorbeeld naam@bedrijf.nl."},
		{"jan zon@zon.example", "has no spaces", "Een e-mailadres heeft geen spaties"},
		{"jan", `"jan" is not an e-mail address`, `"jan" is geen e-mailadres; schrijf het als naam@bedrijf.nl.`},
		{"jan@zon", "has no domain", `"jan@zon" heeft na de @ geen domein zoals bedrijf.nl.`},
		{"jan@-zon.example", "is not a domain name", "het domein na de @ is geen domeinnaam"},
		{strings.Repeat("j", 65) + "@zon.example", "The part before the @", "Het deel vóór de @ is langer"},
	} {
		_, err := email.Parse(tc.in)
		if got := bot.ErrorMessage(err); !strings.Contains(got, tc.english) {
			t.Errorf("Parse(%q) in English: got %q, want %q in it", tc.in, got, tc.english)
		}
		if got := bot.ErrorText(text.For(text.Dutch), err); !strings.Contains(got, tc.dutch) {
			t.Errorf("Parse(%q) in Dutch: got %q, want %q in it", tc.in, got, tc.dutch)
		}
	}
}
