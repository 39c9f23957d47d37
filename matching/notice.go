package matching

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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

// allFields is the mask of every text field: where a plain word is looked
// for.
const allFields = 1<<numFields - 1

var fieldNames = [numFields]string{"title", "description", "buyer"}

func (f field) String() string { return fieldNames[f] }

// A classified code of a notice: its own, or one of a lot's.
type noticeCode struct {
	code string
	lot  string // the lot's ID, "" for the notice's own codes
}

// A region of a notice, and the same region under the other NUTS version
// when it was renamed between NUTS 2021 and 2024.
type noticeRegion struct {
	code  string
	alias string // "" when the code was not renamed
}

// document is a notice prepared for matching: tokenised and normalised once,
// then evaluated against any number of queries. A document is used by one
// goroutine at a time; prepare it again to reuse its memory for the next
// notice.
type document struct {
	words    [numFields][]string // folded words of each text field, substrings of text
	fieldsOf map[string]uint8    // each word → the mask of fields it occurs in
	sorted   []string            // the distinct words, sorted; built on first use
	isSorted bool
	cpv      []noticeCode
	nuts     []noticeRegion
	country  string // upper case, NUTS form (EL for GR)
	kind     bot.Kind
	value    *bot.Money
	deadline time.Time
	now      time.Time

	text string // every field's folded text, one allocation per notice
	buf  []byte
	fold folder
	ends [numFields]int // where each field's text ends in buf
}

// prepare returns n prepared for matching at the time now.
func prepare(n *bot.Notice, now time.Time) *document {
	d := &document{}
	d.prepare(n, now)
	return d
}

// prepare tokenises n's text and normalises its codes, reusing d's memory.
func (d *document) prepare(n *bot.Notice, now time.Time) {
	d.buf = d.buf[:0]
	for f, s := range [numFields]string{n.Title, n.Description, n.Buyer} {
		d.buf = d.fold.appendFold(d.buf, s)
		d.ends[f] = len(d.buf)
	}
	d.text = string(d.buf)
	if d.fieldsOf == nil {
		d.fieldsOf = make(map[string]uint8)
	}
	clear(d.fieldsOf)
	d.sorted, d.isSorted = d.sorted[:0], false
	start := 0
	for f := range numFields {
		d.words[f] = splitWords(d.words[f][:0], d.text[start:d.ends[f]])
		for _, w := range d.words[f] {
			d.fieldsOf[w] |= 1 << f
		}
		start = d.ends[f]
	}

	d.cpv = d.cpv[:0]
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
	d.nuts = d.nuts[:0]
	for _, c := range n.NUTS {
		if c = normalizeNoticeNUTS(c); c != "" {
			d.nuts = append(d.nuts, noticeRegion{code: c, alias: renamedNUTS[c]})
		}
	}
	d.country = normalizeCountry(strings.ToUpper(strings.TrimSpace(n.Country)))
	d.kind = n.Kind
	d.value = n.Value
	d.deadline = n.Deadline
	d.now = now
}

// splitWords appends the words of folded text to dst: maximal runs of
// letters and digits.
func splitWords(dst []string, text string) []string {
	start := -1 // start of the word being read, -1 between words
	for i := 0; i < len(text); {
		c := text[i]
		var word bool
		size := 1
		if c < utf8.RuneSelf {
			word = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			word = isWordRune(r)
		}
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			dst = append(dst, text[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		dst = append(dst, text[start:])
	}
	return dst
}

// hasPrefix reports whether any word of the notice starts with p.
func (d *document) hasPrefix(p string) bool {
	if !d.isSorted {
		for w := range d.fieldsOf {
			d.sorted = append(d.sorted, w)
		}
		slices.Sort(d.sorted)
		d.isSorted = true
	}
	i, _ := slices.BinarySearch(d.sorted, p)
	return i < len(d.sorted) && strings.HasPrefix(d.sorted[i], p)
}
