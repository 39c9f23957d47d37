package matching

import (
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// field is a text field of a notice that words are searched in.
type field int

// The text fields, in the order reasons name them.
const (
	fieldTitle field = iota
	fieldDescription
	fieldBuyer
	numFields
)

var fieldNames = [numFields]string{"title", "description", "buyer"}

func (f field) String() string { return fieldNames[f] }

// A classified code of a notice: its own, or one of a lot's.
type noticeCode struct {
	code string
	lot  string // the lot's ID, "" for the notice's own codes
}

// document is a notice prepared for matching: tokenised and normalised once,
// then evaluated against any number of queries. It is read-only after
// prepare, so queries may share it.
type document struct {
	words   [numFields][]string
	cpv     []noticeCode
	nuts    []string
	country string
}

// prepare tokenises n's text and normalises its codes.
func prepare(n *bot.Notice) *document {
	d := &document{
		country: normalizeCountry(strings.ToUpper(strings.TrimSpace(n.Country))),
	}
	d.words[fieldTitle] = tokenize(n.Title)
	d.words[fieldDescription] = tokenize(n.Description)
	d.words[fieldBuyer] = tokenize(n.Buyer)
	for _, c := range n.CPV {
		if c = normalizeNoticeCPV(c); c != "" {
			d.cpv = append(d.cpv, noticeCode{code: c})
		}
	}
	for _, l := range n.Lots {
		for _, c := range l.CPV {
			if c = normalizeNoticeCPV(c); c != "" {
				d.cpv = append(d.cpv, noticeCode{code: c, lot: l.ID})
			}
		}
	}
	for _, c := range n.NUTS {
		if c = normalizeNoticeNUTS(c); c != "" {
			d.nuts = append(d.nuts, c)
		}
	}
	return d
}
