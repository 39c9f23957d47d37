package feeds

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

func readTN(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "tenderned", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseTenderNedListPage(t *testing.T) {
	data := readTN(t, "list-page.json")
	if got := Detect(data); got != FormatTenderNed {
		t.Fatalf("Detect: got %q, want %q", got, FormatTenderNed)
	}
	tns, err := parseTenderNedFull(data, "TenderNed")
	if err != nil {
		t.Fatal(err)
	}
	if len(tns) != 14 {
		t.Fatalf("got %d notices, want the 14 publications (the entry that is a string skipped)", len(tns))
	}
	byID := map[string]TenderNedNotice{}
	for _, tn := range tns {
		byID[tn.PublicationID] = tn
		if !tn.CodesUnknown || len(tn.CPV) > 0 {
			t.Errorf("%s: a list entry has no codes; got CodesUnknown %v, CPV %v", tn.PublicationID, tn.CodesUnknown, tn.CPV)
		}
		if tn.Country != "NL" || tn.Source != "TenderNed" {
			t.Errorf("%s: got country %q, source %q", tn.PublicationID, tn.Country, tn.Source)
		}
	}

	first := byID["443728"]
	want := bot.Notice{
		ID: "tenderned:443728", Source: "TenderNed", Title: "Onderhoud openbare verlichting",
		Description: "Het onderhoud van de openbare verlichting in de gemeente Almelo voor vier jaar.\nProcedure: Openbaar · Type opdracht: Diensten",
		Language:    "nl", Buyer: "Gemeente Almelo", Kind: bot.KindTender, Country: "NL",
		// 12:00 in Amsterdam in October, summer time (CEST, +02:00).
		Deadline:  time.Date(2026, 10, 20, 10, 0, 0, 0, time.UTC),
		Published: time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC),
		URL:       "https://www.tenderned.nl/aankondigingen/overzicht/443728",
	}
	if got := first.Notice; !noticesEqual(got, want) {
		t.Errorf("443728:\ngot  %+v\nwant %+v", got, want)
	}
	if first.Subtype != "20" || first.Code != "AAO" || first.ProcedureType != "Openbaar" || first.ContractType != "Diensten" {
		t.Errorf("443728: got subtype %q, code %q, procedure %q, contract %q", first.Subtype, first.Code, first.ProcedureType, first.ContractType)
	}

	// A number for the id, strings for the objects, no opdrachtgever.
	second := byID["443729"]
	if second.ID != "tenderned:443729" || second.Buyer != "Regio Twente" || second.Kind != bot.KindAward {
		t.Errorf("443729: got id %q, buyer %q, kind %q", second.ID, second.Buyer, second.Kind)
	}
	if second.ProcedureType != "Openbaar" || second.ContractType != "Diensten" {
		t.Errorf("443729: got procedure %q, contract %q; want the strings read", second.ProcedureType, second.ContractType)
	}
	// 00:05 in January is 23:05 UTC the day before (CET, +01:00).
	if want := time.Date(2027, 1, 14, 23, 5, 0, 0, time.UTC); !second.Deadline.Equal(want) {
		t.Errorf("443729: got deadline %v, want %v", second.Deadline, want)
	}

	last := byID["443741"]
	if !last.European || last.URL != "https://www.tenderned.nl/aankondigingen/overzicht/443741" {
		t.Errorf("443741: got European %v, URL %q; want the strings read", last.European, last.URL)
	}
	if want := time.Date(2026, 10, 10, 7, 30, 0, 0, time.UTC); !last.Published.Equal(want) {
		t.Errorf("443741: got published %v, want %v", last.Published, want)
	}
	if want := time.Date(2026, 11, 19, 16, 0, 0, 0, time.UTC); !last.Deadline.Equal(want) {
		t.Errorf("443741: got deadline %v, want %v (17:00 CET)", last.Deadline, want)
	}
}

