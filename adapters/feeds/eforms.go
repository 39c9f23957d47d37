package feeds

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// errNotEForms is wrapped by ParseEForms when the document is XML but no
// eForms notice.
var errNotEForms = errors.New("not an eForms notice")

// eformsRoots are the root elements of eForms notices.
var eformsRoots = map[string]bool{
	"PriorInformationNotice": true, "ContractNotice": true, "ContractAwardNotice": true,
	"BusinessRegistrationInformationNotice": true,
}

// eformsExtension is the path to the eForms extension below a notice's root
// or a lot's tendering process.
const eformsExtension = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"

// EFormsNotice is an eForms notice read in full: the normalised notice, and
// what bot.Notice has no field for.
type EFormsNotice struct {
	bot.Notice
	// Titles and Descriptions hold the procedure's title and description
	// in every language the notice gives them in, by ISO 639-1 code; the
	// Notice has those in the notice's own language.
	Titles       map[string]string
	Descriptions map[string]string
	// FormType is the eForms form type: planning, competition, result,
	// consultation, cont-modif, …
	FormType string
	// NoticeType is the eForms notice type: pin-only, cn-standard,
	// can-standard, pmc, …
	NoticeType string
	// ProcedureType is the procurement procedure: open, restricted,
	// neg-w-call, oth-single, …; "" when not stated.
	ProcedureType string
	// SMESuitable reports whether the procedure or any of its lots is said
	// to suit small and medium-sized enterprises.
	SMESuitable bool
	// PlannedDate is when a prior information notice expects the contract
	// notice to follow; zero when not stated.
	PlannedDate time.Time
}

// ParseEForms reads one TED eForms notice (UBL 2.3: a prior information,
// contract, contract award or business registration notice). The notice's
// ID is its TED publication number ("00739962-2023" becomes "739962-2023"),
// or the notice's own identifier when it has not been published yet; its
// ProcedureID is the ContractFolderID shared by every notice of the
// procedure.
func ParseEForms(data []byte, source string) (EFormsNotice, error) {
	root, err := parseXMLTree(data)
	if err != nil {
		return EFormsNotice{}, fmt.Errorf("malformed eForms XML: %w", err)
	}
	if !eformsRoots[root.name.Local] || !strings.HasPrefix(root.name.Space, "urn:oasis:names:specification:ubl:schema:xsd:") {
		return EFormsNotice{}, fmt.Errorf("%w: the root element is %s", errNotEForms, root.name.Local)
	}
	en := readEForms(root, source)
	if en.ID == "" {
		return EFormsNotice{}, errors.New("eForms notice without identifier: it has neither a publication number nor a cbc:ID")
	}
	return en, nil
}

// readEForms normalises the notice at root.
func readEForms(root *element, source string) EFormsNotice {
	ext := root.first(eformsExtension)
	project := root.first("cac:ProcurementProject")
	lots := slices.DeleteFunc(root.all("cac:ProcurementProjectLot"), isLotGroup)
	projects := []*element{project}
	for _, lot := range lots {
		projects = append(projects, lot.first("cac:ProcurementProject"))
	}

	titles := languageTexts(project.all("cbc:Name"))
	descriptions := languageTexts(project.all("cbc:Description"))
	if len(titles) == 0 && len(lots) > 0 {
		titles = languageTexts(projects[1].all("cbc:Name"))
	}
	lang := languageFromCode(root.value("cbc:NoticeLanguageCode"))
	if lang == "" && len(titles) > 0 {
		lang = titles[0].lang
	}
	typeCode := root.first("cbc:NoticeTypeCode")
	en := EFormsNotice{
		Titles:        titles.byLanguage(plainText),
		Descriptions:  descriptions.byLanguage(plainParagraphs),
		FormType:      typeCode.attr("listName"),
		NoticeType:    root.value("cbc:NoticeTypeCode"),
		ProcedureType: root.value("cac:TenderingProcess/cbc:ProcedureCode"),
	}
	en.PlannedDate, _ = parseDate(root.value("cbc:PlannedDate"), time.UTC, false)

	n := &en.Notice
	n.Source = source
	n.Language = lang
	n.Title = plainText(titles.pick(lang))
	n.Description = plainParagraphs(descriptions.pick(lang))
	n.Kind = eformsKind(en.FormType, en.NoticeType, root.name.Local, ext.first("efac:Changes") != nil)
	n.ProcedureID = root.value("cbc:ContractFolderID")

	n.ID, n.URL, n.Published = eformsPublication(root, ext, lang)
	var buyerCountry string
	n.Buyer, buyerCountry = eformsBuyers(root, ext, lang)
	var placeCountries []string
	n.CPV, n.NUTS, placeCountries, en.SMESuitable = eformsScope(projects)
	n.Country = country(n.NUTS, nil)
	if n.Country == "" {
		n.Country = firstNonEmpty(append(placeCountries, buyerCountry)...)
	}
	n.Value = eformsValue(project, lots, ext)
	n.Deadline = eformsDeadline(root, lots, zone(n.Country, lang))
	for i, lot := range lots {
		n.Lots = append(n.Lots, bot.Lot{
			ID:    lot.value("cbc:ID"),
			Title: plainText(languageTexts(projects[i+1].all("cbc:Name")).pick(lang)),
			CPV:   projectCPV(projects[i+1]),
		})
	}
	return en
}

