package feeds

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestOCDSKind(t *testing.T) {
	tests := []struct {
		name    string
		release string
		want    bot.Kind
		why     string // a part of why
	}{
		{"planning", `{"tag":["planning"]}`, bot.KindEarly, "tag planning"},
		{"planning update", `{"tag":["planningUpdate"]}`, bot.KindEarly, "tag planningUpdate"},
		{"tender", `{"tag":["tender"],"tender":{"status":"active"}}`, bot.KindTender, "tender status active"},
		{"tender as one string", `{"tag":"tender"}`, bot.KindTender, "tag tender"},
		{"tender, planned", `{"tag":["tender"],"tender":{"status":"planned"}}`, bot.KindEarly, "tender status planned"},
		{"planned, but awarded and contracted", `{"tag":["planning"],"tender":{"status":"planned"},"awards":[{"status":"active"}],"contracts":[{"status":"active"}]}`,
			bot.KindAward, "an award (status active)"},
		{"tagged award, still receiving offers", `{"tag":["award"],"tender":{"status":"active","tenderPeriod":{"endDate":"2099-01-15T12:00:00Z"}}}`,
			bot.KindTender, "tender status active"},
		{"complete, no awards: not an award", `{"tag":["tender"],"tender":{"status":"complete"}}`, bot.KindChange, "tender status complete"},
		{"complete with an active award (Contracts Finder)", `{"tag":["tender"],"tender":{"status":"complete"},"awards":[{"status":"active"}]}`, bot.KindAward, "an award"},
		{"unsuccessful", `{"tag":["tender"],"tender":{"status":"unsuccessful"}}`, bot.KindChange, "tender status unsuccessful"},
		{"tender with an active award", `{"tag":["tender"],"awards":[{"status":"active"}]}`, bot.KindAward, "an award (status active)"},
		{"tender with a cancelled award", `{"tag":["tender"],"awards":[{"status":"cancelled"}]}`, bot.KindTender, "tag tender"},
		{"contract only", `{"tag":["contract"],"contracts":[{"title":"Cleaning","status":"active"}]}`, bot.KindAward, "a contract (status active)"},
		{"tender, cancelled", `{"tag":["tender"],"tender":{"status":"cancelled"}}`, bot.KindChange, "tender status cancelled"},
		{"tender amendment", `{"tag":["tenderAmendment"]}`, bot.KindChange, "tag tenderAmendment"},
		{"tender and its amendment", `{"tag":["tender","tenderAmendment"]}`, bot.KindChange, "tag tenderAmendment"},
		{"tender cancellation", `{"tag":["tenderCancellation"]}`, bot.KindChange, "tag tenderCancellation"},
		{"award", `{"tag":["award"]}`, bot.KindAward, "tag award"},
		{"contract", `{"tag":["contract"]}`, bot.KindAward, "tag contract"},
		{"contract amendment after award", `{"tag":["award","contractAmendment"]}`, bot.KindAward, "tag award"},
		{"UK2 preliminary market engagement", `{"tag":["tender"],"planning":{"documents":[{"noticeType":"UK2"}]}}`, bot.KindEarly, "notice type UK2"},
		{"UK4 tender notice", `{"tag":["award"],"tender":{"documents":[{"noticeType":"UK4"}]}}`, bot.KindTender, "notice type UK4"},
		{"UK4 then UK6", `{"tender":{"documents":[{"noticeType":"UK4"}]},"awards":[{"documents":[{"noticeType":"UK6"}]}]}`, bot.KindAward, "notice type UK6"},
		{"UK10 contract change", `{"tag":["contractAmendment"],"contracts":[{"documents":[{"noticeType":"UK10"}]}]}`, bot.KindChange, "notice type UK10"},
		{"Contracts Finder pipeline", `{"tag":["planning"],"planning":{"documents":[{"noticeType":"Pipeline"}]}}`, bot.KindEarly, "Pipeline"},
		{"Contracts Finder pre-procurement", `{"tag":["tender"],"tender":{"documents":[{"noticeType":"PreProcurement"}]}}`, bot.KindEarly, "PreProcurement"},
		{"compiled, with awards", `{"tag":["compiled"],"tender":{"title":"t"},"awards":[{"id":"1"}]}`, bot.KindAward, "status not given"},
		{"compiled, planning only", `{"tag":["compiled"],"planning":{"budget":{"amount":{"amount":1,"currency":"EUR"}}}}`, bot.KindEarly, "data for the stage planning"},
		{"no tag", `{}`, bot.KindOther, "no notice type"},
		{"unknown tag", `{"tag":["implementationX"]}`, bot.KindOther, "no notice type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r ocdsRelease
			if err := json.Unmarshal([]byte(tt.release), &r); err != nil {
				t.Fatal(err)
			}
			if got, why := ocdsKind(r); got != tt.want || !strings.Contains(why, tt.why) {
				t.Errorf("got %q (why %q), want %q (why with %q)", got, why, tt.want, tt.why)
			}
		})
	}
}

