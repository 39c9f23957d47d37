package feeds

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// The parts of an OCDS 1.1 release that make a notice, with the
// extensions publishers use for delivery places (location extension) and
// notice types (Find a Tender). Fields that publishers fill with the wrong
// JSON type (a number for an id, a string for an amount, one tag for a
// list) are read leniently.

type ocdsRelease struct {
	OCID        string     `json:"ocid"`
	Date        string     `json:"date"`
	Tag         stringList `json:"tag"`
	Language    string     `json:"language"`
	Title       string     `json:"title"` // process title extension
	Description string     `json:"description"`
	Buyer       struct {
		ID   jsonText `json:"id"`
		Name string   `json:"name"`
	} `json:"buyer"`
	Parties  []ocdsParty `json:"parties"`
	Planning struct {
		Budget struct {
			Amount *ocdsValue `json:"amount"`
		} `json:"budget"`
		Project struct {
			Title       string `json:"title"`
			Description string `json:"description"`
		} `json:"project"`
		Documents []ocdsDocument `json:"documents"`
	} `json:"planning"`
	Tender ocdsTender `json:"tender"`
	Awards []struct {
		Title     string         `json:"title"`
		Status    string         `json:"status"`
		Value     *ocdsValue     `json:"value"`
		Documents []ocdsDocument `json:"documents"`
	} `json:"awards"`
	Contracts []struct {
		Title       string         `json:"title"`
		Description string         `json:"description"`
		Status      string         `json:"status"`
		Value       *ocdsValue     `json:"value"`
		Documents   []ocdsDocument `json:"documents"`
	} `json:"contracts"`
}

type ocdsTender struct {
	ID           jsonText   `json:"id"`
	Title        string     `json:"title"`
	Description  string     `json:"description"`
	Status       string     `json:"status"`
	Value        *ocdsValue `json:"value"`
	TenderPeriod struct {
		EndDate string `json:"endDate"`
	} `json:"tenderPeriod"`
	Classification            *ocdsClassification  `json:"classification"`
	AdditionalClassifications []ocdsClassification `json:"additionalClassifications"`
	Items                     []ocdsItem           `json:"items"`
	Lots                      []struct {
		ID    jsonText `json:"id"`
		Title string   `json:"title"`
	} `json:"lots"`
	Documents []ocdsDocument `json:"documents"`
}

type ocdsItem struct {
	Classification            *ocdsClassification  `json:"classification"`
	AdditionalClassifications []ocdsClassification `json:"additionalClassifications"`
	RelatedLot                jsonText             `json:"relatedLot"`
	DeliveryAddresses         []ocdsAddress        `json:"deliveryAddresses"`
	DeliveryAddress           *ocdsAddress         `json:"deliveryAddress"`
	DeliveryLocations         []ocdsLocation       `json:"deliveryLocations"`
	DeliveryLocation          *ocdsLocation        `json:"deliveryLocation"`
}

type ocdsParty struct {
	ID      jsonText    `json:"id"`
	Name    string      `json:"name"`
	Roles   stringList  `json:"roles"`
	Address ocdsAddress `json:"address"`
}

type ocdsAddress struct {
	Region      string `json:"region"`
	CountryName string `json:"countryName"`
	Country     string `json:"country"` // OCDS 1.2: ISO 3166-1 alpha-2
}

type ocdsLocation struct {
	Gazetteer struct {
		Scheme      string     `json:"scheme"`
		Identifiers stringList `json:"identifiers"`
	} `json:"gazetteer"`
}

type ocdsClassification struct {
	Scheme string   `json:"scheme"`
	ID     jsonText `json:"id"`
}

type ocdsValue struct {
	Amount   jsonNumber `json:"amount"`
	Currency string     `json:"currency"`
}

type ocdsDocument struct {
	DocumentType string `json:"documentType"`
	NoticeType   string `json:"noticeType"` // Find a Tender: UK1…UK17
	URL          string `json:"url"`
	Format       string `json:"format"`
}

// cpv returns the tender's CPV codes, main first: its classification, its
// additional classifications, then its items'.
func (t ocdsTender) cpv() []string {
	var codes []string
	add := func(c *ocdsClassification) {
		if c != nil && (c.Scheme == "" || strings.EqualFold(c.Scheme, "CPV")) {
			codes = addCode(codes, cpvCode(string(c.ID)))
		}
	}
	add(t.Classification)
	for i := range t.AdditionalClassifications {
		add(&t.AdditionalClassifications[i])
	}
	for _, item := range t.Items {
		for _, c := range item.cpv() {
			codes = addCode(codes, c)
		}
	}
	return codes
}

// cpv returns the item's CPV codes, main first.
func (it ocdsItem) cpv() []string {
	var codes []string
	classes := it.AdditionalClassifications
	if it.Classification != nil {
		classes = append([]ocdsClassification{*it.Classification}, classes...)
	}
	for _, c := range classes {
		if c.Scheme == "" || strings.EqualFold(c.Scheme, "CPV") {
			codes = addCode(codes, cpvCode(string(c.ID)))
		}
	}
	return codes
}

