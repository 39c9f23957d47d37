package feeds

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// TestEFormsSamples checks what bot.Notice has no field for, per sample;
// the rest is in the golden files.
func TestEFormsSamples(t *testing.T) {
	tests := []struct {
		file                                string
		formType, noticeType, procedureType string
		sme                                 bool
		planned                             string // RFC 3339, "" for none
		languages                           []string
		kind                                bot.Kind
	}{
		{"ted-eforms-real/2023-OJS153-00486429.xml", "competition", "cn-standard", "open", false, "", []string{"et"}, bot.KindTender},
		{"ted-eforms-real/547692-2023.xml", "competition", "cn-desg", "open", false, "", []string{"nl"}, bot.KindTender},
		{"ted-eforms-real/622691-2023.xml", "competition", "cn-standard", "open", false, "", []string{"de"}, bot.KindTender},
		{"ted-eforms-real/649921-2023.xml", "competition", "pin-cfc-standard", "oth-single", false, "", []string{"nl"}, bot.KindEarly},
		{"ted-eforms-real/650276-2023.xml", "competition", "cn-social", "open", true, "", []string{"it"}, bot.KindTender},
		{"ted-eforms-real/666487-2023.xml", "competition", "pin-cfc-social", "oth-single", false, "", []string{"nl"}, bot.KindEarly},
		{"ted-eforms-real/741214-2023.xml", "competition", "qu-sy", "", true, "", []string{"de"}, bot.KindTender},
		{"ted-eforms-sdk-examples/E1_minimal.xml", "consultation", "pmc", "", false, "", []string{"en"}, bot.KindEarly},
		{"ted-eforms-sdk-examples/can_24_minimal.xml", "result", "can-standard", "open", false, "", []string{"fr"}, bot.KindAward},
		{"ted-eforms-sdk-examples/change-cn_24_open_dates.xml", "competition", "cn-standard", "open", false, "", []string{"en"}, bot.KindChange},
		{"ted-eforms-sdk-examples/cn_24_cumbria.xml", "competition", "cn-standard", "open", false, "", []string{"en"}, bot.KindTender},
		{"ted-eforms-sdk-examples/pin-buyer_24_published.xml", "planning", "pin-buyer", "", false, "", []string{"it"}, bot.KindEarly},
		{"ted-eforms-sdk-examples/pin-cfc_24.xml", "competition", "pin-cfc-standard", "innovation", false, "", []string{"en"}, bot.KindEarly},
		{"ted-eforms-sdk-examples/pin-only_24.xml", "planning", "pin-only", "", true, "2020-12-30T23:00:00Z", []string{"en"}, bot.KindEarly},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(samplesDir, tt.file))
			if errors.Is(err, os.ErrNotExist) {
				t.Skipf("sample %s is absent", tt.file)
			}
			if err != nil {
				t.Fatal(err)
			}
			en, err := ParseEForms(data, "t")
			if err != nil {
				t.Fatal(err)
			}
			if en.FormType != tt.formType || en.NoticeType != tt.noticeType || en.ProcedureType != tt.procedureType {
				t.Errorf("got form type %q, notice type %q, procedure %q; want %q, %q, %q",
					en.FormType, en.NoticeType, en.ProcedureType, tt.formType, tt.noticeType, tt.procedureType)
			}
			if en.SMESuitable != tt.sme {
				t.Errorf("got SMESuitable %v, want %v", en.SMESuitable, tt.sme)
			}
			if got := formatTime(en.PlannedDate); got != tt.planned {
				t.Errorf("got planned date %q, want %q", got, tt.planned)
			}
			if got := slices.Sorted(maps.Keys(en.Titles)); !slices.Equal(got, tt.languages) {
				t.Errorf("got titles in %v, want %v", got, tt.languages)
			}
			if en.Kind != tt.kind {
				t.Errorf("got kind %q, want %q", en.Kind, tt.kind)
			}
		})
	}
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// multilingualNotice is a small eForms contract notice in two languages,
// with two buyers, lots that state the value only per lot, and an
// unpublished notice's identifiers.
const multilingualNotice = `<?xml version="1.0" encoding="UTF-8"?>
<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 xmlns:efac="http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1"
 xmlns:efext="http://data.europa.eu/p27/eforms-ubl-extensions/1"
 xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">
 <ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent><efext:EformsExtension>
  <efac:Organizations>
   <efac:Organization><efac:Company><cac:PartyIdentification><cbc:ID>ORG-0001</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name languageID="NLD">Gemeente Almelo</cbc:Name><cbc:Name languageID="ENG">Municipality of Almelo</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>NLD</cbc:IdentificationCode></cac:Country></cac:PostalAddress></efac:Company></efac:Organization>
   <efac:Organization><efac:Company><cac:PartyIdentification><cbc:ID>ORG-0002</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name languageID="NLD">Gemeente Hengelo</cbc:Name></cac:PartyName></efac:Company></efac:Organization>
  </efac:Organizations>
 </efext:EformsExtension></ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>
 <cbc:ID schemeName="notice-id">7d1b5a0e-0000-4000-8000-000000000001</cbc:ID>
 <cbc:ContractFolderID>7d1b5a0e-0000-4000-8000-00000000f01d</cbc:ContractFolderID>
 <cbc:IssueDate>2026-11-20+01:00</cbc:IssueDate><cbc:IssueTime>09:30:00+01:00</cbc:IssueTime>
 <cbc:NoticeTypeCode listName="competition">cn-standard</cbc:NoticeTypeCode>
 <cbc:NoticeLanguageCode>ENG</cbc:NoticeLanguageCode>
 <cac:ContractingParty><cac:Party><cac:PartyIdentification><cbc:ID>ORG-0001</cbc:ID></cac:PartyIdentification></cac:Party></cac:ContractingParty>
 <cac:ContractingParty><cac:Party><cac:PartyIdentification><cbc:ID>ORG-0002</cbc:ID></cac:PartyIdentification></cac:Party></cac:ContractingParty>
 <cac:ContractingParty><cac:Party><cac:PartyIdentification><cbc:ID>ORG-0404</cbc:ID></cac:PartyIdentification></cac:Party></cac:ContractingParty>
 <cac:ProcurementProject>
  <cbc:Name languageID="NLD">Onderhoud sportvelden</cbc:Name>
  <cbc:Name languageID="ENG">Maintenance of sports fields</cbc:Name>
  <cbc:Description languageID="NLD">Maaien en bemesten.</cbc:Description>
  <cac:MainCommodityClassification><cbc:ItemClassificationCode listName="cpv">77320000</cbc:ItemClassificationCode></cac:MainCommodityClassification>
  <cac:AdditionalCommodityClassification><cbc:ItemClassificationCode listName="other">12345678</cbc:ItemClassificationCode></cac:AdditionalCommodityClassification>
  <cac:RealizedLocation><cac:Address><cbc:CountrySubentityCode listName="nuts">NL213</cbc:CountrySubentityCode></cac:Address></cac:RealizedLocation>
 </cac:ProcurementProject>
 <cac:ProcurementProjectLot><cbc:ID schemeName="Lot">LOT-0001</cbc:ID>
  <cac:TenderingProcess><cac:TenderSubmissionDeadlinePeriod><cbc:EndDate>2027-01-22+01:00</cbc:EndDate><cbc:EndTime>12:00:00+01:00</cbc:EndTime></cac:TenderSubmissionDeadlinePeriod></cac:TenderingProcess>
  <cac:ProcurementProject><cbc:Name languageID="NLD">Perceel Almelo</cbc:Name><cbc:Name languageID="ENG">Lot Almelo</cbc:Name>
   <cac:RequestedTenderTotal><cbc:EstimatedOverallContractAmount currencyID="EUR">120000</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>
   <cac:MainCommodityClassification><cbc:ItemClassificationCode listName="cpv">77320000</cbc:ItemClassificationCode></cac:MainCommodityClassification>
  </cac:ProcurementProject></cac:ProcurementProjectLot>
 <cac:ProcurementProjectLot><cbc:ID schemeName="Lot">LOT-0002</cbc:ID>
  <cac:TenderingProcess><cac:ParticipationRequestReceptionPeriod><cbc:EndDate>2027-01-08+01:00</cbc:EndDate></cac:ParticipationRequestReceptionPeriod></cac:TenderingProcess>
  <cac:ProcurementProject><cbc:Name languageID="NLD">Perceel Hengelo</cbc:Name>
   <cac:RequestedTenderTotal><cbc:EstimatedOverallContractAmount currencyID="EUR">80000.50</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>
   <cac:AdditionalCommodityClassification><cbc:ItemClassificationCode listName="cpv">77313000</cbc:ItemClassificationCode></cac:AdditionalCommodityClassification>
  </cac:ProcurementProject></cac:ProcurementProjectLot>
</ContractNotice>`