func TestOCDSContractOnlyRelease(t *testing.T) {
	const pkg = `{"releases":[{"ocid":"ocds-x-1","date":"2026-11-02T10:00:00Z","tag":["contract"],"language":"md",
		"contracts":[{"title":"Servicii de curățenie","description":"Curățenia clădirilor","status":"active","value":{"amount":"120000","currency":"MDL"}}]}]}`
	notices, err := parseOCDS([]byte(pkg), "t")
	if err != nil {
		t.Fatal(err)
	}
	n := notices[0]
	if n.Title != "Servicii de curățenie" || n.Description != "Curățenia clădirilor" || n.Value == nil || n.Value.Amount != 120000 || n.Value.Currency != "MDL" {
		t.Errorf("got title %q, description %q, value %+v; want the contract's", n.Title, n.Description, n.Value)
	}
	if n.Kind != bot.KindAward || n.Language != "ro" {
		t.Errorf("got kind %q, language %q; want award, ro (OCDS md)", n.Kind, n.Language)
	}
}

// TestOCDSLenient checks that fields publishers fill with the wrong JSON
// type are still read, and that a release that cannot be read is skipped.
func TestOCDSLenient(t *testing.T) {
	const pkg = `{"releases": [
		{"ocid": "ocds-a-1", "tag": "tender", "buyer": {"id": 7, "name": "Gemeente &amp; Co"},
		 "tender": {"id": 2026001, "title": "Fietspaden &#039;t Hoge", "value": {"amount": "1.5e5", "currency": "eur"},
		  "lots": [{"id": 1, "title": "Lot 1"}],
		  "items": [{"relatedLot": 1, "classification": {"scheme": "cpv", "id": "45233140-2"}}]}},
		{"ocid": "ocds-a-2", "tender": []},
		{"ocid": "ocds-a-3", "tender": {"title": "Null value", "value": {"amount": null, "currency": "EUR"}}},
		{"url": "https://example.org/linked-release.json", "tag": ["award"]}
	]}`
	notices, err := parseOCDS([]byte(pkg), "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 2 {
		t.Fatalf("got %d notices, want 2 (the release with a list for a tender is skipped, a linked release is none)", len(notices))
	}
	n := notices[0]
	checkFields(t, []fieldCheck{
		{"Title", n.Title, "Fietspaden 't Hoge"},
		{"Buyer", n.Buyer, "Gemeente & Co"},
		{"ProcedureID", n.ProcedureID, "2026001"},
		{"Value", moneyString(n.Value), "EUR 150000.00"},
		{"Kind", string(n.Kind), "tender"},
		{"CPV", strings.Join(n.CPV, " "), "45233140"},
		{"Lot", n.Lots[0].ID + " " + strings.Join(n.Lots[0].CPV, " "), "1 45233140"},
		{"no value", moneyString(notices[1].Value), "<nil>"},
	})
	if _, err := parseOCDS([]byte(`{"releases": [{"ocid": "x", "tender": 1}]}`), "t"); err == nil || !strings.Contains(err.Error(), "none of its 1 contracting processes") {
		t.Errorf("a package none of whose releases can be read: got %v, want an error", err)
	}
	if notices, err := parseOCDS([]byte(`{"uri": "x", "releases": []}`), "t"); err != nil || len(notices) != 0 {
		t.Errorf("an empty page: got %v, %v; want no notices and no error", notices, err)
	}
}