// noticesEqual compares the fields a TenderNed list entry fills.
func noticesEqual(a, b bot.Notice) bool {
	return a.ID == b.ID && a.Source == b.Source && a.Title == b.Title && a.Description == b.Description &&
		a.Language == b.Language && a.Buyer == b.Buyer && a.Kind == b.Kind && a.Country == b.Country &&
		a.Deadline.Equal(b.Deadline) && a.Published.Equal(b.Published) && a.URL == b.URL &&
		slices.Equal(a.CPV, b.CPV) && slices.Equal(a.NUTS, b.NUTS)
}

func TestTenderNedKind(t *testing.T) {
	tests := []struct {
		name                 string
		code, words, pubcode string
		stoppedEarly         bool
		want                 bot.Kind
		unknown              string
		why                  string // a part of why
	}{
		{"AAO contract notice", "AAO", "Aankondiging opdracht", "", false, bot.KindTender, "", "typePublicatie AAO"},
		{"AGO award", "AGO", "Aankondiging gegunde opdracht", "", false, bot.KindAward, "", "typePublicatie AGO"},
		{"GUN award", "GUN", "", "", false, bot.KindAward, "", "GUN"},
		{"REC correction", "REC", "Rectificatie", "", false, bot.KindChange, "", "REC"},
		{"INT withdrawal", "INT", "Intrekking", "", false, bot.KindChange, "", "INT"},
		{"VBE stopped early", "VBE", "Vroegtijdige beëindiging", "", false, bot.KindChange, "", "VBE"},
		{"VOR prior information", "VOR", "Vooraankondiging", "", false, bot.KindEarly, "", "VOR"},
		{"VOP prior information", "VOP", "", "", false, bot.KindEarly, "", "VOP"},
		{"MAC market consultation", "MAC", "Marktconsultatie", "", false, bot.KindEarly, "", "MAC"},
		{"VAK by its words", "VAK", "Vooraankondiging", "", false, bot.KindEarly, "VAK", "words"},
		{"AAW by its words", "AAW", "Aankondiging van een wijziging", "", false, bot.KindChange, "AAW", "words"},
		{"unknown code, unknown words", "XYZ", "Iets anders", "", false, bot.KindOther, "XYZ", "unknown"},
		{"no code, words only", "", "Aankondiging gegunde opdracht", "", false, bot.KindAward, "", "words"},
		{"nothing at all", "", "", "", false, bot.KindOther, "(none)", "no known code"},
		{"EF16 standard contract notice", "AAO", "", "EF16", false, bot.KindTender, "", "cn-standard"},
		{"EF18 defence contract notice", "AAO", "", "EF18", false, bot.KindTender, "", "EF18"},
		{"EF20 light regime", "AAO", "", "EF20", false, bot.KindTender, "", "EF20"},
		{"EF4 prior information only", "VOR", "", "EF4", false, bot.KindEarly, "", "pin-only"},
		{"EF10 PIN as call for competition", "AAO", "", "EF10", false, bot.KindEarly, "", "pin-cfc-standard"},
		{"EFE1 pre-market consultation", "MAC", "", "EFE1", false, bot.KindEarly, "", "pmc"},
		{"EF29 award", "AGO", "", "EF29", false, bot.KindAward, "", "can-standard"},
		{"EF25 voluntary ex-ante", "AGO", "", "ef25", false, bot.KindAward, "", "veat"},
		{"EF38 modification", "AAO", "", "EF38", false, bot.KindChange, "", "can-modif"},
		{"EF16 corrected", "REC", "Rectificatie", "EF16", false, bot.KindChange, "", "with typePublicatie REC"},
		{"EF16 stopped early", "AAO", "", "EF16", true, bot.KindChange, "", "EF16"},
		{"EF subtype wins over the type", "AGO", "", "EF16", false, bot.KindTender, "", "EF16"},
		{"EF99 unknown, type decides", "AAO", "", "EF99", false, bot.KindTender, "EF99", "typePublicatie AAO"},
		{"EF16 with an unknown type", "AAW", "", "EF16", false, bot.KindTender, "AAW", "EF16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tnPublication{
				TypePublicatie: tnCode{Code: tt.code, Words: tt.words},
				Publicatiecode: tnCode{Code: tt.pubcode},
			}
			if tt.stoppedEarly {
				p.VroegtijdigeBeeindiging = "true"
			}
			got, why, unknown := tenderNedKind(p)
			if got != tt.want || unknown != tt.unknown || !strings.Contains(why, tt.why) {
				t.Errorf("got %q (why %q, unknown %q), want %q (why with %q, unknown %q)", got, why, unknown, tt.want, tt.why, tt.unknown)
			}
		})
	}
}