// nuts returns the NUTS codes of the items' delivery places: addresses
// whose region is a NUTS code, and locations from the NUTS gazetteer.
func (t ocdsTender) nuts() []string {
	var codes []string
	for _, item := range t.Items {
		addresses := slices.Clone(item.DeliveryAddresses)
		if item.DeliveryAddress != nil {
			addresses = append(addresses, *item.DeliveryAddress)
		}
		for _, a := range addresses {
			codes = addCode(codes, nutsCode(a.Region))
		}
		locations := slices.Clone(item.DeliveryLocations)
		if item.DeliveryLocation != nil {
			locations = append(locations, *item.DeliveryLocation)
		}
		for _, l := range locations {
			if strings.HasPrefix(strings.ToUpper(l.Gazetteer.Scheme), "NUTS") {
				for _, id := range l.Gazetteer.Identifiers {
					codes = addCode(codes, nutsCode(id))
				}
			}
		}
	}
	return codes
}

// buyerName is the buyer's name: from buyer, else from the party with the
// buyer's id, else from the first party in the role of buyer.
func (r ocdsRelease) buyerName() string {
	if name := strings.TrimSpace(r.Buyer.Name); name != "" {
		return name
	}
	if p := r.buyerParty(); p != nil {
		return p.Name
	}
	return ""
}

func (r ocdsRelease) buyerParty() *ocdsParty {
	for i, p := range r.Parties {
		if r.Buyer.ID != "" && p.ID == r.Buyer.ID {
			return &r.Parties[i]
		}
	}
	for i, p := range r.Parties {
		for _, role := range p.Roles {
			if role == "buyer" {
				return &r.Parties[i]
			}
		}
	}
	return nil
}

// buyerCountry is the country of the buyer's address.
func (r ocdsRelease) buyerCountry() string {
	if p := r.buyerParty(); p != nil {
		return firstNonEmpty(countryFromCode(p.Address.Country), countryFromCode(p.Address.CountryName))
	}
	return ""
}

// value is the tender's value, else the planned budget, else the value of
// the first award that states one, else of the first contract (a
// contract-only release).
func (r ocdsRelease) value() *bot.Money {
	values := []*ocdsValue{r.Tender.Value, r.Planning.Budget.Amount}
	for _, a := range r.Awards {
		values = append(values, a.Value)
	}
	for _, c := range r.Contracts {
		values = append(values, c.Value)
	}
	for _, v := range values {
		if v == nil {
			continue
		}
		if m := newMoney(float64(v.Amount), v.Currency); m != nil {
			return m
		}
	}
	return nil
}

// firstAwardTitle is the title of the first award that has one, else of
// the first contract (a contract-only release has no tender to name it).
func (r ocdsRelease) firstAwardTitle() string {
	for _, a := range r.Awards {
		if a.Title != "" {
			return a.Title
		}
	}
	for _, c := range r.Contracts {
		if c.Title != "" {
			return c.Title
		}
	}
	return ""
}

// firstContractDescription is the description of the first contract that
// has one.
func (r ocdsRelease) firstContractDescription() string {
	for _, c := range r.Contracts {
		if c.Description != "" {
			return c.Description
		}
	}
	return ""
}

// documents returns the documents of every stage, in stage order.
func (r ocdsRelease) documents() []ocdsDocument {
	docs := append([]ocdsDocument{}, r.Planning.Documents...)
	docs = append(docs, r.Tender.Documents...)
	for _, a := range r.Awards {
		docs = append(docs, a.Documents...)
	}
	for _, c := range r.Contracts {
		docs = append(docs, c.Documents...)
	}
	return docs
}

// contractsFinderRelease matches the address of a Contracts Finder release
// package, whose notice has a page of its own.
var contractsFinderRelease = regexp.MustCompile(`^https://www\.contractsfinder\.service\.gov\.uk/Published/Notice/releases/([0-9a-fA-F-]{36})\.json$`)

// noticeURL is the address of the notice for people: the latest notice
// document of the release (Find a Tender links its notice pages so), else
// the Contracts Finder page of the package; "" when there is none (a
// package's own address is a page of data, not the notice's).
func (r ocdsRelease) noticeURL(packageURI string) string {
	docs := r.documents()
	for i := len(docs) - 1; i >= 0; i-- {
		d := docs[i]
		if d.URL != "" && (d.NoticeType != "" || strings.HasSuffix(d.DocumentType, "Notice")) {
			return strings.TrimSpace(d.URL)
		}
	}
	if m := contractsFinderRelease.FindStringSubmatch(strings.TrimSpace(packageURI)); m != nil {
		return "https://www.contractsfinder.service.gov.uk/Notice/" + m[1]
	}
	return ""
}

// stringList is a list of strings that a publisher may also write as one
// string.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*l = stringList{one}
		return nil
	}
	var many []jsonText
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = make(stringList, len(many))
	for i, s := range many {
		(*l)[i] = string(s)
	}
	return nil
}

// jsonText is an identifier written as a string or a number.
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*t = jsonText(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*t = jsonText(n.String())
	return nil
}

// jsonNumber is an amount written as a number or a numeric string; 0 when
// null or unreadable.
type jsonNumber float64

func (n *jsonNumber) UnmarshalJSON(b []byte) error {
	var t jsonText
	if err := t.UnmarshalJSON(b); err != nil {
		return nil // an amount nobody can read is no amount
	}
	f, _ := strconv.ParseFloat(strings.TrimSpace(string(t)), 64)
	*n = jsonNumber(f)
	return nil
}
