package feeds

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Open Contracting Data Standard (OCDS 1.1): release packages, record
// packages, and bare releases, as Contracts Finder, Find a Tender and some
// fifty other publishers serve them. One notice per contracting process
// (ocid): several releases of one process in a document are compiled the
// way OCDS compiles a record, the latest winning.

// errNotOCDS is wrapped by parseOCDS when the JSON is no OCDS document.
var errNotOCDS = errors.New("not an OCDS release or record package")

// ocdsPackage is a release package or a record package.
type ocdsPackage struct {
	URI           string            `json:"uri"`
	PublishedDate string            `json:"publishedDate"`
	Releases      []json.RawMessage `json:"releases"`
	Records       []struct {
		CompiledRelease json.RawMessage   `json:"compiledRelease"`
		Releases        []json.RawMessage `json:"releases"`
	} `json:"records"`
	Links struct {
		Next string `json:"next"`
	} `json:"links"`
	OCID string `json:"ocid"` // set when the document is one bare release
}

// parseOCDS reads an OCDS release package, record package, bare release or
// array of releases. A contracting process whose releases cannot be read is
// skipped; a document none of whose processes can be read is an error.
func parseOCDS(data []byte, source string) ([]bot.Notice, error) {
	p, err := decodeOCDS(data)
	if err != nil {
		return nil, err
	}
	order, processes := p.processes()
	notices := make([]bot.Notice, 0, len(order))
	for _, ocid := range order {
		r, err := compileReleases(processes[ocid])
		if err != nil {
			continue
		}
		notices = append(notices, ocdsNotice(r, p, source))
	}
	if len(notices) == 0 && len(order) > 0 {
		return nil, fmt.Errorf("malformed OCDS package: none of its %d contracting processes could be read", len(order))
	}
	return notices, nil
}

// decodeOCDS reads the package around the releases; a bare release or an
// array of releases becomes a package of them.
func decodeOCDS(data []byte) (ocdsPackage, error) {
	data = trimDocument(data)
	var p ocdsPackage
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &p.Releases); err != nil {
			return p, fmt.Errorf("malformed OCDS JSON: %w", err)
		}
		return p, nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return p, fmt.Errorf("malformed OCDS JSON: %w", err)
	}
	if keys["releases"] == nil && keys["records"] == nil && keys["ocid"] == nil {
		return p, fmt.Errorf("%w: it has no releases, records or ocid", errNotOCDS)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("malformed OCDS package: %w", err)
	}
	if p.OCID != "" {
		p.Releases = []json.RawMessage{data}
	}
	return p, nil
}

// processes returns the ocids of the package's contracting processes in
// order of appearance, and the releases of each: those of the package, or
// of its records (a record's compiled release when it has one).
func (p ocdsPackage) processes() (order []string, releases map[string][]json.RawMessage) {
	releases = map[string][]json.RawMessage{}
	add := func(raw json.RawMessage) {
		var r struct {
			OCID string `json:"ocid"`
		}
		ocid := ""
		if json.Unmarshal(raw, &r) == nil {
			ocid = strings.TrimSpace(r.OCID)
		}
		if ocid == "" {
			return // a linked release ({url, date, tag}), or no object at all
		}
		if releases[ocid] == nil {
			order = append(order, ocid)
		}
		releases[ocid] = append(releases[ocid], raw)
	}
	for _, raw := range p.Releases {
		add(raw)
	}
	for _, rec := range p.Records {
		if len(rec.CompiledRelease) > 0 && !bytes.Equal(rec.CompiledRelease, []byte("null")) {
			add(rec.CompiledRelease) // compiled by the publisher already
			continue
		}
		for _, raw := range rec.Releases {
			add(raw)
		}
	}
	return order, releases
}

