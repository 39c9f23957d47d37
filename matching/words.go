package matching

import (
	"strings"
)

// wordsNode matches words as consecutive words of one text field: a single
// word (renovatie), a prefix (renovat*) or a phrase ("groen dak*").
type wordsNode struct {
	terms []term // at least one
}

func (n *wordsNode) match(d *document, why *[]string) bool {
	for f := range numFields {
		words := d.words[f]
		if i := n.find(words); i >= 0 {
			*why = append(*why, n.reason(f, words[i:i+len(n.terms)]))
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
func (n *wordsNode) reason(f field, found []string) string {
	var b strings.Builder
	b.WriteByte('"')
	n.writeTerms(&b)
	b.WriteString(`" in `)
	b.WriteString(f.String())
	for _, t := range n.terms {
		if t.prefix {
			b.WriteString(" (")
			b.WriteString(strings.Join(found, " "))
			b.WriteByte(')')
			break
		}
	}
	return b.String()
}

// keywords returns one of the terms: a match contains all of them. It picks
// the longest whole word, else the longest prefix, as the likeliest to be
// rare.
func (n *wordsNode) keywords() []string {
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
	return []string{best.String()}
}

func (n *wordsNode) writeTerms(b *strings.Builder) {
	for i, t := range n.terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.String())
	}
}

// format writes a single term bare and several as a quoted phrase. Terms
// hold only letters and digits, so neither needs escaping.
func (n *wordsNode) format(b *strings.Builder) {
	if len(n.terms) == 1 {
		n.writeTerms(b)
		return
	}
	b.WriteByte('"')
	n.writeTerms(b)
	b.WriteByte('"')
}

func (n *wordsNode) precedence() int { return precAtom }
