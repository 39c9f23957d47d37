package feeds

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// TestPLACSP reads the PLACSP-shaped fixture: the tombstone is no notice,
// and the structured elements win over the entry's text.
func TestPLACSP(t *testing.T) {
	notices := parseFile(t, "testdata/placsp.xml")
	var ids []string
	for _, n := range notices {
		ids = append(ids, n.ID[strings.LastIndexByte(n.ID, '/')+1:])
	}
	if got := strings.Join(ids, " "); got != "9000101 9000102 9000088" {
		t.Fatalf("got entries %s, want 9000101 9000102 9000088 (the deleted 9000001 is no notice)", got)
	}
	kinds := []bot.Kind{notices[0].Kind, notices[1].Kind, notices[2].Kind}
	if kinds[0] != bot.KindTender || kinds[1] != bot.KindEarly || kinds[2] != bot.KindAward {
		t.Errorf("got kinds %v, want tender (PUB), early (PRE), award (ADJ)", kinds)
	}
	n := notices[0]
	checkFields(t, []fieldCheck{
		{"ProcedureID", n.ProcedureID, "2026/OBR-017"},
		{"Buyer", n.Buyer, "Junta de Gobierno Local del Ayuntamiento de Madrid"},
		{"Language (guessed from Spanish text)", n.Language, "es"},
		{"CPV", strings.Join(n.CPV, " "), "45316110 34993000"},
		{"NUTS (place of performance, not the buyer's address)", strings.Join(n.NUTS, " "), "ES300"},
		{"Value (estimated, before tax)", moneyString(n.Value), "EUR 250000.00"},
		{"Deadline (Madrid time)", formatTime(n.Deadline), "2027-01-20T13:00:00Z"},
		{"Lots", n.Lots[0].ID + " " + n.Lots[0].Title + " | " + n.Lots[1].ID + " " + n.Lots[1].Title, "1 Sustitución de luminarias | 2 Suministro de báculos y columnas"},
		{"Award value without estimate: before tax", moneyString(notices[2].Value), "EUR 40000.00"},
		{"CPV with check digit", strings.Join(notices[2].CPV, " "), "50000000"},
	})
}

// TestCODICELoose reads CODICE elements that stand in an RSS item without a
// ContractFolderStatus around them, in eForms spelling, and leaves items
// with other extensions alone.
func TestCODICELoose(t *testing.T) {
	const feed = `<?xml version="1.0"?>
<rss version="2.0" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>t</title>
<item><title>Onderhoud groen</title><link>https://example.nl/1</link><description>CPV: 77310000</description>
 <cbc:ContractFolderID>GRN-2026-3</cbc:ContractFolderID>
 <cac:ProcurementProject>
  <cac:MainCommodityClassification><cbc:ItemClassificationCode>77311000</cbc:ItemClassificationCode></cac:MainCommodityClassification>
  <cac:RequestedTenderTotal><cbc:EstimatedOverallContractAmount currencyID="EUR">90000</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>
  <cac:RealizedLocation><cac:Address><cbc:CountrySubentityCode>NL213</cbc:CountrySubentityCode></cac:Address></cac:RealizedLocation>
 </cac:ProcurementProject>
 <cac:TenderingProcess><cac:TenderSubmissionDeadlinePeriod><cbc:EndDate>2027-02-01+01:00</cbc:EndDate><cbc:EndTime>12:00:00+01:00</cbc:EndTime></cac:TenderSubmissionDeadlinePeriod></cac:TenderingProcess>
</item>
<item><title>Gegund: drukwerk</title><link>https://example.nl/2</link><dc:creator>Gemeente Almelo</dc:creator><description>CPV: 79810000</description></item>
</channel></rss>`
	notices, err := Parse([]byte(feed), "t")
	if err != nil {
		t.Fatal(err)
	}
	n := notices[0]
	if n.ProcedureID != "GRN-2026-3" || strings.Join(n.CPV, " ") != "77311000" || moneyString(n.Value) != "EUR 90000.00" ||
		strings.Join(n.NUTS, " ") != "NL213" || n.Country != "NL" || formatTime(n.Deadline) != "2027-02-01T11:00:00Z" || n.Kind != bot.KindTender {
		t.Errorf("structured item: got procedure %q, CPV %v, value %s, NUTS %v, country %q, deadline %v, kind %q",
			n.ProcedureID, n.CPV, moneyString(n.Value), n.NUTS, n.Country, n.Deadline, n.Kind)
	}
	if plain := notices[1]; strings.Join(plain.CPV, " ") != "79810000" || plain.Buyer != "Gemeente Almelo" || plain.Kind != bot.KindAward {
		t.Errorf("plain item: got CPV %v, buyer %q, kind %q; want what its text says", plain.CPV, plain.Buyer, plain.Kind)
	}
}

func TestPLACSPStatusKind(t *testing.T) {
	tests := []struct {
		code string
		want bot.Kind
		ok   bool
	}{
		{"PRE", bot.KindEarly, true},
		{"PUB", bot.KindTender, true},
		{" ev ", bot.KindTender, true},
		{"ADJ", bot.KindAward, true},
		{"RES", bot.KindAward, true},
		{"ANUL", bot.KindChange, true},
		{"", "", false},
		{"XYZ", "", false},
	}
	for _, tt := range tests {
		if got, ok := placspStatusKind(tt.code); got != tt.want || ok != tt.ok {
			t.Errorf("placspStatusKind(%q) = %q, %v; want %q, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}
