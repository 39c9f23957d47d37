package feeds

import (
	"encoding/base64"
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

// checkNotice fails t when n breaks a promise the feed parser makes about
// every notice it returns: feed items without title and link are skipped.
func checkNotice(t *testing.T, n bot.Notice) {
	t.Helper()
	if n.Title == "" && n.URL == "" {
		t.Errorf("notice %q has neither title nor URL", n.ID)
	}
	checkStructured(t, n)
}

// checkStructured fails t when n breaks a promise every parser makes, even
// for a notice that says little more than its identity (an eForms notice
// or TED API record without title).
func checkStructured(t *testing.T, n bot.Notice) {
	t.Helper()
	if n.ID == "" {
		t.Errorf("notice with empty ID: %+v", n)
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
		if data, err := os.ReadFile(name); err == nil && len(data) <= 1500 {
			f.Add(data)
		}
	}
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:c="urn:c"><entry><id>1</id><title>t</title>` +
		`<c:ContractFolderStatus><c:ContractFolderID>F</c:ContractFolderID><c:ContractFolderStatusCode>PUB</c:ContractFolderStatusCode>` +
		`<c:ProcurementProject><c:BudgetAmount><c:TotalAmount currencyID="EUR">5</c:TotalAmount></c:BudgetAmount></c:ProcurementProject>` +
		`</c:ContractFolderStatus></entry></feed>`))
	f.Add([]byte(tinyRSS))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"CPV: 45210000-2","content_text":"Sluitingsdatum: 15-01-2027"}]}`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>NUTS: NL213</title><link href="x"/></entry></feed>`))
	f.Add([]byte(`<rss version="2.0"><channel><item><title>&lt;p&gt;Waarde: € 1.2m&lt;/p&gt;</title></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		notices, err := Parse(data, "fuzz")
		check := checkStructured
		switch Detect(data) {
		case FormatRSS, FormatAtom, FormatJSONFeed, "":
			check = checkNotice // feed items without title and link are skipped
		}
		checkNotices(t, notices, err, check)
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

// eformsEnvelope wraps the body of an eForms contract notice in its root
// element, with the namespaces under one-letter prefixes: a: cac, b: cbc,
// x: ext, e: efext, f: efac, g: efbc. The fuzzers mutate bodies: seeds must
// stay a few hundred bytes, or minimising what they grow into (quadratic
// in the length) takes the whole run.
func eformsEnvelope(body string) string {
	return `<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"` +
		` xmlns:a="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"` +
		` xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"` +
		` xmlns:x="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"` +
		` xmlns:e="http://data.europa.eu/p27/eforms-ubl-extensions/1"` +
		` xmlns:f="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"` +
		` xmlns:g="http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1">` + body + `</ContractNotice>`
}

// eformsBodies are seeds for FuzzEForms, each exercising one part of the
// parser; together they make tinyEForms.
var eformsBodies = []string{
	// the buyer, joined from the organisations; the publication
	`<x:UBLExtensions><x:UBLExtension><x:ExtensionContent><e:EformsExtension><f:Organizations><f:Organization><f:Company>` +
		`<a:PartyIdentification><b:ID>O1</b:ID></a:PartyIdentification><a:PartyName><b:Name languageID="NLD">Gemeente</b:Name>` +
		`</a:PartyName></f:Company></f:Organization></f:Organizations><f:Publication><g:NoticePublicationID>00000001-2026` +
		`</g:NoticePublicationID><g:PublicationDate>2026-11-20Z</g:PublicationDate></f:Publication></e:EformsExtension>` +
		`</x:ExtensionContent></x:UBLExtension></x:UBLExtensions>`,
	// the types, the language, the party
	`<b:NoticeTypeCode listName="competition">cn-standard</b:NoticeTypeCode><b:NoticeLanguageCode>NLD</b:NoticeLanguageCode>` +
		`<a:ContractingParty><a:Party><a:PartyIdentification><b:ID>O1</b:ID></a:PartyIdentification></a:Party></a:ContractingParty>`,
	// the procedure: titles, codes, place
	`<a:ProcurementProject><b:Name languageID="NLD">Titel</b:Name><b:Name languageID="ENG">Title</b:Name>` +
		`<a:MainCommodityClassification><b:ItemClassificationCode listName="cpv">45000000</b:ItemClassificationCode>` +
		`</a:MainCommodityClassification><a:RealizedLocation><a:Address><b:CountrySubentityCode>NL213</b:CountrySubentityCode>` +
		`</a:Address></a:RealizedLocation></a:ProcurementProject>`,
	// a lot with a deadline and a value
	`<a:ProcurementProjectLot><b:ID>LOT-1</b:ID><a:TenderingProcess><a:TenderSubmissionDeadlinePeriod>` +
		`<b:EndDate>2027-01-22+01:00</b:EndDate><b:EndTime>12:00:00+01:00</b:EndTime></a:TenderSubmissionDeadlinePeriod>` +
		`</a:TenderingProcess><a:ProcurementProject><a:RequestedTenderTotal><b:EstimatedOverallContractAmount currencyID="EUR">` +
		`9</b:EstimatedOverallContractAmount></a:RequestedTenderTotal></a:ProcurementProject></a:ProcurementProjectLot>`,
}

// tinyEForms is an eForms notice in brief: every seed body at once.
var tinyEForms = eformsEnvelope(strings.Join(eformsBodies, ""))

// minimalEForms is the least eForms notice there is: one with an
// identifier.
const minimalEForms = `<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2" ` +
	`xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><b:ID>N-1</b:ID></ContractNotice>`

// checkNotices checks every notice a parser returned with check, and that
// none comes with an error or twice.
func checkNotices(t *testing.T, notices []bot.Notice, err error, check func(*testing.T, bot.Notice)) {
	t.Helper()
	if err != nil {
		if notices != nil {
			t.Errorf("notices %v returned with error %v", notices, err)
		}
		return
	}
	seen := map[string]bool{}
	for _, n := range notices {
		check(t, n)
		if seen[n.ID] {
			t.Errorf("duplicate ID %q", n.ID)
		}
		seen[n.ID] = true
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{tinyRSS, minimalEForms, `{"releases":[]}`, `[{"ocid":"x"}]`, `{"notices":[]}`,
		`{"version":"https://jsonfeed.org/version/1"}`, `<feed xmlns="http://www.w3.org/2005/Atom"><link rel="next" href="x"/></feed>`,
		"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss/>", `<!DOCTYPE html><html/>`, `{"links":{"next":"x"},"records":[]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		format := Detect(data)
		if !slices.Contains(Formats(), format) && format != "" {
			t.Fatalf("Detect returned %q, no format", format)
		}
		notices, err := ParseFormat(data, format, "fuzz")
		checkNotices(t, notices, err, checkStructured)
		if next := NextPage(data); next != strings.TrimSpace(next) {
			t.Errorf("NextPage returned %q, untrimmed", next)
		}
		NextIterationToken(data)
	})
}

func FuzzOCDS(f *testing.F) {
	// Small seeds only (see FuzzParse); the fixtures' shapes in brief.
	f.Add([]byte(`{"releases":[{"ocid":"a","date":"2026-11-01T00:00:00Z","tag":"tender","tender":{"title":"T &amp; U","value":{"amount":"5","currency":"EUR"},` +
		`"items":[{"relatedLot":1,"classification":{"scheme":"CPV","id":45000000}}],"lots":[{"id":1}]}},{"ocid":"a","date":"2026-11-02","tag":["award"]}]}`))
	f.Add([]byte(`[{"ocid":"b","tender":{"tenderPeriod":{"endDate":"2027-01-15"}},"parties":[{"roles":["buyer"],"name":"B","address":{"countryName":"Nederland"}}]}]`))
	f.Add([]byte(`{"records":[{"compiledRelease":{"ocid":"c","tag":["compiled"],"planning":{"documents":[{"noticeType":"UK2","url":"u"}]},` +
		`"tender":{"items":[{"deliveryAddresses":[{"region":"UKD12"}],"deliveryLocation":{"gazetteer":{"scheme":"NUTS","identifiers":["UKD3"]}}}]}}}],"links":{"next":"n"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		notices, err := parseOCDS(data, "fuzz")
		checkNotices(t, notices, err, checkStructured)
	})
}

func FuzzEForms(f *testing.F) {
	for _, body := range eformsBodies {
		f.Add(body)
	}
	f.Add(`<b:ID>x</b:ID><a:ProcurementProjectLot><a:ProcurementProject><b:Name>L</b:Name></a:ProcurementProject></a:ProcurementProjectLot>`)
	f.Fuzz(func(t *testing.T, body string) {
		en, err := ParseEForms([]byte(eformsEnvelope(body)), "fuzz")
		if err != nil {
			return
		}
		checkStructured(t, en.Notice)
		for lang, title := range en.Titles {
			if len(lang) != 2 || !utf8.ValidString(title) {
				t.Errorf("title in %q: %q", lang, title)
			}
		}
		if !en.PlannedDate.IsZero() && en.PlannedDate.Location() != time.UTC {
			t.Errorf("planned date %v not in UTC", en.PlannedDate)
		}
	})
}

func FuzzTEDAPI(f *testing.F) {
	content := base64.StdEncoding.EncodeToString([]byte(minimalEForms))
	f.Add([]byte(`{"ND":"00000001-2026","content":"` + content + `","links":{"html":{"NLD":"https://ted.europa.eu/nl/x"}}}`))
	f.Add([]byte(`{"notices":[{"ND":"1-2026","RC":["NL","NL2","NLD"],"PC":[45000000,"45200000"],"TI":{"eng":["a","b"]},"DT":["2027-01-01"]}],"iterationNextToken":"t"}`))
	f.Add([]byte(`{"notices":[{"publication-number":"2-2026","notice-title":{"nld":"t","eng":"u"},"buyer-name":{"nld":["b"]},` +
		`"place-of-performance":["NL213"],"estimated-value-proc":5,"estimated-value-cur-proc":"EUR","form-type":"planning"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		notices, err := parseTED(data, "fuzz")
		checkNotices(t, notices, err, checkStructured)
		for _, n := range notices {
			if n.URL == "" {
				t.Errorf("notice %q without URL", n.ID)
			}
		}
	})
}