// compileReleases merges the releases of one contracting process, oldest
// first, the way OCDS compiles a record: a later release's field replaces an
// earlier one's, objects merge field by field, arrays are replaced whole.
func compileReleases(raws []json.RawMessage) (ocdsRelease, error) {
	var r ocdsRelease
	if len(raws) == 1 {
		return r, json.Unmarshal(raws[0], &r)
	}
	type dated struct {
		date time.Time
		obj  map[string]any
	}
	var releases []dated
	for _, raw := range raws {
		var obj map[string]any
		if json.Unmarshal(raw, &obj) != nil {
			continue
		}
		date, _ := obj["date"].(string)
		t, _ := parseDate(date, time.UTC, false)
		releases = append(releases, dated{t, obj})
	}
	slices.SortStableFunc(releases, func(a, b dated) int { return a.date.Compare(b.date) })
	compiled := map[string]any{}
	for _, rel := range releases {
		mergeJSON(compiled, rel.obj)
	}
	merged, err := json.Marshal(compiled)
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(merged, &r)
}

// mergeJSON merges src into dst: objects field by field, anything else
// replaced.
func mergeJSON(dst, src map[string]any) {
	for k, v := range src {
		if sv, ok := v.(map[string]any); ok {
			if dv, ok := dst[k].(map[string]any); ok {
				mergeJSON(dv, sv)
				continue
			}
		}
		dst[k] = v
	}
}

// ocdsNotice normalises a (compiled) release of package p.
func ocdsNotice(r ocdsRelease, p ocdsPackage, source string) bot.Notice {
	t := r.Tender
	n := bot.Notice{
		ID:          strings.TrimSpace(r.OCID),
		Source:      source,
		Title:       plainText(firstNonEmpty(t.Title, r.Title, r.Planning.Project.Title, r.firstAwardTitle())),
		Description: plainParagraphs(firstNonEmpty(t.Description, r.Description, r.Planning.Project.Description, r.firstContractDescription())),
		Language:    languageFromCode(r.Language),
		Buyer:       plainText(r.buyerName()),
		ProcedureID: strings.TrimSpace(string(t.ID)),
		URL:         r.noticeURL(p.URI),
	}
	var ok bool
	if n.Published, ok = parseDate(r.Date, time.UTC, false); !ok {
		n.Published, _ = parseDate(p.PublishedDate, time.UTC, false)
	}
	n.CPV = t.cpv()
	n.NUTS = t.nuts()
	n.Country = country(n.NUTS, nil)
	if n.Country == "" {
		n.Country = r.buyerCountry()
	}
	n.Value = r.value()
	n.Deadline, _ = parseDate(t.TenderPeriod.EndDate, zone(n.Country, n.Language), true)
	lotCPV := map[jsonText][]string{}
	for _, item := range t.Items {
		if item.RelatedLot != "" {
			for _, c := range item.cpv() {
				lotCPV[item.RelatedLot] = addCode(lotCPV[item.RelatedLot], c)
			}
		}
	}
	for _, lot := range t.Lots {
		n.Lots = append(n.Lots, bot.Lot{ID: strings.TrimSpace(string(lot.ID)), Title: plainText(lot.Title), CPV: lotCPV[lot.ID]})
	}
	n.Kind, _ = ocdsKind(r)
	return n
}

// Kind ranks: of the stages a release speaks of, the latest decides.
var kindRank = map[bot.Kind]int{bot.KindEarly: 1, bot.KindTender: 2, bot.KindChange: 3, bot.KindAward: 4}