func TestEFormsMultilingual(t *testing.T) {
	en, err := ParseEForms([]byte(multilingualNotice), "t")
	if err != nil {
		t.Fatal(err)
	}
	n := en.Notice
	checkFields(t, []fieldCheck{
		{"ID (unpublished: the notice's own)", n.ID, "7d1b5a0e-0000-4000-8000-000000000001"},
		{"URL (unpublished: none)", n.URL, ""},
		{"Language", n.Language, "en"},
		{"Title (in the notice's language)", n.Title, "Maintenance of sports fields"},
		{"Description (only in Dutch)", n.Description, "Maaien en bemesten."},
		{"Titles[nl]", en.Titles["nl"], "Onderhoud sportvelden"},
		{"Buyer (unknown organisation left out)", n.Buyer, "Municipality of Almelo; Gemeente Hengelo"},
		{"Country", n.Country, "NL"},
		{"CPV (other lists left out)", strings.Join(n.CPV, " "), "77320000 77313000"},
		{"Lot titles", n.Lots[0].Title + " | " + n.Lots[1].Title, "Lot Almelo | Perceel Hengelo"},
		{"Value (the lots' sum)", moneyString(n.Value), "EUR 200000.50"},
		{"Deadline (the earliest: requests to participate, end of day)", formatTime(n.Deadline), "2027-01-08T22:59:00Z"},
		{"Published (issue date and time)", formatTime(n.Published), "2026-11-20T08:30:00Z"},
		{"Kind", string(n.Kind), "tender"},
	})
}

