package matching

import (
	"math/bits"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// wordsNode matches words as consecutive words of one text field: a single
// word (renovatie), a prefix (renovat*) or a phrase ("groen dak*"), in any
// text field or, written as title:, description: or buyer:, in that one.
type wordsNode struct {
	terms  []term // at least one
	fields uint8  // mask of the fields searched: allFields, or one field
}

func (n *wordsNode) match(e *evaluation) bool {
	d := e.d
	if len(n.terms) == 1 && !n.terms[0].prefix {
		// A single word: the notice's word set says where it occurs.
		in := d.fieldsOf[n.terms[0].text] & n.fields
		if in == 0 {
			return false
		}
		n.reason(e, field(bits.TrailingZeros8(in)), nil)
		return true
	}
	// Rule out quickly a notice that lacks one of the terms anywhere.
	for _, t := range n.terms {
		if t.prefix {
			if !d.hasPrefix(t.text) {
				return false
			}
		} else if d.fieldsOf[t.text]&n.fields == 0 {
			return false
		}
	}
	for f := range numFields {
		if n.fields&(1<<f) == 0 {
			continue
		}
		words := d.words[f]
		if i := n.find(words); i >= 0 {
			n.reason(e, f, words[i:i+len(n.terms)])
			return true
		}
	}
	return false
}

// find returns where n's terms first occur as consecutive words, or -1.
func (n *wordsNode) find(words []string) int {
	for i := 0; i+len(n.terms) <= len(words); i++ {
		if n.matchesAt(words, i) {
			return i
		}
	}
	return -1
}

func (n *wordsNode) matchesAt(words []string, i int) bool {
	for j, t := range n.terms {
		if !t.matches(words[i+j]) {
			return false
		}
	}
	return true
}

// reason says where the terms were found, and which words a prefix matched:
// "zonne*" in description (zonnepanelen).
func (n *wordsNode) reason(e *evaluation, f field, found []string) {
	start := e.begin()
	e.say(`"`)
	n.sayTerms(e)
	e.say(`" in `)
	e.say(f.String())
	if n.hasPrefix() {
		e.say(" (")
		for i, w := range found {
			if i > 0 {
				e.say(" ")
			}
			e.say(w)
		}
		e.say(")")
	}
	e.end(start)
}

func (n *wordsNode) hasPrefix() bool {
	for _, t := range n.terms {
		if t.prefix {
			return true
		}
	}
	return false
}

func (n *wordsNode) sayTerms(e *evaluation) {
	for i, t := range n.terms {
		if i > 0 {
			e.say(" ")
		}
		e.say(t.text)
		if t.prefix {
			e.say("*")
		}
	}
}

// missing names the words and where they were looked for.
func (n *wordsNode) missing(*document) string {
	var b strings.Builder
	b.WriteString(`no "`)
	n.writeTerms(&b)
	b.WriteString(`" in `)
	if n.fields == allFields {
		b.WriteString("title, description or buyer")
	} else {
		b.WriteString(field(bits.TrailingZeros8(n.fields)).String())
	}
	return b.String()
}

// keywords returns one of the terms: a match contains all of them. It picks
// the longest whole word, else the longest prefix, as the likeliest to be
// rare.
func (n *wordsNode) keywords() []string {
	return []string{n.rarest().String()}
}

// rarest guesses which term is rarest: the longest whole word, else the
// longest prefix.
func (n *wordsNode) rarest() term {
	best := n.terms[0]
	for _, t := range n.terms[1:] {
		if t.prefix != best.prefix {
			if !t.prefix {
				best = t
			}
			continue
		}
		if len(t.text) > len(best.text) {
			best = t
		}
	}
	return best
}

func (n *wordsNode) writeTerms(b *strings.Builder) {
	for i, t := range n.terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.String())
	}
}

// format writes a single term bare and several as a quoted phrase, after
// the field's name when the words are looked for in one field. Terms hold
// only letters and digits, so neither needs escaping.
func (n *wordsNode) format(b *strings.Builder) {
	if n.fields != allFields {
		b.WriteString(field(bits.TrailingZeros8(n.fields)).String())
		b.WriteByte(':')
	}
	if len(n.terms) == 1 {
		n.writeTerms(b)
		return
	}
	b.WriteByte('"')
	n.writeTerms(b)
	b.WriteByte('"')
}

func (n *wordsNode) precedence() int { return precAtom }

// compileTitle, compileDescription and compileBuyer compile the field words
// title:, description: and buyer:, which look for a word, prefix or phrase
// in that field only.
func compileTitle(_ *compiler, value string, quoted bool) (node, int, error) {
	return compileFieldWords(fieldTitle, value, quoted)
}

func compileDescription(_ *compiler, value string, quoted bool) (node, int, error) {
	return compileFieldWords(fieldDescription, value, quoted)
}

func compileBuyer(_ *compiler, value string, quoted bool) (node, int, error) {
	return compileFieldWords(fieldBuyer, value, quoted)
}

func compileFieldWords(f field, value string, quoted bool) (node, int, error) {
	typed := f.String() + ":" + value
	if quoted {
		typed = f.String() + `:"` + value + `"`
	}
	terms, ok := splitTerms(value)
	if !ok {
		return nil, 0, bot.Errorf(bot.EINVALID, "%s — a * goes at the end of a word, to match every word that starts with it, like %s:renovat*", typed, f)
	}
	if len(terms) == 0 {
		return nil, 0, bot.Errorf(bot.EINVALID, `%s — say which words, like %s:renovatie or %s:"groen dak"`, typed, f, f)
	}
	return &wordsNode{terms: terms, fields: 1 << f}, 1, nil
}