// TestOCDSCompile checks that the releases of one contracting process
// make one notice: the latest release's fields win, the earlier ones fill
// in, whatever order the package lists them in.
func TestOCDSCompile(t *testing.T) {
	const pkg = `{"releases": [
		{"ocid": "p", "date": "2026-11-19T00:00:00Z", "tag": ["award"], "tender": {"value": {"amount": 90, "currency": "EUR"}}},
		{"ocid": "p", "date": "2026-11-01T00:00:00Z", "tag": ["tender"],
		 "tender": {"title": "First title", "value": {"amount": 100, "currency": "EUR"}, "tenderPeriod": {"endDate": "2026-11-15T12:00:00Z"}}},
		{"ocid": "q", "date": "2026-11-02T00:00:00Z", "tag": ["planning"], "tender": {"title": "Other process"}}
	]}`
	notices, err := parseOCDS([]byte(pkg), "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 2 || notices[0].ID != "p" || notices[1].ID != "q" {
		t.Fatalf("got %d notices %v, want p then q", len(notices), notices)
	}
	p := notices[0]
	if p.Title != "First title" || p.Kind != bot.KindAward || moneyString(p.Value) != "EUR 90.00" || formatTime(p.Deadline) != "2026-11-15T12:00:00Z" {
		t.Errorf("got title %q, kind %q, value %s, deadline %v; want the first title, award, EUR 90.00 and the first deadline",
			p.Title, p.Kind, moneyString(p.Value), p.Deadline)
	}
	if formatTime(p.Published) != "2026-11-19T00:00:00Z" {
		t.Errorf("got published %v, want the latest release's date", p.Published)
	}
}

func TestOCDSRejects(t *testing.T) {
	checkRejects(t, func(data []byte) error { _, err := parseOCDS(data, "t"); return err }, []rejectCase{
		{"truncated", `{"uri": "x", "releases": [{"ocid":`, "malformed OCDS JSON"},
		{"other JSON", `{"results": []}`, "not an OCDS release or record package"},
		{"releases not a list", `{"releases": {}}`, "malformed OCDS package"},
	})
}

func TestNextPage(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	tests := []struct{ name, data, want string }{
		{"ocds links.next", read("testdata/ocds-fts.json"),
			"https://www.find-tender.service.gov.uk/api/1.0/ocdsReleasePackages?cursor=AbC123&updatedFrom=2026-11-20T00:00:00"},
		{"ocds last page", read("testdata/ocds-records.json"), ""},
		{"atom rel=next (PLACSP)", read("testdata/placsp.xml"),
			"https://contrataciondelestado.es/sindicacion/sindicacion_643/licitacionesPerfilesContratanteCompleto3_20261120_110000.atom"},
		{"atom without next", read("testdata/atom.xml"), ""},
		{"rss atom:link next", `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>` +
			`<atom:link rel="self" href="https://example.org/rss"/><atom:link rel="next" href="https://example.org/rss?page=2"/></channel></rss>`,
			"https://example.org/rss?page=2"},
		{"an entry's next link is not the feed's", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="next" href="x"/></entry></feed>`, ""},
		{"ted page", read("testdata/ted-page-1.json"), ""},
		{"eforms", multilingualNotice, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextPage([]byte(tt.data)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLanguageFromCode(t *testing.T) {
	for in, want := range map[string]string{
		"md": "ro", "MD": "ro", "English": "en", "english": "en", "Nederlands": "nl", "Deutsch": "de",
		"en-GB": "en", "nl": "nl", "NLD": "nl", "dut": "nl", "ENG": "en", "": "", "Klingon": "",
	} {
		if got := languageFromCode(in); got != want {
			t.Errorf("languageFromCode(%q) = %q, want %q", in, got, want)
		}
	}
}
