package feeds

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func parseExample(t *testing.T) []bot.Notice {
	t.Helper()
	data, err := readBuiltin("example")
	if err != nil {
		t.Fatal(err)
	}
	notices, err := Parse(data, "Voorbeeld")
	if err != nil {
		t.Fatalf("Parse(example): %v", err)
	}
	return notices
}

func TestParseExampleShape(t *testing.T) {
	notices := parseExample(t)
	if len(notices) != 20 {
		t.Fatalf("got %d notices, want 20", len(notices))
	}
	ids := map[string]bool{}
	kinds := map[bot.Kind]int{}
	for _, n := range notices {
		if n.ID == "" || n.Title == "" || n.URL == "" || n.Description == "" {
			t.Errorf("notice %q: ID, title, URL and description must be set: %+v", n.ID, n)
		}
		if ids[n.ID] {
			t.Errorf("duplicate ID %q", n.ID)
		}
		ids[n.ID] = true
		if n.Source != "Voorbeeld" {
			t.Errorf("%s: Source = %q, want Voorbeeld", n.ID, n.Source)
		}
		if n.Published.Year() != 2026 || n.Published.Month() != time.November || n.Published.Location() != time.UTC {
			t.Errorf("%s: Published = %v, want a UTC time in November 2026", n.ID, n.Published)
		}
		if !n.Deadline.IsZero() && (n.Deadline.Before(time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)) || n.Deadline.After(time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC))) {
			t.Errorf("%s: Deadline = %v, want mid-December 2026 to March 2027", n.ID, n.Deadline)
		}
		if n.Buyer == "" || len(n.NUTS) == 0 || n.Country == "" {
			t.Errorf("%s: buyer %q, NUTS %v, country %q: every example names them", n.ID, n.Buyer, n.NUTS, n.Country)
		}
		if strings.ContainsAny(n.Description, "<>") || strings.Contains(n.Description, "&euro;") {
			t.Errorf("%s: description is not plain text: %q", n.ID, n.Description)
		}
		kinds[n.Kind]++
	}
	for _, k := range []bot.Kind{bot.KindEarly, bot.KindTender, bot.KindAward, bot.KindChange} {
		if kinds[k] == 0 {
			t.Errorf("no %s notice in the example feed", k)
		}
	}
}

