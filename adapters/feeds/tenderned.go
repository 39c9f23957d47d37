package feeds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// TenderNed (tenderned.nl), the Dutch national portal: every Dutch public
// buyer publishes there, above and below the EU thresholds. A list entry
// says what the notice is; its CPV and NUTS codes come only from the
// detail of the publication.

// TenderNedAPIURL is the address of TenderNed's publications API.
const TenderNedAPIURL = "https://www.tenderned.nl/papi/tenderned-rs-tns/v2/publicaties"

// tenderNedNoticePage is where a publication is shown on TenderNed; the
// Atom feed's links end so too, with the publication's id.
const tenderNedNoticePage = "https://www.tenderned.nl/aankondigingen/overzicht/"

// tenderNedIDPrefix starts the ID of a TenderNed notice that is not also
// on TED: "tenderned:443728".
const tenderNedIDPrefix = "tenderned:"

// TenderNedNotice is a TenderNed publication read in full: the notice, and
// what bot.Notice has no field for.
type TenderNedNotice struct {
	bot.Notice
	// PublicationID is TenderNed's publicatieId.
	PublicationID string
	// Code is the raw typePublicatie code ("AAO", "MAC"), and Subtype the
	// eForms notice subtype of publicatiecode ("16" of "EF16"); either ""
	// when absent.
	Code, Subtype string
	// UnknownCode, when not "", is the code the kind could not be read
	// from: the notice is kept, its kind read from words or "other".
	UnknownCode string
	// Why says which field decided the kind.
	Why string
	// ProcedureType and ContractType are the procedure ("Openbaar") and
	// the type of contract ("Diensten"), in TenderNed's words.
	ProcedureType, ContractType string
	// European reports whether the notice is on TED as well.
	European bool
	// CodesUnknown reports that no detail was read: the notice has no CPV
	// or NUTS codes because they are not known, not because it has none.
	CodesUnknown bool
}

// errNotTenderNed is wrapped when JSON is no TenderNed document.
var errNotTenderNed = errors.New("not a TenderNed publications page or publication")

// isTenderNedJSON reports whether the keys of a JSON object are those of a
// TenderNed document: a page ("content" as a list) or a publication.
func isTenderNedKey(key string, value json.RawMessage) bool {
	switch key {
	case "publicatieId", "totalElements", "aanbestedingNaam", "typePublicatie":
		return true
	case "content":
		v := bytes.TrimSpace(value)
		return len(v) > 0 && v[0] == '['
	}
	return false
}

// parseTenderNed reads a TenderNed list page, or one publication (a list
// entry or a detail), as notices. A list entry that is no object is
// skipped; a page none of whose entries can be read is an error.
func parseTenderNed(data []byte, source string) ([]bot.Notice, error) {
	tns, err := parseTenderNedFull(data, source)
	notices := make([]bot.Notice, len(tns))
	for i, tn := range tns {
		notices[i] = tn.Notice
	}
	return notices, err
}

// parseTenderNedFull is parseTenderNed keeping what bot.Notice has no field
// for.
func parseTenderNedFull(data []byte, source string) ([]TenderNedNotice, error) {
	data = trimDocument(data)
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("malformed TenderNed JSON: %w", err)
	}
	if top["content"] == nil {
		if top["publicatieId"] == nil {
			return nil, fmt.Errorf("%w: it has neither content nor a publicatieId", errNotTenderNed)
		}
		d, _ := parseTNDetail(data)
		tn, ok := d.notice(source, len(d.CPVCodes) == 0 && len(d.NUTSCodes) == 0 && d.raw["cpvCodes"] == nil)
		if !ok {
			return nil, fmt.Errorf("%w: the publication has no id", errNotTenderNed)
		}
		return []TenderNedNotice{tn}, nil
	}
	page, err := parseTNPage(data)
	if err != nil {
		return nil, err
	}
	var out []TenderNedNotice
	seen := map[string]bool{}
	for _, p := range page.publications {
		tn, ok := tnDetail{tnPublication: p}.notice(source, true)
		if !ok || seen[tn.ID] {
			continue
		}
		seen[tn.ID] = true
		out = append(out, tn)
	}
	if len(out) == 0 && len(page.Content) > 0 {
		return nil, fmt.Errorf("malformed TenderNed page: none of its %d entries could be read", len(page.Content))
	}
	return out, nil
}