func TestParseTenderNedDetail(t *testing.T) {
	data := readTN(t, "detail-443728.json")
	d, ok := parseTNDetail(data)
	if !ok {
		t.Fatal("detail not read")
	}
	d.tnPublication = tnPublication{PublicatieID: "443728", AanbestedingNaam: "Onderhoud", Europees: "false"}
	tn, _ := d.notice("TenderNed", false)
	if want := []string{"50232000", "50232100"}; !slices.Equal(tn.CPV, want) {
		t.Errorf("got CPV %v, want %v (the main one first, check digits stripped)", tn.CPV, want)
	}
	if want := []string{"NL213"}; !slices.Equal(tn.NUTS, want) {
		t.Errorf("got NUTS %v, want %v", tn.NUTS, want)
	}
	if tn.Value == nil || tn.Value.Amount != 450000 || tn.Value.Currency != "EUR" {
		t.Errorf("got value %+v, want 450000 EUR", tn.Value)
	}

	// A European notice whose detail names its TED publication: the same
	// notice as TED's. Codes as bare strings, NUTS 2021 and 2024 alike.
	d, _ = parseTNDetail(readTN(t, "detail-443741.json"))
	d.tnPublication = tnPublication{PublicatieID: "443741", Europees: "true"}
	tn, _ = d.notice("TenderNed", false)
	if tn.ID != "612345-2026" || tn.ProcedureID != "4f1c2d3e-aaaa-bbbb-cccc-1234567890ab" {
		t.Errorf("got id %q, procedure %q; want the TED publication number and the procedure identifier", tn.ID, tn.ProcedureID)
	}
	if want := []string{"NL329", "NL21"}; !slices.Equal(tn.NUTS, want) || !slices.Equal(tn.CPV, []string{"90500000"}) {
		t.Errorf("got NUTS %v, CPV %v", tn.NUTS, tn.CPV)
	}
	// The same detail on a national notice keeps TenderNed's id.
	d.tnPublication.Europees = "false"
	if tn, _ = d.notice("TenderNed", false); tn.ID != "tenderned:443741" {
		t.Errorf("national notice: got id %q, want tenderned:443741", tn.ID)
	}

	// A saved detail alone is a notice.
	notices, err := Parse(readTN(t, "detail-443741.json"), "saved")
	if err != nil || len(notices) != 1 || len(notices[0].CPV) != 1 {
		t.Errorf("saved detail: got %+v, %v", notices, err)
	}
}

func TestTenderNedWireTypesAreLenient(t *testing.T) {
	page := `{"content":[
		{"publicatieId":1.0,"aanbestedingNaam":7,"typePublicatie":["MAC"],"procedure":{"code":null},"europees":1,"link":null,"sluitingsDatum":false},
		{"publicatieId":{"code":"2"},"typePublicatie":{"code":{"x":1}},"kenmerk":[],"publicatiecode":"Lichte regeling"},
		{"publicatieId":null},
		[1,2,3]
	],"totalElements":"4","totalPages":"one"}`
	tns, err := parseTenderNedFull([]byte(page), "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(tns) != 2 {
		t.Fatalf("got %d notices, want 2 (the entries without an id are no publications)", len(tns))
	}
	if tns[0].PublicationID != "1" || tns[0].Title != "7" || tns[0].Kind != bot.KindEarly || !tns[0].European {
		t.Errorf("got %+v", tns[0])
	}
	if tns[1].PublicationID != "2" || tns[1].Kind != bot.KindOther {
		t.Errorf("got %+v", tns[1])
	}
}