// isLotGroup reports whether a ProcurementProjectLot is a group of lots
// (cbc:ID schemeName="LotsGroup", "GLO-0001"), not a lot: a group is
// bid for through its lots, and its codes and value are theirs again.
func isLotGroup(lot *element) bool {
	id := lot.first("cbc:ID")
	return id != nil && (strings.EqualFold(id.attr("schemeName"), "LotsGroup") || strings.HasPrefix(strings.ToUpper(id.text), "GLO-"))
}

// eformsPublication returns the notice's identity: its TED publication
// number and page, or the notice's own identifier while it is not published
// (yet); and when it was published, else issued.
func eformsPublication(root, ext *element, lang string) (id, url string, published time.Time) {
	publication := ext.first("efac:Publication")
	id = tedPublicationNumber(publication.value("efbc:NoticePublicationID"))
	if id != "" {
		url = tedNoticeURL(id, lang)
	} else {
		id = root.value("cbc:ID")
	}
	published, ok := parseDate(publication.value("efbc:PublicationDate"), time.UTC, false)
	if !ok {
		published, _ = ublDateTime(root.value("cbc:IssueDate"), root.value("cbc:IssueTime"), time.UTC, false)
	}
	return id, url, published
}

// eformsScope reads the procurement projects of the procedure and its lots:
// their CPV codes, main first; the NUTS codes and countries of the places
// of performance; and whether any is said to suit SMEs.
func eformsScope(projects []*element) (cpv, nuts, countries []string, sme bool) {
	for _, p := range projects {
		for _, c := range projectCPV(p) {
			cpv = addCode(cpv, c)
		}
		for _, addr := range p.all("cac:RealizedLocation/cac:Address") {
			nuts = addCode(nuts, nutsCode(addr.value("cbc:CountrySubentityCode")))
			countries = addCode(countries, countryFromCode(addr.value("cac:Country/cbc:IdentificationCode")))
		}
		indicator := p.value("cbc:SMESuitableIndicator")
		sme = sme || indicator == "true" || indicator == "1"
	}
	return cpv, nuts, countries, sme
}

// eformsKind classifies an eForms notice by its form type (the listName of
// its NoticeTypeCode), its notice type, whether it changes an earlier
// notice, and its root element, in that order of trust (ARCHITECTURE.md,
// "Notice kinds"). The TED API gives the same form and notice types.
func eformsKind(formType, noticeType, root string, changes bool) bot.Kind {
	switch {
	case changes || formType == "cont-modif":
		return bot.KindChange
	case formType == "planning" || formType == "consultation" || strings.HasPrefix(noticeType, "pin-cfc") || noticeType == "pmc":
		return bot.KindEarly // a PIN used as a call for competition is still the earliest word
	case formType == "competition":
		return bot.KindTender
	case formType == "result" || formType == "dir-awa-pre" || formType == "completion":
		return bot.KindAward
	case formType != "":
		return bot.KindOther // "bri": business registration
	}
	switch {
	case strings.HasPrefix(noticeType, "pin-"):
		return bot.KindEarly
	case strings.HasPrefix(noticeType, "cn-") || noticeType == "qu-sy" || noticeType == "subco":
		return bot.KindTender
	case noticeType == "can-modif" || noticeType == "corr":
		return bot.KindChange
	case strings.HasPrefix(noticeType, "can-") || noticeType == "veat" || noticeType == "compl":
		return bot.KindAward
	}
	switch root {
	case "PriorInformationNotice":
		return bot.KindEarly
	case "ContractNotice":
		return bot.KindTender
	case "ContractAwardNotice":
		return bot.KindAward
	}
	return bot.KindOther
}

// eformsBuyers returns the names of the notice's buyers, joined from the
// organisations block by their identifiers, and the first buyer's country.
func eformsBuyers(root, ext *element, lang string) (names, country string) {
	orgs := map[string]*element{}
	for _, c := range ext.all("efac:Organizations/efac:Organization/efac:Company") {
		if id := c.value("cac:PartyIdentification/cbc:ID"); id != "" && orgs[id] == nil {
			orgs[id] = c
		}
	}
	var buyers []string
	for _, id := range root.all("cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID") {
		org := orgs[id.text] // nil for an unknown identifier: no name
		name := plainText(languageTexts(org.all("cac:PartyName/cbc:Name")).pick(lang))
		if name == "" {
			continue
		}
		if !containsFold(buyers, name) {
			buyers = append(buyers, name)
		}
		if country == "" {
			country = countryFromCode(org.value("cac:PostalAddress/cac:Country/cbc:IdentificationCode"))
		}
	}
	return strings.Join(buyers, "; "), country
}

