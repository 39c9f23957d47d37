package feeds

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
)

// exampleSeed is one item of builtin/example.xml.
const exampleSeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><language>nl</language>
<item><title>Renovatie sporthal</title><link>https://www.tenderned.nl/aankondigingen/overzicht/418655</link>
<guid isPermaLink="false">tenderned-418655</guid><pubDate>Thu, 05 Nov 2026 14:00:00 +0100</pubDate><dc:creator>Gemeente Enschede</dc:creator>
<category>45212225-9</category><description><![CDATA[<p>Europese aanbesteding.</p><ul><li>Aanbestedende dienst: Gemeente Enschede</li>
<li>Kenmerk: ENS-2026-0187</li><li>CPV: 45212225-9 (hoofdopdracht), 45453000</li><li>Plaats van uitvoering: Enschede (NL213)</li>
<li>Geraamde waarde: &euro; 2,5 mln</li><li>Sluitingsdatum: 15-01-2027 12:00</li></ul>]]></description></item>
</channel></rss>`

var (
	cpvShape  = regexp.MustCompile(`^\d{8}$`)
	nutsShape = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z]{0,3}$`)
)

// checkNotice fails t when n breaks a promise Parse makes about every
// notice it returns.
func checkNotice(t *testing.T, n bot.Notice) {
	t.Helper()
	if n.ID == "" {
		t.Errorf("notice with empty ID: %+v", n)
	}
	if n.Title == "" && n.URL == "" {
		t.Errorf("notice %q has neither title nor URL", n.ID)
	}
	checkExtracted(t, n)
	for _, s := range []string{n.Title, n.Description, n.Buyer, n.ProcedureID} {
		if !utf8.ValidString(s) {
			t.Errorf("notice %q: invalid UTF-8 in %q", n.ID, s)
		}
	}
	switch n.Kind {
	case bot.KindEarly, bot.KindTender, bot.KindAward, bot.KindChange, bot.KindOther:
	default:
		t.Errorf("notice %q: kind %q", n.ID, n.Kind)
	}
	if !n.Published.IsZero() && n.Published.Location() != time.UTC {
		t.Errorf("notice %q: published %v not in UTC", n.ID, n.Published)
	}
}

// checkExtracted checks the fields read from text.
func checkExtracted(t *testing.T, n bot.Notice) {
	t.Helper()
	for _, c := range n.CPV {
		if !cpvShape.MatchString(c) {
			t.Errorf("CPV code %q is not 8 digits", c)
		}
	}
	for _, c := range n.NUTS {
		if !nutsShape.MatchString(c) {
			t.Errorf("NUTS code %q has the wrong shape", c)
		}
	}
	if n.Country != "" && !isNUTSCountry(n.Country) {
		t.Errorf("country %q is not a NUTS country", n.Country)
	}
	if v := n.Value; v != nil && (v.Amount <= 0 || math.IsInf(v.Amount, 0) || math.IsNaN(v.Amount) || len(v.Currency) != 3) {
		t.Errorf("value %+v", *v)
	}
	if !n.Deadline.IsZero() && (n.Deadline.Location() != time.UTC || n.Deadline.Year() < 1999 || n.Deadline.Year() > 2101) {
		t.Errorf("deadline %v", n.Deadline)
	}
	if !utf8.ValidString(n.ProcedureID) {
		t.Errorf("procedure ID %q", n.ProcedureID)
	}
}

func FuzzParse(f *testing.F) {
	// Seeds stay small: the fuzzer minimises every new interesting input,
	// and minimising one grown from the 20 KB example feed takes the whole
	// run. The example's items are in the first seed's shape.
	f.Add([]byte(exampleSeed))
	files, _ := filepath.Glob("testdata/*")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(tinyRSS))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"CPV: 45210000-2","content_text":"Sluitingsdatum: 15-01-2027"}]}`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>NUTS: NL213</title><link href="x"/></entry></feed>`))
	f.Add([]byte(`<rss version="2.0"><channel><item><title>&lt;p&gt;Waarde: € 1.2m&lt;/p&gt;</title></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		notices, err := Parse(data, "fuzz")
		if err != nil {
			if notices != nil {
				t.Errorf("notices %v returned with error %v", notices, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, n := range notices {
			checkNotice(t, n)
			if seen[n.ID] {
				t.Errorf("duplicate ID %q", n.ID)
			}
			seen[n.ID] = true
		}
	})
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Geraamde waarde: € 450.000\nSluitingsdatum: 15-01-2027 12:00",
		"Estimated value: £1.2m | Deadline: 15 January 2027 12:00",
		"CPV: 45210000-2, 45262700 NUTS: NL213 Land: NL",
		"Opdrachtgever: Gemeente Almelo Kenmerk: ALM-2026-042",
		"Inschrijven vóór: vrijdag 18 december 2026 om 12.00 uur",
		"Budget: € 1,250 mln\nClosing date: 2027-01-15T10:00 pm",
		"Bel 053-4812345, waarde 45.210.000",
		"<p>Plaats van uitvoering: Carlisle (UKD12)</p>",
	} {
		f.Add(s, "nl", "")
		f.Add(s, "en", "UK")
	}
	f.Fuzz(func(t *testing.T, text, lang, cc string) {
		lines := plainLines(text)
		var categories []string
		if len(lines) > 0 {
			categories = lines[:1]
		}
		n := bot.Notice{
			CPV:         cpvCodes(lines, categories),
			NUTS:        nutsCodes(lines),
			Value:       value(lines, lang),
			Deadline:    deadline(lines, cc, lang),
			Buyer:       buyerFromText(lines),
			ProcedureID: procedureID(lines),
		}
		n.Country = country(n.NUTS, lines)
		n.Kind = kind(text, text, !n.Deadline.IsZero())
		checkExtracted(t, n)
		plain := strings.Join(lines, "\n")
		for _, c := range slices.Concat(n.CPV, n.NUTS) {
			if !strings.Contains(plain, c) {
				t.Errorf("code %q is not in the text %q", c, plain)
			}
		}
	})
}