func TestEFormsKind(t *testing.T) {
	tests := []struct {
		formType, noticeType, root string
		changes                    bool
		want                       bot.Kind
	}{
		{"planning", "pin-only", "PriorInformationNotice", false, bot.KindEarly},
		{"planning", "pin-rtl", "PriorInformationNotice", false, bot.KindEarly},
		{"consultation", "pmc", "PriorInformationNotice", false, bot.KindEarly},
		{"competition", "pin-cfc-standard", "ContractNotice", false, bot.KindEarly},
		{"competition", "cn-standard", "ContractNotice", false, bot.KindTender},
		{"competition", "cn-standard", "ContractNotice", true, bot.KindChange},
		{"competition", "subco", "ContractNotice", false, bot.KindTender},
		{"result", "can-standard", "ContractAwardNotice", false, bot.KindAward},
		{"dir-awa-pre", "veat", "ContractAwardNotice", false, bot.KindAward},
		{"completion", "compl", "ContractAwardNotice", false, bot.KindAward},
		{"cont-modif", "can-modif", "ContractAwardNotice", false, bot.KindChange},
		{"bri", "brin-ecs", "BusinessRegistrationInformationNotice", false, bot.KindOther},
		// Without a form type (older notices, the TED API's notice-type alone):
		{"", "pin-only", "", false, bot.KindEarly},
		{"", "pin-cfc-social", "", false, bot.KindEarly},
		{"", "cn-social", "", false, bot.KindTender},
		{"", "can-modif", "", false, bot.KindChange},
		{"", "can-desg", "", false, bot.KindAward},
		{"", "", "ContractAwardNotice", false, bot.KindAward},
		{"", "", "", false, bot.KindOther},
	}
	for _, tt := range tests {
		if got := eformsKind(tt.formType, tt.noticeType, tt.root, tt.changes); got != tt.want {
			t.Errorf("eformsKind(%q, %q, %q, %v) = %q, want %q", tt.formType, tt.noticeType, tt.root, tt.changes, got, tt.want)
		}
	}
}