func TestParseExampleItems(t *testing.T) {
	byID := map[string]bot.Notice{}
	for _, n := range parseExample(t) {
		byID[n.ID] = n
	}
	utc := func(s string) time.Time {
		t.Helper()
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	eur := func(a float64) *bot.Money { return &bot.Money{Amount: a, Currency: "EUR"} }
	tests := []struct {
		id       string
		kind     bot.Kind
		buyer    string
		lang     string
		cpv      []string
		nuts     []string
		country  string
		value    *bot.Money
		deadline time.Time
		ref      string
	}{
		{"tenderned-418203", bot.KindEarly, "Gemeente Almelo", "nl", []string{"09331200", "45261215"}, []string{"NL213"}, "NL", eur(850_000), utc("2027-01-15T22:59:00Z"), "ALM-2026-061"},
		{"https://www.regiotwente.nl/inkoop/leveranciersdag-2027", bot.KindEarly, "Regio Twente", "nl", nil, []string{"NL213"}, "NL", nil, utc("2027-02-10T22:59:00Z"), ""},
		{"tenderned-418655", bot.KindTender, "Gemeente Enschede", "nl", []string{"45212225", "45453000", "45331000"}, []string{"NL213"}, "NL", eur(2_500_000), utc("2027-01-15T11:00:00Z"), "ENS-2026-0187"},
		{"tenderned-419012", bot.KindTender, "Gemeente Hengelo", "nl", []string{"77310000", "77314000"}, []string{"NL213"}, "NL", eur(1_250_000), utc("2027-01-22T22:59:00Z"), "HGL-2026-GR-03"},
		{"tenderned-419230", bot.KindTender, "Gemeente Oldenzaal (mede namens Losser en Dinkelland)", "nl", []string{"60130000"}, []string{"NL213"}, "NL", eur(3_200_000), utc("2027-02-04T09:00:00Z"), ""},
		{"tenderned-419377", bot.KindTender, "Gemeente Borne", "nl", []string{"90911200"}, []string{"NL213"}, "NL", eur(480_000), utc("2027-01-08T13:00:00Z"), ""},
		{"almelo-inkoop-2026-042", bot.KindTender, "Gemeente Almelo", "nl", []string{"72253200", "72610000"}, []string{"NL213"}, "NL", eur(450_000), utc("2027-01-15T11:00:00Z"), "ALM-2026-042"},
		{"tenderned-419544", bot.KindTender, "Waterschap Vechtstromen", "nl", []string{"45246400", "45246200"}, []string{"NL211"}, "NL", eur(12_800_000), utc("2027-03-03T11:00:00Z"), "WVS-2026-0112"},
		{"overijssel-mv-2026-11", bot.KindEarly, "Provincie Overijssel", "nl", []string{"45233140"}, []string{"NL212"}, "NL", nil, utc("2026-12-21T16:00:00Z"), ""},
		{"tenderned-419806", bot.KindTender, "Stichting Saxion", "nl", []string{"55520000"}, []string{"NL213", "NL212", "NL221"}, "NL", eur(2_400_000), utc("2027-01-29T11:00:00Z"), ""},
		{"tenderned-420117", bot.KindAward, "Gemeente Almelo", "nl", []string{"90513000"}, []string{"NL213"}, "NL", eur(5_600_000), time.Time{}, "ALM-2026-017"},
		{"tenderned-420388", bot.KindChange, "Gemeente Utrecht", "nl", []string{"79530000"}, []string{"NL350"}, "NL", nil, utc("2027-01-25T11:00:00Z"), "UTR-2026-0934"},
		{"rws-vak-2026-0471", bot.KindEarly, "Rijkswaterstaat Oost-Nederland", "nl", []string{"45221111"}, []string{"NL213"}, "NL", eur(25_000_000), time.Time{}, ""},
		{"fts-041877-2026", bot.KindEarly, "Manchester City Council", "en", []string{"60130000"}, []string{"UKD33"}, "UK", &bot.Money{Amount: 1_200_000, Currency: "GBP"}, utc("2027-01-15T12:00:00Z"), "MCC-2026-HST-07"},
		{"fts-042310-2026", bot.KindTender, "Cumberland Council", "en", []string{"77314000"}, []string{"UKD12"}, "UK", &bot.Money{Amount: 650_000, Currency: "GBP"}, utc("2027-01-15T23:59:00Z"), ""},
		// English text in a feed that says it is Dutch, and no dc:language.
		{"kreis-borken-vergabe-2026-118", bot.KindTender, "Kreis Borken", "en", []string{"90911200"}, []string{"DEA34"}, "DE", eur(1_450_000), utc("2027-01-20T09:00:00Z"), ""},
		{"oldenzaal-2026-mo-09", bot.KindTender, "Gemeente Oldenzaal", "nl", []string{"45262700"}, []string{"NL213"}, "NL", eur(95_000), utc("2026-12-18T11:00:00Z"), ""},
		{"tenderned-420562", bot.KindAward, "Gemeente Hengelo", "nl", []string{"37535200"}, []string{"NL213"}, "NL", eur(320_000), time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			n, ok := byID[tt.id]
			if !ok {
				t.Fatalf("no notice with ID %q", tt.id)
			}
			if n.Kind != tt.kind {
				t.Errorf("Kind = %q, want %q", n.Kind, tt.kind)
			}
			if n.Buyer != tt.buyer {
				t.Errorf("Buyer = %q, want %q", n.Buyer, tt.buyer)
			}
			if n.Language != tt.lang {
				t.Errorf("Language = %q, want %q", n.Language, tt.lang)
			}
			if !slices.Equal(n.CPV, tt.cpv) {
				t.Errorf("CPV = %v, want %v", n.CPV, tt.cpv)
			}
			if !slices.Equal(n.NUTS, tt.nuts) {
				t.Errorf("NUTS = %v, want %v", n.NUTS, tt.nuts)
			}
			if n.Country != tt.country {
				t.Errorf("Country = %q, want %q", n.Country, tt.country)
			}
			if !sameMoney(n.Value, tt.value) {
				t.Errorf("Value = %v, want %v", moneyString(n.Value), moneyString(tt.value))
			}
			if !n.Deadline.Equal(tt.deadline) {
				t.Errorf("Deadline = %v, want %v", n.Deadline, tt.deadline)
			}
			if n.ProcedureID != tt.ref {
				t.Errorf("ProcedureID = %q, want %q", n.ProcedureID, tt.ref)
			}
		})
	}
}

