package feeds

import (
	"slices"
	"strings"

	ext "github.com/mmcdole/gofeed/extensions"

	"github.com/tenderbot/tenderbot/bot"
)

// Structured entries in feeds. Spain's PLACSP publishes Atom whose entries
// carry a CODICE ContractFolderStatus: UBL elements with the names eForms
// uses (ItemClassificationCode, CountrySubentityCode,
// EstimatedOverallContractAmount, TenderSubmissionDeadlinePeriod…). gofeed
// hands them over as extensions, keyed by local name; they are read by
// those names whatever namespace a portal puts them in, and win over what
// the entry's text says.

// codiceExtensions are the extension elements of an entry to read CODICE
// from: the children of its ContractFolderStatus, or the entry's own
// elements when they stand loose. ok is false when there are none.
func codiceExtensions(exts ext.Extensions) (root map[string][]ext.Extension, ok bool) {
	root = map[string][]ext.Extension{}
	prefixes := make([]string, 0, len(exts))
	for p := range exts {
		prefixes = append(prefixes, p)
	}
	slices.Sort(prefixes) // one order for the same document, every time
	for _, p := range prefixes {
		for name, list := range exts[p] {
			root[name] = append(root[name], list...)
		}
	}
	if folders := root["ContractFolderStatus"]; len(folders) > 0 {
		root = folders[0].Children
	}
	for _, name := range []string{"ContractFolderID", "ContractFolderStatusCode", "ProcurementProject"} {
		if len(root[name]) > 0 {
			return root, true
		}
	}
	return nil, false // other extensions only (dc:, media:…)
}

// Paths below a ContractFolderStatus (or a lot), in CODICE and eForms
// spelling.
var (
	codiceCPVPaths = []string{
		"ProcurementProject/RequiredCommodityClassification/ItemClassificationCode",
		"ProcurementProject/MainCommodityClassification/ItemClassificationCode",
		"ProcurementProject/AdditionalCommodityClassification/ItemClassificationCode",
	}
	codiceValuePaths = []string{
		"ProcurementProject/BudgetAmount/EstimatedOverallContractAmount",
		"ProcurementProject/RequestedTenderTotal/EstimatedOverallContractAmount",
		"ProcurementProject/BudgetAmount/TaxExclusiveAmount",
		"ProcurementProject/BudgetAmount/TotalAmount",
	}
	codiceNUTSPaths = []string{
		"ProcurementProject/RealizedLocation/CountrySubentityCode",
		"ProcurementProject/RealizedLocation/Address/CountrySubentityCode",
	}
	codiceCountryPaths = []string{
		"ProcurementProject/RealizedLocation/Address/Country/IdentificationCode",
		"LocatedContractingParty/Party/PostalAddress/Country/IdentificationCode",
	}
)

// applyCODICE fills n from the CODICE elements among exts, if any: the
// procedure id, status, buyer, CPV and NUTS codes, country, value,
// submission deadline and lots.
func applyCODICE(n *bot.Notice, exts ext.Extensions) {
	root, ok := codiceExtensions(exts)
	if !ok {
		return
	}
	if id := extValue(root, "ContractFolderID"); id != "" {
		n.ProcedureID = id
	}
	if k, ok := placspStatusKind(extValue(root, "ContractFolderStatusCode")); ok {
		n.Kind = k
	}
	if buyer := plainText(extValue(root, "LocatedContractingParty/Party/PartyName/Name")); buyer != "" {
		n.Buyer = buyer
	}
	if n.Title == "" {
		n.Title = plainText(extValue(root, "ProcurementProject/Name"))
	}
	if cpv := codiceCPV(root); len(cpv) > 0 {
		n.CPV = cpv
	}
	nuts, cc := codicePlace(root)
	if len(nuts) > 0 {
		n.NUTS = nuts
	}
	if cc != "" {
		n.Country = cc
	}
	for _, path := range codiceValuePaths {
		if e := extAll(root, path); len(e) > 0 {
			if v := parseMoney(e[0].Value, e[0].Attrs["currencyID"]); v != nil {
				n.Value = v
				break
			}
		}
	}
	deadline := "TenderingProcess/TenderSubmissionDeadlinePeriod/"
	if t, ok := ublDateTime(extValue(root, deadline+"EndDate"), extValue(root, deadline+"EndTime"), zone(n.Country, n.Language), true); ok {
		n.Deadline = t
	}
	for _, lot := range extAll(root, "ProcurementProjectLot") {
		n.Lots = append(n.Lots, bot.Lot{
			ID:    extValue(lot.Children, "ID"),
			Title: plainText(extValue(lot.Children, "ProcurementProject/Name")),
			CPV:   codiceCPV(lot.Children),
		})
	}
}

// codicePlace returns the NUTS codes of the place of performance and the
// country: that of the first code, else the one stated for the place or the
// buyer. The country is "" when none is stated.
func codicePlace(root map[string][]ext.Extension) (nuts []string, country string) {
	for _, path := range codiceNUTSPaths {
		for _, e := range extAll(root, path) {
			nuts = addCode(nuts, nutsCode(e.Value))
		}
	}
	if len(nuts) > 0 {
		return nuts, nuts[0][:2]
	}
	for _, path := range codiceCountryPaths {
		if cc := countryFromCode(extValue(root, path)); cc != "" {
			return nil, cc
		}
	}
	return nil, ""
}

// codiceCPV returns the CPV codes below root, in document order.
func codiceCPV(root map[string][]ext.Extension) []string {
	var codes []string
	for _, path := range codiceCPVPaths {
		for _, e := range extAll(root, path) {
			codes = addCode(codes, cpvCode(e.Value))
		}
	}
	return codes
}

// placspStatusKind maps a PLACSP ContractFolderStatusCode to a kind: a prior
// notice (PRE) is early engagement, an open or closing call (PUB, EV) a
// tender, an award (ADJ) or resolution (RES) an award, an annulment (ANUL)
// a change.
func placspStatusKind(code string) (bot.Kind, bool) {
	switch strings.ToUpper(strings.TrimSpace(code)) {
	case "PRE":
		return bot.KindEarly, true
	case "PUB", "EV":
		return bot.KindTender, true
	case "ADJ", "RES":
		return bot.KindAward, true
	case "ANUL":
		return bot.KindChange, true
	}
	return "", false
}

// extAll returns the extension elements at path (local names separated by
// slashes) below children.
func extAll(children map[string][]ext.Extension, path string) []ext.Extension {
	found := []ext.Extension{{Children: children}}
	for step := range strings.SplitSeq(path, "/") {
		var next []ext.Extension
		for _, f := range found {
			next = append(next, f.Children[step]...)
		}
		found = next
	}
	return found
}

// extValue returns the trimmed text of the first extension element at path
// below children, "" when there is none.
func extValue(children map[string][]ext.Extension, path string) string {
	if all := extAll(children, path); len(all) > 0 {
		return strings.TrimSpace(all[0].Value)
	}
	return ""
}