// ocdsKind classifies a release (ARCHITECTURE.md, "Notice kinds") and says
// why. A notice type says it best (Find a Tender's UK1–UK12, Contracts
// Finder's stages). Else the most specific evidence wins: an award or
// contract in force makes an award, whatever the tags or the tender's
// status say (publishers tag award notices "tender", and leave a tender
// "planned" once awarded); then the tender's status (a tender still
// receiving offers is a tender, even tagged "award"); then the tags, or
// for a compiled release the stages it has data for.
func ocdsKind(r ocdsRelease) (bot.Kind, string) {
	var best bot.Kind
	why := ""
	for _, d := range r.documents() {
		if k, ok := noticeTypeKind(d.NoticeType); ok && kindRank[k] > kindRank[best] {
			best, why = k, "notice type "+strings.TrimSpace(d.NoticeType)
		}
	}
	if best != "" {
		return best, why
	}
	if evidence := r.awarded(); evidence != "" {
		return bot.KindAward, evidence
	}
	if k, ok := tenderStatusKind(r.Tender.Status); ok {
		return k, "tender status " + r.Tender.Status
	}
	tags := []string(r.Tag)
	source := "tag "
	if slices.Contains(tags, "compiled") || len(tags) == 0 {
		tags, source = r.stagesPresent(), "data for the stage "
	}
	for _, tag := range tags {
		var k bot.Kind
		switch tag {
		case "planning", "planningUpdate":
			k = bot.KindEarly
		case "tender":
			k = bot.KindTender
		case "tenderAmendment", "tenderUpdate", "tenderCancellation", "awardCancellation":
			k = bot.KindChange
		case "award", "awardUpdate", "contract", "contractUpdate", "contractAmendment",
			"implementation", "implementationUpdate", "contractTermination":
			k = bot.KindAward
		}
		if kindRank[k] > kindRank[best] {
			best, why = k, source+tag
		}
	}
	if best == "" {
		return bot.KindOther, "no notice type, award, tender status or tag that tells"
	}
	return best, why
}

// awarded says which award or contract of the release is in force (one
// that is active or pending, or whose status is not given), "" when none
// is: cancelled and unsuccessful ones are no evidence.
func (r ocdsRelease) awarded() string {
	inForce := func(status string) bool {
		switch status {
		case "", "active", "pending", "terminated":
			return true
		}
		return false
	}
	for _, a := range r.Awards {
		if inForce(a.Status) {
			return "an award (status " + cmp.Or(a.Status, "not given") + ")"
		}
	}
	for _, c := range r.Contracts {
		if inForce(c.Status) {
			return "a contract (status " + cmp.Or(c.Status, "not given") + ")"
		}
	}
	return ""
}

// tenderStatusKind is what the tender's status says the release is; ok is
// false when it says nothing (no status, or one not listed). It is asked
// only when no award is in force: a tender complete or unsuccessful
// without one closes what was announced, a change, not an award.
func tenderStatusKind(status string) (bot.Kind, bool) {
	switch status {
	case "planning", "planned":
		return bot.KindEarly, true
	case "active":
		return bot.KindTender, true
	case "cancelled", "withdrawn", "unsuccessful", "complete":
		return bot.KindChange, true
	}
	return "", false
}

// stagesPresent stands in for the tags of a compiled release: the stages it
// has data for.
func (r ocdsRelease) stagesPresent() []string {
	var tags []string
	if r.Planning.Project.Title != "" || r.Planning.Budget.Amount != nil || len(r.Planning.Documents) > 0 {
		tags = append(tags, "planning")
	}
	if r.Tender.Title != "" || r.Tender.Status != "" || len(r.Tender.Items) > 0 {
		tags = append(tags, "tender")
	}
	if len(r.Awards) > 0 || len(r.Contracts) > 0 {
		tags = append(tags, "award")
	}
	return tags
}

// noticeTypeKind maps a notice type to a kind: Find a Tender's UK1–UK3
// (pipeline, preliminary market engagement, planned procurement) are early
// engagement, UK4 a tender, UK5–UK7 awards, UK10–UK12 changes and
// terminations; Contracts Finder's Pipeline and PreProcurement notices and
// TenderNed's VOP and MAC are early engagement.
func noticeTypeKind(code string) (bot.Kind, bool) {
	switch strings.ToUpper(strings.TrimSpace(code)) {
	case "UK1", "UK2", "UK3", "PIPELINE", "PREPROCUREMENT", "VOP", "MAC":
		return bot.KindEarly, true
	case "UK4":
		return bot.KindTender, true
	case "UK5", "UK6", "UK7":
		return bot.KindAward, true
	case "UK10", "UK11", "UK12":
		return bot.KindChange, true
	}
	return "", false
}
