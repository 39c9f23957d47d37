package text

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]Language{
		"nl": Dutch, "NL": Dutch, "nl-NL": Dutch, "nl_BE.UTF-8": Dutch, "Nederlands": Dutch,
		"en": English, "en-GB": English, "en_US.UTF-8": English, "english": English,
	} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "de", "C", "POSIX", "fr-FR", "nl2"} {
		if got, ok := Parse(in); ok {
			t.Errorf("Parse(%q) = %q; want no language", in, got)
		}
	}
}

func TestPickFallsBackToEnglish(t *testing.T) {
	if got := Pick("", "de-DE", "nl_NL.UTF-8", "en"); got != Dutch {
		t.Errorf("Pick = %q, want the first language spoken, nl", got)
	}
	if got := Pick("fr", "C.UTF-8"); got != English {
		t.Errorf("Pick = %q, want en", got)
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for header, want := range map[string]Language{
		"nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7": Dutch,
		"en-US,en;q=0.9,nl;q=0.8":             English,
		"de-DE,de;q=0.9,nl;q=0.5":             Dutch,
		"fr-FR":                               English,
		"nl;q=0,en;q=0.1":                     English,
		"":                                    English,
		"en;q=0.2, nl;q=0.3":                  Dutch,
		"nl;q=abc":                            English,
	} {
		if got := FromAcceptLanguage(header, English); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
	if got := FromAcceptLanguage("fr", Dutch); got != Dutch {
		t.Errorf("the fallback is not kept: %q", got)
	}
}

func TestDutchFormats(t *testing.T) {
	nl, en := For(Dutch), For(English)
	day := time.Date(2027, time.February, 10, 14, 30, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{nl.Date(day), "10 februari 2027"},
		{en.Date(day), "10 February 2027"},
		{nl.Format(day, "Mon 2 Jan 2006 15:04 MST"), "wo 10 feb 2027 14:30 UTC"},
		{nl.Format(day, "Monday 2 January"), "woensdag 10 februari"},
		{nl.Format(day.AddDate(0, 1, 0), "2 Jan"), "10 mrt"},
		{en.Format(day, "Mon 2 Jan 2006 15:04 MST"), "Wed 10 Feb 2027 14:30 UTC"},
		{nl.Amount(450000, "EUR"), "€ 450.000"},
		{nl.Amount(1250000.5, "EUR"), "€ 1.250.000,50"},
		{nl.Amount(-999, "GBP"), "GBP -999"},
		{en.Amount(1250000.5, "EUR"), "EUR 1,250,000.50"},
		{en.Amount(450000, ""), "450,000"},
		{nl.Int(3000), "3.000"},
		{en.Int(1000000), "1,000,000"},
		{nl.List([]string{"a", "b", "c"}), "a, b en c"},
		{en.List([]string{"a", "b"}), "a and b"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestPrinterSpeaksItsLanguage(t *testing.T) {
	if got := For(Dutch).Sprintf(" and "); got != " en " {
		t.Errorf("Dutch printer says %q", got)
	}
	if got := For("de").Language(); got != English {
		t.Errorf("a language the bot does not speak gets %q", got)
	}
	var zero Printer
	if zero.Language() != English || zero.Sprintf(" and ") != " and " {
		t.Error("the zero Printer does not speak English")
	}
}

func FuzzFromAcceptLanguage(f *testing.F) {
	for _, s := range []string{"nl-NL,nl;q=0.9,en;q=0.8", "", ";;;,,q=", "en;q=1.000", "nl;q=0.", "*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := FromAcceptLanguage(header, English)
		if got != English && got != Dutch {
			t.Fatalf("FromAcceptLanguage(%q) = %q", header, got)
		}
		if _, ok := Parse(header); ok && len(header) > 40 {
			t.Fatalf("Parse accepts %q", header)
		}
	})
}

func TestDutchReasons(t *testing.T) {
	nl := For(Dutch)
	for reason, want := range map[string]string{
		"cpv 45212225 under 45000000 in lot 2":             "cpv 45212225 valt onder 45000000 in perceel 2",
		`"renovatie" in title`:                             `"renovatie" in de titel`,
		`"under the bridge" in description`:                `"under the bridge" in de omschrijving`,
		"region NL213 (Twente in NUTS 2021) under NL21":    "regio NL213 (Twente in NUTS 2021) valt onder NL21",
		"deadline in 12 days, at least 7 days":             "sluit over 12 dagen, minstens 7 dagen",
		"deadline in 1 day, less than 30 days":             "sluit over 1 dag, minder dan 30 dagen",
		"value EUR 450,000, between 100k and 1m":           "waarde € 450.000, tussen 100k en 1m",
		"value 450,000 EUR, at least 50k":                  "waarde € 450.000, minstens 50k",
		"value 1,234.50 GBP, not at least 5k":              "waarde GBP 1.234,50, niet minstens 5k",
		"value 450,000 (currency not stated), at most 1m":  "waarde 450.000 (valuta niet vermeld), hoogstens 1m",
		"✗ value 2,500,000 EUR, not less than 1m":          "✗ waarde € 2.500.000, niet minder dan 1m",
		"value not stated":                                 "waarde niet vermeld",
		"country NL":                                       "land NL",
		`✓ no "asbest" in title, description or buyer`:     `✓ geen "asbest" in de titel, omschrijving of opdrachtgever`,
		"  ✗ no region in NL3 (the notice is in NL213)":    "  ✗ geen regio in NL3 (de aankondiging ligt in NL213)",
		"✗ no cpv code under 09 (the notice has 45212225)": "✗ geen cpv-code onder 09 (de aankondiging heeft 45212225)",
		"✗ any of these:":                                  "✗ een van deze:",
		"✗ kind tender, not early engagement":              "✗ soort aanbesteding, niet vroege marktverkenning",
		`✗ excluded by -"de sluis": "de sluis" in title`:   `✗ uitgesloten door -"de sluis": "de sluis" in de titel`,
	} {
		if got := nl.Reason(reason); got != want {
			t.Errorf("Reason(%q) = %q, want %q", reason, got, want)
		}
		if got := For(English).Reason(reason); got != reason {
			t.Errorf("English Reason(%q) = %q", reason, got)
		}
	}
}

// A Phrase argument is said in the language of the sentence around it.
func TestPhraseArgumentsAreSaidInTheSentencesLanguage(t *testing.T) {
	const refusal = "Only people with the %s role can %s. An admin can grant it with `role grant <user> %s`."
	args := []any{"partner", Phrase("add feeds"), "partner"}
	if got := For(Dutch).Sprintf(refusal, args...); !strings.Contains(got, "feeds toevoegen") || strings.Contains(got, "add feeds") {
		t.Errorf("in Dutch: %q, want the action in Dutch", got)
	}
	if got := For(English).Sprintf(refusal, args...); !strings.Contains(got, "can add feeds.") {
		t.Errorf("in English: %q, want the action as written", got)
	}
	if args[1] != Phrase("add feeds") {
		t.Errorf("the caller's arguments changed: %v", args)
	}
}