func TestParseEFormsRejects(t *testing.T) {
	checkRejects(t, func(data []byte) error { _, err := ParseEForms(data, "t"); return err }, []rejectCase{
		{"another root", `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>`, "not an eForms notice: the root element is Invoice"},
		{"the right name in another namespace", `<ContractNotice xmlns="urn:example"/>`, "not an eForms notice"},
		{"truncated", `<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"><cbc:ID`, "malformed eForms XML"},
		{"two roots", `<a/><b/>`, "more than one root element"},
		{"no root", `<?xml version="1.0"?>`, "no root element"},
		{"too deep", strings.Repeat("<a>", maxXMLDepth+1), "nested deeper"},
		{"no identifier", `<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"/>`, "without identifier"},
	})
}

// TestTinyEForms checks that the fuzzers' seed is a whole notice, so that
// fuzzing starts from every part of the parser.
func TestTinyEForms(t *testing.T) {
	en, err := ParseEForms([]byte(tinyEForms), "t")
	if err != nil {
		t.Fatal(err)
	}
	n := en.Notice
	got := strings.Join([]string{n.ID, n.Title, n.Buyer, strings.Join(n.CPV, ","), strings.Join(n.NUTS, ","),
		moneyString(n.Value), formatTime(n.Deadline), formatTime(n.Published), n.Lots[0].ID}, " | ")
	const want = "1-2026 | Titel | Gemeente | 45000000 | NL213 | EUR 9.00 | 2027-01-22T11:00:00Z | 2026-11-20T00:00:00Z | LOT-1"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestEFormsLotGroupIsNoLot reads the multilingual notice with a group of
// its two lots added (as eForms writes a group: a ProcurementProjectLot
// whose ID is a GLO- in the LotsGroup scheme, with its own estimate): the
// group is no lot, and its value is not counted again.
func TestEFormsLotGroupIsNoLot(t *testing.T) {
	group := `<cac:ProcurementProjectLot><cbc:ID schemeName="LotsGroup">GLO-0001</cbc:ID>
  <cac:ProcurementProject><cbc:Name languageID="ENG">Both lots</cbc:Name>
   <cac:RequestedTenderTotal><cbc:EstimatedOverallContractAmount currencyID="EUR">999999</cbc:EstimatedOverallContractAmount></cac:RequestedTenderTotal>
  </cac:ProcurementProject></cac:ProcurementProjectLot>
 <cac:ProcurementProjectLot><cbc:ID schemeName="Lot">LOT-0001</cbc:ID>`
	doc := strings.Replace(multilingualNotice, `<cac:ProcurementProjectLot><cbc:ID schemeName="Lot">LOT-0001</cbc:ID>`, group, 1)
	if doc == multilingualNotice {
		t.Fatal("the group was not inserted")
	}
	for name, doc := range map[string]string{"LotsGroup scheme": doc, "GLO- id only": strings.Replace(doc, ` schemeName="LotsGroup"`, "", 1)} {
		t.Run(name, func(t *testing.T) {
			en, err := ParseEForms([]byte(doc), "t")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, l := range en.Lots {
				ids = append(ids, l.ID)
			}
			if !slices.Equal(ids, []string{"LOT-0001", "LOT-0002"}) {
				t.Errorf("got lots %v, want LOT-0001, LOT-0002 (the group is no lot)", ids)
			}
			if got := moneyString(en.Value); got != "EUR 200000.50" {
				t.Errorf("got value %s, want the lots' sum EUR 200000.50", got)
			}
		})
	}
}