func TestParseAtom(t *testing.T) {
	notices := parseFile(t, "testdata/atom.xml")
	if len(notices) != 2 {
		t.Fatalf("got %d notices, want 2 (the entry without title and link is skipped)", len(notices))
	}
	day, tender := notices[0], notices[1]
	if day.ID != "urn:example:notice:1001" || day.Title != "Supplier day: highways maintenance" || day.URL != "https://contracts.example.org/notices/1001" {
		t.Errorf("first entry: ID %q, title %q, URL %q", day.ID, day.Title, day.URL)
	}
	if day.Kind != bot.KindEarly || day.Language != "en" || day.Buyer != "Test County Council" {
		t.Errorf("first entry: kind %q, language %q, buyer %q", day.Kind, day.Language, day.Buyer)
	}
	if !slices.Equal(day.CPV, []string{"45233140"}) || !slices.Equal(day.NUTS, []string{"UKD12"}) || day.Country != "UK" {
		t.Errorf("first entry: CPV %v, NUTS %v, country %q", day.CPV, day.NUTS, day.Country)
	}
	if !sameMoney(day.Value, &bot.Money{Amount: 2_500_000, Currency: "GBP"}) {
		t.Errorf("first entry: value %s", moneyString(day.Value))
	}
	if want := time.Date(2027, 2, 10, 23, 59, 0, 0, time.UTC); !day.Deadline.Equal(want) {
		t.Errorf("first entry: deadline %v, want %v", day.Deadline, want)
	}
	if want := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC); !day.Published.Equal(want) {
		t.Errorf("first entry: published %v, want the updated time %v", day.Published, want)
	}

	if tender.Kind != bot.KindTender || tender.Buyer != "Test Library Service" || !slices.Equal(tender.CPV, []string{"22113000"}) {
		t.Errorf("second entry: kind %q, buyer %q, CPV %v", tender.Kind, tender.Buyer, tender.CPV)
	}
	if !sameMoney(tender.Value, &bot.Money{Amount: 80_000, Currency: "GBP"}) {
		t.Errorf("second entry: value %s", moneyString(tender.Value))
	}
	if want := time.Date(2026, 11, 18, 10, 30, 0, 0, time.UTC); !tender.Published.Equal(want) {
		t.Errorf("second entry: published %v, want %v", tender.Published, want)
	}
	if want := time.Date(2027, 1, 29, 12, 0, 0, 0, time.UTC); !tender.Deadline.Equal(want) {
		t.Errorf("second entry: deadline %v, want %v (London)", tender.Deadline, want)
	}
}

func TestParseJSONFeed(t *testing.T) {
	notices := parseFile(t, "testdata/jsonfeed.json")
	if len(notices) != 2 {
		t.Fatalf("got %d notices, want 2 (a repeated id is dropped)", len(notices))
	}
	tender, award := notices[0], notices[1]
	if tender.ID != "jf-001" || tender.URL != "https://aanbestedingen.example.nl/jf-001" || tender.Language != "nl" {
		t.Errorf("first item: ID %q, URL %q, language %q", tender.ID, tender.URL, tender.Language)
	}
	if tender.Kind != bot.KindTender || tender.Buyer != "Gemeente Voorbeeld" || !slices.Equal(tender.CPV, []string{"45233140"}) || !slices.Equal(tender.NUTS, []string{"NL213"}) {
		t.Errorf("first item: kind %q, buyer %q, CPV %v, NUTS %v", tender.Kind, tender.Buyer, tender.CPV, tender.NUTS)
	}
	if !sameMoney(tender.Value, &bot.Money{Amount: 750_000, Currency: "EUR"}) {
		t.Errorf("first item: value %s", moneyString(tender.Value))
	}
	if want := time.Date(2027, 2, 5, 9, 0, 0, 0, time.UTC); !tender.Deadline.Equal(want) {
		t.Errorf("first item: deadline %v, want %v", tender.Deadline, want)
	}
	if award.Kind != bot.KindAward || award.Buyer != "Gemeente Voorbeeld" || !slices.Equal(award.CPV, []string{"79810000"}) {
		t.Errorf("second item: kind %q, buyer %q (from authors), CPV %v (from tags)", award.Kind, award.Buyer, award.CPV)
	}
}