func TestTenderNedSourcePagesDedupesAndFetchesDetailsOnce(t *testing.T) {
	const today = "2026-10-10"
	s := newTNServer(t)
	s.days[today] = tnPublications(t, today, 500000, 230)
	// Between the first and the second page a new publication arrives
	// at the top: the list moves, the first page's last shows again on
	// the second, and the newest is counted but not shown this time.
	s.insertAfterFirstPage[today] = tnPublications(t, today, 600000, 1)[0]
	s.setDetailStatus("500007", http.StatusInternalServerError)
	f := tnFetcher(s, time.Date(2026, 10, 10, 14, 0, 0, 0, time.UTC))
	ctx := context.Background()

	doc, err := f.Read(ctx, Request{Location: TenderNedLocation}, FormatAuto, "TenderNed", 10)
	if err != nil {
		t.Fatal(err)
	}
	ids := idsOf(doc)
	if len(ids) != 230 {
		t.Fatalf("first poll: got %d notices, want the 230 of the three pages, each once", len(ids))
	}
	if got := s.listHits[today]; got != 3 {
		t.Errorf("first poll: got %d list requests, want 3 pages", got)
	}
	seen := map[string]bool{}
	for i, n := range doc.Notices {
		if seen[n.ID] {
			t.Errorf("notice %s twice", n.ID)
		}
		seen[n.ID] = true
		failing := ids[i] == "500007"
		if failing != (len(n.CPV) == 0) {
			t.Errorf("notice %s: got CPV %v; want codes unless its detail failed", n.ID, n.CPV)
		}
	}
	if got := s.hits("500099"); got != 1 {
		t.Errorf("the publication on two pages: detail asked %d times, want once", got)
	}
	if got := s.hits("500007"); got != detailTries {
		t.Errorf("failing detail: asked %d times, want %d (retried on 5xx)", got, detailTries)
	}
	if h := doc.Source; h == nil || h.ReadToday != 230 || h.DetailsPending != 1 || h.LastCompleteDay != "2026-10-09" {
		t.Errorf("first poll: got health %+v, want 230 read today, 1 detail pending, complete up to yesterday", doc.Source)
	}

	// The next poll reads the list again, a day later in its counters
	// (days left until the deadline): only the newcomer is new; the
	// failing detail is tried again, and its notice, handed on already,
	// is not handed on while it fails.
	s.mu.Lock()
	counted := 0
	for i, raw := range s.days[today] {
		counted += bytes.Count(raw, []byte(`"aantalDagenTotSluitingsDatum":10`))
		s.days[today][i] = bytes.ReplaceAll(raw, []byte(`"aantalDagenTotSluitingsDatum":10`), []byte(`"aantalDagenTotSluitingsDatum":9`))
	}
	s.mu.Unlock()
	if counted == 0 {
		t.Fatal("no publication has a day counter to change")
	}
	doc, err = f.Read(ctx, Request{Location: TenderNedLocation, ETag: doc.ETag}, FormatAuto, "TenderNed", 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := idsOf(doc); !slices.Equal(got, []string{"600000"}) {
		t.Errorf("second poll: got %v, want only the new publication", got)
	}
	if got := s.hits("500001"); got != 1 {
		t.Errorf("second poll: a settled detail was asked %d times, want once in all", got)
	}
	if got := s.hits("500007"); got != 2*detailTries {
		t.Errorf("second poll: failing detail asked %d times in all, want %d", got, 2*detailTries)
	}

	// The detail comes back: the notice is handed on again, with codes.
	s.setDetailStatus("500007")
	doc, err = f.Read(ctx, Request{Location: TenderNedLocation, ETag: doc.ETag}, FormatAuto, "TenderNed", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Notices) != 1 || doc.Notices[0].ID != "tenderned:500007" || len(doc.Notices[0].CPV) == 0 {
		t.Errorf("third poll: got %+v, want 500007 with its codes", doc.Notices)
	}
	if h := doc.Source; h.ReadToday != 231 || h.DetailsPending != 0 {
		t.Errorf("third poll: got health %+v, want 231 read today, none pending", h)
	}
}

func TestTenderNedSourceBackfillsAndRetriesShortDays(t *testing.T) {
	s := newTNServer(t)
	days := []string{"2026-10-07", "2026-10-08", "2026-10-09", "2026-10-10"}
	for i, day := range days {
		s.days[day] = tnPublications(t, day, 700000+1000*i, 3)
	}
	// The 8th counts a publication its list does not show: short for an
	// earlier day, so that day is read again.
	s.extraTotal["2026-10-08"] = 1
	f := tnFetcher(s, time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()

	// The last poll before the outage completed the 6th.
	state := tnState{Complete: "2026-10-06"}
	doc, err := f.Read(ctx, Request{Location: TenderNedLocation, ETag: state.encode()}, FormatAuto, "TenderNed", 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(doc.Notices); got != 12 {
		t.Errorf("got %d notices, want the 12 of the four days missed", got)
	}
	if got := doc.Source.LastCompleteDay; got != "2026-10-07" {
		t.Errorf("got last complete day %s, want 2026-10-07 (the 8th was short)", got)
	}
	if len(doc.Problems) != 1 || !strings.Contains(doc.Problems[0], "2026-10-08") {
		t.Errorf("got problems %q, want one for the short 8th", doc.Problems)
	}

	delete(s.extraTotal, "2026-10-08")
	hits9 := s.listHits["2026-10-09"]
	doc, err = f.Read(ctx, Request{Location: TenderNedLocation, ETag: doc.ETag}, FormatAuto, "TenderNed", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Notices) != 0 {
		t.Errorf("got %d notices, want none: every publication was handed on", len(doc.Notices))
	}
	if got := doc.Source.LastCompleteDay; got != "2026-10-09" {
		t.Errorf("got last complete day %s, want 2026-10-09", got)
	}
	if s.listHits["2026-10-07"] != 1 || s.listHits["2026-10-09"] != hits9 {
		t.Errorf("complete days read again: 7th %d times, 9th %d then %d", s.listHits["2026-10-07"], hits9, s.listHits["2026-10-09"])
	}
	if s.listHits["2026-10-08"] != 2 || s.listHits["2026-10-10"] != 2 {
		t.Errorf("got the 8th read %d times, today %d; want both twice", s.listHits["2026-10-08"], s.listHits["2026-10-10"])
	}

	// A short count for today is no problem: today is still published.
	s.extraTotal["2026-10-10"] = 5
	doc, err = f.Read(ctx, Request{Location: TenderNedLocation, ETag: doc.ETag}, FormatAuto, "TenderNed", 10)
	if err != nil || len(doc.Problems) != 0 {
		t.Errorf("short today: got problems %q, err %v; want none", doc.Problems, err)
	}
}

func TestTenderNedSourceRetriesThrottledDetails(t *testing.T) {
	const today = "2026-10-10"
	s := newTNServer(t)
	s.days[today] = tnPublications(t, today, 800000, 2)
	s.setDetailStatus("800000", http.StatusTooManyRequests, http.StatusBadGateway, http.StatusOK)
	s.setDetailStatus("800001", http.StatusNotFound)
	f := tnFetcher(s, time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC))
	doc, err := f.Read(context.Background(), Request{Location: TenderNedLocation}, FormatAuto, "TenderNed", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Notices) != 2 || len(doc.Notices[0].CPV) == 0 || len(doc.Notices[1].CPV) != 0 {
		t.Fatalf("got %+v; want 800000 with codes after 429 and 502, 800001 without", doc.Notices)
	}
	if s.hits("800000") != 3 || s.hits("800001") != 1 {
		t.Errorf("got %d and %d detail requests, want 3 (retried) and 1 (404 is not retried)", s.hits("800000"), s.hits("800001"))
	}
}

func TestTenderNedSourceFailsOnlyWhenNothingIsRead(t *testing.T) {
	s := newTNServer(t)
	s.Close()
	f := tnFetcher(s, time.Now())
	if _, err := f.Read(context.Background(), Request{Location: TenderNedLocation}, FormatAuto, "TenderNed", 10); err == nil {
		t.Error("got no error from a server that is down")
	}
}

func TestTenderNedStateSurvivesEncoding(t *testing.T) {
	s := tnState{Complete: "2026-10-09", Days: map[string]*tnDay{"2026-10-10": {Done: []string{"1"}, Failed: map[string]int{"2": 3}, Listed: 2}},
		Unknown: map[string]int{"XYZ": 1}}
	got := decodeTNState(s.encode())
	if got.Complete != s.Complete || got.Days["2026-10-10"].Failed["2"] != 3 || got.Unknown["XYZ"] != 1 {
		t.Errorf("got %+v, want %+v", got, s)
	}
	if fresh := decodeTNState(`"abc"`); fresh.Complete != "" || len(fresh.Days) != 0 {
		t.Errorf("an HTTP validator: got %+v, want a fresh start", fresh)
	}
	if fresh := decodeTNState(tnStatePrefix + "{broken"); fresh.Complete != "" {
		t.Errorf("a broken state: got %+v, want a fresh start", fresh)
	}
}

func TestReadJoinsTenderNedListAndAtom(t *testing.T) {
	const day = "2026-10-10"
	s := newTNServer(t)
	s.days[day] = tnPublications(t, day, 443728, 230)
	s.details["443728"] = string(readTN(t, "detail-443728.json"))
	s.setDetailStatus("443729", http.StatusNotFound)
	f := tnFetcher(s, time.Now())
	ctx := context.Background()

	listURL := s.base() + "?publicatieDatumVanaf=" + day + "&publicatieDatumTot=" + day + "&page=2&size=100"
	doc, err := f.Read(ctx, Request{Location: listURL, JoinDetails: true}, FormatAuto, "ingest", 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Notices) != 230 {
		t.Fatalf("list URL: got %d notices, want every page's 230", len(doc.Notices))
	}
	if got := doc.Notices[0].CPV; !slices.Equal(got, []string{"50232000", "50232100"}) {
		t.Errorf("list URL: got CPV %v from the detail, want 50232000, 50232100", got)
	}
	if len(doc.Notices[1].CPV) != 0 || len(doc.Problems) != 1 || !strings.Contains(doc.Problems[0], "443729") {
		t.Errorf("list URL: the failed detail: got CPV %v, problems %q", doc.Notices[1].CPV, doc.Problems)
	}

	// Without JoinDetails, the same URL is one page of list entries.
	doc, err = f.Read(ctx, Request{Location: listURL}, FormatAuto, "poll", 20)
	if err != nil || len(doc.Notices) != 30 || len(doc.Notices[0].CPV) != 0 {
		t.Errorf("list URL read as a feed: got %d notices, err %v; want page 2's 30, without details", len(doc.Notices), err)
	}

	atom := filepath.Join("testdata", "tenderned", "atom.xml")
	doc, err = f.Read(ctx, Request{Location: atom, JoinDetails: true}, FormatAuto, "ingest", 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Notices) != 2 {
		t.Fatalf("Atom: got %d notices, want 2", len(doc.Notices))
	}
	n := doc.Notices[0]
	if n.ID != "tenderned:443728" || n.Title != "Onderhoud openbare verlichting" || !slices.Equal(n.NUTS, []string{"NL213"}) || n.Value == nil {
		t.Errorf("Atom joined to its detail: got %+v", n)
	}
	if doc.Notices[1].ID != "tenderned:443729" || len(doc.Notices[1].CPV) != 0 {
		t.Errorf("Atom, failed detail: got %+v", doc.Notices[1])
	}
}

func TestTenderNedID(t *testing.T) {
	for link, want := range map[string]string{
		"https://www.tenderned.nl/aankondigingen/overzicht/443728":  "443728",
		"https://www.tenderned.nl/aankondigingen/overzicht/443728/": "443728",
		"https://www.tenderned.nl/aankondigingen/overzicht/abc":     "",
		"https://example.org/aankondigingen/overzicht/443728":       "",
		"": "",
	} {
		if got := tenderNedID(link); got != want {
			t.Errorf("tenderNedID(%q) = %q, want %q", link, got, want)
		}
	}
}

// TestPollerKeepsTenderNedStateAndHealth polls the tenderned source twice
// through the poller: what the source must remember travels as the feed's
// validator, as a web feed's ETag does, and its health reaches the sink.
func TestPollerKeepsTenderNedStateAndHealth(t *testing.T) {
	const today = "2026-10-10"
	s := newTNServer(t)
	s.days[today] = tnPublications(t, today, 900000, 5)
	f := tnFetcher(s, time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC))
	sink := newRecordingSink(bot.Feed{ID: 1, URL: TenderNedLocation, Name: "TenderNed"})
	p := NewPoller(f, sink, PollerOptions{})
	ctx := context.Background()
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	first := sink.snapshot()
	r := first[len(first)-1].result
	if r.Err != nil || r.Items != 5 || r.Source == nil || r.Source.ReadToday != 5 || !strings.HasPrefix(r.ETag, tnStatePrefix) {
		t.Fatalf("first poll: got %+v (source %+v)", r, r.Source)
	}
	sink.mu.Lock()
	sink.feeds[0].ETag = r.ETag // as the store keeps it
	sink.mu.Unlock()
	if err := p.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	events := sink.snapshot()
	if r := events[len(events)-1].result; r.Err != nil || r.Items != 0 || s.hits("900000") != 1 {
		t.Errorf("second poll: got %+v, detail asked %d times; want nothing new, each detail once", r, s.hits("900000"))
	}
}

func TestPreviewNamedSources(t *testing.T) {
	s := newTNServer(t)
	s.days["2026-10-09"] = tnPublications(t, "2026-10-09", 100, 150)
	f := tnFetcher(s, time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC))
	format, notices, err := f.PreviewNamed(context.Background(), "TenderNed")
	if err != nil {
		t.Fatal(err)
	}
	if format != "tenderned" || len(notices) != 100 || s.hits("100") != 0 || s.listHits["2026-10-09"] != 1 {
		t.Errorf("got format %q, %d notices, %d detail and %d list requests; want yesterday's first page, no details",
			format, len(notices), s.hits("100"), s.listHits["2026-10-09"])
	}
	if _, _, err := f.PreviewNamed(context.Background(), "https://example.org/feed"); err == nil {
		t.Error("an address: got no error")
	}
	if !IsNamedSource(" de ") || IsNamedSource("https://de") || SourceName("tenderned") != "TenderNed" {
		t.Error("IsNamedSource or SourceName")
	}
}

func TestProberPreviewsNamedSources(t *testing.T) {
	s := newTNServer(t)
	s.days["2026-10-09"] = tnPublications(t, "2026-10-09", 100, 3)
	p := NewProber(tnFetcher(s, time.Date(2026, 10, 10, 9, 0, 0, 0, time.UTC)), nil)
	found, err := p.Probe(context.Background(), "tenderned")
	if err != nil {
		t.Fatal(err)
	}
	if found.Format != "tenderned" || found.Name != "TenderNed" || len(found.Notices) != 3 {
		t.Errorf("got %+v, want TenderNed's 3 publications of yesterday", found)
	}
}