// tnReadPage is a list page with its entries read.
type tnReadPage struct {
	tnPage
	publications []tnPublication
	unreadable   int // entries that are no object
}

// parseTNPage reads one page of the publications list.
func parseTNPage(data []byte) (tnReadPage, error) {
	var p tnReadPage
	if err := json.Unmarshal(trimDocument(data), &p.tnPage); err != nil {
		return p, fmt.Errorf("malformed TenderNed page: %w", err)
	}
	for _, raw := range p.Content {
		raw = bytes.TrimSpace(raw)
		var pub tnPublication
		if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &pub) != nil || pub.PublicatieID.String() == "" {
			p.unreadable++
			continue
		}
		p.publications = append(p.publications, pub)
	}
	return p, nil
}

// notice normalises the publication d, its codes from the detail unless
// codesUnknown; ok is false when it has no id.
func (d tnDetail) notice(source string, codesUnknown bool) (TenderNedNotice, bool) {
	p := d.tnPublication
	id := p.PublicatieID.String()
	if id == "" {
		return TenderNedNotice{}, false
	}
	tn := TenderNedNotice{
		PublicationID: id,
		Code:          p.TypePublicatie.Code,
		ProcedureType: firstNonEmpty(p.Procedure.Words, p.Procedure.Code),
		ContractType:  contractType(p.TypeOpdracht),
		European:      p.Europees.Bool(),
		CodesUnknown:  codesUnknown,
	}
	tn.Subtype, _ = strings.CutPrefix(strings.ToUpper(p.Publicatiecode.Code), "EF")
	if !strings.HasPrefix(strings.ToUpper(p.Publicatiecode.Code), "EF") {
		tn.Subtype = ""
	}
	n := &tn.Notice
	n.ID = tenderNedIDPrefix + id
	n.Source = source
	n.Title = plainText(p.AanbestedingNaam.String())
	n.Buyer = plainText(firstNonEmpty(p.OpdrachtgeverNaam.String(), p.AanbestedendeDienstNaam.String()))
	n.Description = tenderNedDescription(p.OpdrachtBeschrijving.String(), tn.ProcedureType, tn.ContractType)
	n.Language = firstNonEmpty(guessLanguage(n.Title+" "+n.Description), "nl")
	n.Country = "NL"
	n.URL = firstNonEmpty(p.Link.Href, tenderNedNoticePage+id)
	n.Published, _ = parseDate(p.PublicatieDatum.String(), time.UTC, false)
	n.Deadline, _ = parseDate(p.SluitingsDatum.String(), zoneAmsterdam, true)
	n.Kind, tn.Why, tn.UnknownCode = tenderNedKind(p)
	if !codesUnknown {
		n.CPV = tenderNedCPV(d.CPVCodes)
		for _, c := range d.NUTSCodes {
			n.NUTS = addCode(n.NUTS, nutsCode(c.Code))
		}
		n.NUTS = dropNUTSAncestors(n.NUTS)
		n.Value = d.value()
		ted, procedure := d.identifiers()
		n.ProcedureID = procedure
		if ted != "" && tn.European {
			// The same notice TED publishes: one ID, one notice.
			n.ID = ted
		}
	}
	return tn, true
}

// contractType is the type of contract in words: TenderNed's, else the
// code's (D services, L supplies, W works).
func contractType(c tnCode) string {
	if c.Words != "" {
		return c.Words
	}
	switch strings.ToUpper(c.Code) {
	case "D":
		return "Diensten"
	case "L":
		return "Leveringen"
	case "W":
		return "Werken"
	}
	return c.Code
}