func TestParseRejects(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name     string
		data     []byte
		notFeed  bool
		wantText string
	}{
		{"html page", read("testdata/page.html"), true, "looks like an HTML page"},
		{"garbage", []byte("\x00\x01 hello there"), true, "does not look like XML or JSON"},
		{"empty", []byte("  \n"), true, "the document is empty"},
		{"json that is no feed", []byte(`{"results": [], "total": 0}`), true, "not a JSON Feed"},
		{"other xml", []byte(`<?xml version="1.0"?><kml><Document/></kml>`), true, "not rss, RDF or feed"},
		{"malformed rss", read("testdata/malformed.xml"), false, "malformed RSS feed"},
		{"malformed json", []byte(`{"version": "https://jsonfeed.org/version/1.1", "items": [`), false, "malformed JSON feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			notices, err := Parse(tt.data, "test")
			if err == nil {
				t.Fatalf("got %d notices, want an error", len(notices))
			}
			if errors.Is(err, errNotFeed) != tt.notFeed {
				t.Errorf("errors.Is(%v, errNotFeed) = %v, want %v", err, !tt.notFeed, tt.notFeed)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q does not say %q", err, tt.wantText)
			}
			if tt.notFeed && !strings.Contains(err.Error(), "not an RSS, Atom or JSON feed") {
				t.Errorf("error %q does not say it is not a feed", err)
			}
		})
	}
}

func TestParseItemIdentity(t *testing.T) {
	const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Met guid</title><guid>g-1</guid><link>https://example.nl/1</link></item>
<item><title>Zelfde guid, tweede keer</title><guid>g-1</guid><link>https://example.nl/1b</link></item>
<item><title>Alleen link</title><link>https://example.nl/2</link></item>
<item><title>Geen guid of link</title><pubDate>Mon, 02 Nov 2026 09:00:00 +0100</pubDate></item>
<item><description>Geen titel en geen link: overslaan.</description></item>
<item><link>https://example.nl/3</link><description>Titel ontbreekt, de eerste regel telt.</description></item>
</channel></rss>`
	first, err := Parse([]byte(feed), "t")
	if err != nil {
		t.Fatal(err)
	}
	var ids, titles []string
	for _, n := range first {
		ids = append(ids, n.ID)
		titles = append(titles, n.Title)
	}
	if len(ids) != 4 || ids[0] != "g-1" || ids[1] != "https://example.nl/2" || !strings.HasPrefix(ids[2], "sha256:") || ids[3] != "https://example.nl/3" {
		t.Fatalf("IDs = %q, want g-1, the link, a hash, the link", ids)
	}
	if titles[0] != "Met guid" || titles[3] != "Titel ontbreekt, de eerste regel telt." {
		t.Errorf("titles = %q", titles)
	}
	again, err := Parse([]byte(feed), "t")
	if err != nil {
		t.Fatal(err)
	}
	if again[2].ID != ids[2] {
		t.Errorf("hash ID changed between parses: %q then %q", ids[2], again[2].ID)
	}
}

func TestParseLanguage(t *testing.T) {
	tests := []struct {
		name, channelLang, itemExtra, text, want string
	}{
		{"channel language", "nl-NL", "", "Kort.", "nl"},
		{"channel language upper case", "EN-gb", "", "Short.", "en"},
		{"item dc:language wins", "nl", "<dc:language>en</dc:language>", "Kort.", "en"},
		{"clear Dutch text, no channel language", "", "", "De gemeente zoekt een aannemer voor de renovatie van het stadhuis.", "nl"},
		{"clear English text in a Dutch channel", "nl", "", "The council is looking for a contractor for the renovation of the town hall.", "en"},
		{"nothing to go by", "", "", "Sporthal 2027.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed := `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>` +
				`<language>` + tt.channelLang + `</language><item><title>x</title><link>https://example.org/x</link>` + tt.itemExtra +
				`<description>` + tt.text + `</description></item></channel></rss>`
			notices, err := Parse([]byte(feed), "t")
			if err != nil {
				t.Fatal(err)
			}
			if got := notices[0].Language; got != tt.want {
				t.Errorf("Language = %q, want %q", got, tt.want)
			}
		})
	}
}

func parseFile(t *testing.T, name string) []bot.Notice {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	notices, err := Parse(data, name)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return notices
}

func sameMoney(a, b *bot.Money) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Currency == b.Currency && a.Amount == b.Amount
}

func moneyString(m *bot.Money) string {
	if m == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%s %.2f", m.Currency, m.Amount)
}

func TestParseStripsBidiControls(t *testing.T) {
	rss := `<rss version="2.0"><channel><title>t</title><item><title>Renovatie` + "\u202e" + ` sporthal</title>` +
		`<link>https://example.org/1</link><description>Over` + "\u2066" + ` de hal</description></item></channel></rss>`
	notices, err := Parse([]byte(rss), "test")
	if err != nil || len(notices) != 1 {
		t.Fatalf("got %d notices, %v", len(notices), err)
	}
	if n := notices[0]; n.Title != "Renovatie sporthal" || n.Description != "Over de hal" {
		t.Errorf("got title %q, description %q; want the bidi controls gone", n.Title, n.Description)
	}
}