// projectCPV returns the main and additional CPV codes of a procurement
// project (the procedure's or a lot's), main first.
func projectCPV(p *element) []string {
	var codes []string
	for _, path := range []string{"cac:MainCommodityClassification", "cac:AdditionalCommodityClassification"} {
		for _, c := range p.all(path + "/cbc:ItemClassificationCode") {
			if list := c.attr("listName"); list == "" || strings.EqualFold(list, "cpv") {
				codes = addCode(codes, cpvCode(c.text))
			}
		}
	}
	return codes
}

// eformsValue is the procedure's estimated value, else the sum of its lots'
// estimated values when they share a currency, else the total of the
// notice's results.
func eformsValue(project *element, lots []*element, ext *element) *bot.Money {
	const estimated = "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount"
	if v := amount(project.first(estimated)); v != nil {
		return v
	}
	var sum *bot.Money
	for _, lot := range lots {
		v := amount(lot.first("cac:ProcurementProject/" + estimated))
		if v == nil || sum != nil && sum.Currency != v.Currency {
			sum = nil
			break
		}
		if sum == nil {
			sum = &bot.Money{Currency: v.Currency}
		}
		sum.Amount += v.Amount
	}
	if sum != nil {
		return sum
	}
	return amount(ext.first("efac:NoticeResult/cbc:TotalAmount"))
}

// amount reads a UBL amount element (text and currencyID), nil when e is
// nil or holds no amount.
func amount(e *element) *bot.Money {
	if e == nil {
		return nil
	}
	return parseMoney(e.text, e.attr("currencyID"))
}

// eformsPeriods are the periods whose end is a deadline an economic
// operator has to meet, below a tendering process.
var eformsPeriods = []string{
	"cac:TenderSubmissionDeadlinePeriod",
	"cac:ParticipationRequestReceptionPeriod",
	eformsExtension + "/efac:InterestExpressionReceptionPeriod",
	eformsExtension + "/efac:AnswerReceptionPeriod",
}

// eformsDeadline returns the earliest deadline of the procedure and its
// lots: for tenders, requests to participate, expressions of interest
// (a PIN used as a call for competition) or answers (a pre-market
// consultation). Times without offset are read in loc.
func eformsDeadline(root *element, lots []*element, loc *time.Location) time.Time {
	var deadlines []time.Time
	for _, holder := range append([]*element{root}, lots...) {
		process := holder.first("cac:TenderingProcess")
		for _, path := range eformsPeriods {
			for _, p := range process.all(path) {
				if t, ok := ublDateTime(p.value("cbc:EndDate"), p.value("cbc:EndTime"), loc, true); ok {
					deadlines = append(deadlines, t)
				}
			}
		}
	}
	return earliest(deadlines...)
}

// langText is a text in a language (ISO 639-1, "" when not stated).
type langText struct{ lang, text string }

// langTexts are the language versions of one text, in document order.
type langTexts []langText

// languageTexts reads the language versions of a text from elements that
// carry a languageID attribute.
func languageTexts(elements []*element) langTexts {
	var texts langTexts
	for _, e := range elements {
		if e.text != "" {
			texts = append(texts, langText{languageFromCode(e.attr("languageID")), e.text})
		}
	}
	return texts
}

// pick returns the text in lang, else the first text, else "".
func (ts langTexts) pick(lang string) string {
	for _, t := range ts {
		if t.lang == lang {
			return t.text
		}
	}
	if len(ts) > 0 {
		return ts[0].text
	}
	return ""
}

// byLanguage returns the texts by language, each cleaned by clean; nil
// when none states its language.
func (ts langTexts) byLanguage(clean func(string) string) map[string]string {
	var m map[string]string
	for _, t := range ts {
		if t.lang == "" {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		if _, ok := m[t.lang]; !ok {
			m[t.lang] = clean(t.text)
		}
	}
	return m
}

// tedPublicationNumber writes a TED publication number the way TED shows it:
// "00739962-2023" becomes "739962-2023". Anything else is returned trimmed.
func tedPublicationNumber(s string) string {
	s = strings.TrimSpace(s)
	num, year, ok := strings.Cut(s, "-")
	if !ok || num == "" || len(year) != 4 || !allDigits(num) || !allDigits(year) {
		return s
	}
	if num = strings.TrimLeft(num, "0"); num == "" {
		num = "0"
	}
	return num + "-" + year
}

// euLanguages are the official languages of the EU, the languages TED's
// pages come in.
const euLanguages = "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv"

// tedNoticeURL is the address of a published notice on TED, in lang when TED
// has pages in it, else in English.
func tedNoticeURL(publicationNumber, lang string) string {
	if len(lang) != 2 || !strings.Contains(euLanguages, lang) {
		lang = "en"
	}
	return "https://ted.europa.eu/" + lang + "/notice/-/detail/" + publicationNumber
}
