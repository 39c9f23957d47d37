package bot

import (
	"github.com/tenderbot/tenderbot/bot/text"

	"strings"
	"time"
)

// Kind classifies a notice by where it stands in the procurement cycle.
type Kind string

// Notice kinds (see ARCHITECTURE.md, "Notice kinds").
const (
	KindEarly  Kind = "early"  // early market engagement: PIN, market consultation
	KindTender Kind = "tender" // a call for competition with a deadline
	KindAward  Kind = "award"  // a contract award
	KindChange Kind = "change" // a corrigendum or modification
	KindOther  Kind = "other"
)

// Label is the kind in words, for people.
func (k Kind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return text.N("notice")
}

// kindLabels are the kinds of notice in words; any other kind is a notice.
var kindLabels = map[Kind]string{
	KindEarly:  text.N("early engagement"),
	KindTender: text.N("tender"),
	KindAward:  text.N("award"),
	KindChange: text.N("change"),
}

// Kinds lists the kinds a notice can have, in the order of the
// procurement cycle.
func Kinds() []Kind { return []Kind{KindEarly, KindTender, KindAward, KindChange, KindOther} }

// ParseKind reads a kind by its name ("tender", "Early"), as a feed's
// default kind is given (`feed add URL kind=tender`, TENDERBOT_FEEDS); an
// unknown name is an EINVALID error that lists the names.
func ParseKind(name string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(name)))
	for _, known := range Kinds() {
		if k == known {
			return k, nil
		}
	}
	return "", Errorf(EINVALID, "%q is not a kind of notice; use early, tender, award, change or other.", name)
}

// Money is an amount in a currency. Amounts are never converted between
// currencies.
type Money struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
}

// Lot is one part of a tender that can be bid for separately.
type Lot struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	CPV   []string `json:"cpv,omitempty"`
}

// Notice is one published procurement notice, normalised from whatever
// format its source used.
type Notice struct {
	ID          string    `json:"id"` // stable: publication number, OCDS ocid, else the feed item's GUID or link
	Source      string    `json:"source"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Language    string    `json:"language"` // ISO 639-1, lower case, "" when unknown
	Buyer       string    `json:"buyer"`
	Kind        Kind      `json:"kind"`
	CPV         []string  `json:"cpv"`  // 8-digit codes without check digit, main first
	NUTS        []string  `json:"nuts"` // NUTS codes of the place of performance
	Country     string    `json:"country"`
	Value       *Money    `json:"value"`    // nil when not stated
	Deadline    time.Time `json:"deadline"` // zero when not stated
	Published   time.Time `json:"published"`
	URL         string    `json:"url"`
	ProcedureID string    `json:"procedure_id"`
	Lots        []Lot     `json:"lots"`
	// Sources are every source the notice was seen on, the first one
	// included: the same tender on TED, a national portal and a partner's
	// feed is one notice with three links.
	Sources []SourceLink `json:"sources,omitempty"`
}

// SourceLink is one place a notice was published.
type SourceLink struct {
	Source string `json:"source"`
	URL    string `json:"url"`
}