// tenderNedDescription is the description, with the procedure and type of
// contract on a last line of their own: bot.Notice has no field for them,
// and a reader of the card wants them.
func tenderNedDescription(text, procedure, contract string) string {
	desc := plainParagraphs(text)
	var facts []string
	if procedure != "" {
		facts = append(facts, "Procedure: "+plainText(procedure))
	}
	if contract != "" {
		facts = append(facts, "Type opdracht: "+plainText(contract))
	}
	if len(facts) == 0 {
		return desc
	}
	if desc != "" {
		desc += "\n"
	}
	return desc + strings.Join(facts, " · ")
}

// tenderNedCPV returns the detail's CPV codes without check digit, the
// main one (isHoofdOpdracht) first.
func tenderNedCPV(codes tnCodes) []string {
	var cpv []string
	for _, main := range []bool{true, false} {
		for _, c := range codes {
			if c.Main == main {
				cpv = addCode(cpv, cpvCode(c.Code))
			}
		}
	}
	return cpv
}

// tedNumberRe is the shape of a TED publication number: "739962-2023",
// "00739962-2023".
var tedNumberRe = regexp.MustCompile(`^\d{1,8}-\d{4}$`)

// identifiers finds, among the detail's fields, the notice's TED
// publication number (a field named for TED holding one) and the
// procurement identifier (the procedure's, shared by its notices).
// Their names are not documented; these are the ones the shape of the
// API suggests.
func (d tnDetail) identifiers() (ted, procedure string) {
	for _, k := range sortedRawKeys(d.raw) {
		lower := strings.ToLower(k)
		v := strings.TrimSpace(jsonScalar(d.raw[k]))
		switch {
		case v == "":
		case ted == "" && strings.Contains(lower, "ted") && tedNumberRe.MatchString(v):
			ted = tedPublicationNumber(v)
		case procedure == "" && (strings.Contains(lower, "procedureid") || strings.Contains(lower, "procedureidentifier") ||
			strings.Contains(lower, "contractfolderid") || strings.Contains(lower, "procurementidentifier")):
			procedure = v
		}
	}
	return ted, procedure
}

// value is the value the detail states: a field named for a value
// (waarde, value, raming) holding an amount, or an object with the amount
// and its currency (euros when none is given).
func (d tnDetail) value() *bot.Money {
	for _, k := range sortedRawKeys(d.raw) {
		lower := strings.ToLower(k)
		if !strings.Contains(lower, "waarde") && !strings.Contains(lower, "value") && !strings.Contains(lower, "raming") {
			continue
		}
		raw := bytes.TrimSpace(d.raw[k])
		if len(raw) > 0 && raw[0] == '{' {
			var obj map[string]json.RawMessage
			if json.Unmarshal(raw, &obj) != nil {
				continue
			}
			amount := firstNonEmpty(jsonScalar(obj["bedrag"]), jsonScalar(obj["amount"]), jsonScalar(obj["waarde"]), jsonScalar(obj["value"]))
			currency := firstNonEmpty(jsonScalar(obj["valuta"]), jsonScalar(obj["currency"]), jsonScalar(obj["munteenheid"]), "EUR")
			if m := parseMoney(amount, currency); m != nil {
				return m
			}
			continue
		}
		if m := parseMoney(jsonScalar(raw), "EUR"); m != nil {
			return m
		}
	}
	return nil
}

// sortedRawKeys returns the keys of m in order.
func sortedRawKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// tenderNedID returns the publication id at the end of a TenderNed notice
// link (".../aankondigingen/overzicht/443728"), "" when link is none.
func tenderNedID(link string) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(link), "https://www.tenderned.nl/")
	if !ok {
		return ""
	}
	i := strings.LastIndex(rest, "/overzicht/")
	if i < 0 {
		return ""
	}
	id := strings.TrimRight(rest[i+len("/overzicht/"):], "/")
	if id == "" || len(id) > 20 || !allDigits(id) {
		return ""
	}
	return id
}
