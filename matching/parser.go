package matching

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Limits that keep one profile from costing every notice a long evaluation.
// They count what survives into the canonical form, so a canonical query
// never breaks them.
const (
	maxTerms = 200 // words, phrases, fields and codes in one query
	maxDepth = 10  // brackets inside brackets
)

// parser builds the node tree of a query by recursive descent:
//
//	query   = or EOF
//	or      = and { "OR" and }
//	and     = unary { unary }
//	unary   = [ "-" ] primary
//	primary = word | phrase | field | "(" or ")"
type parser struct {
	c     *compiler
	src   string
	toks  []token
	i     int
	depth int
	terms int
}

// parse returns the node tree of src, or an EINVALID *bot.Error.
func parse(c *compiler, src string) (node, error) {
	if strings.TrimSpace(src) == "" {
		return nil, bot.Errorf(bot.EINVALID, "the query is empty — describe what you offer, like: renovatie OR cpv:45 nuts:NL21")
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{c: c, src: src, toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		// or stops only at EOF or ")": this ) closes nothing.
		return nil, bot.Errorf(bot.EINVALID, "%s — this ) has no ( before it; remove it, or add a ( where the group starts",
			excerptTail(src, t.end))
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) or() (node, error) {
	var alts []node
	for {
		if t := p.peek(); t.kind == tokOr {
			return nil, p.orWithoutLeft(t)
		}
		n, err := p.and()
		if err != nil {
			return nil, err
		}
		alts = append(alts, n)
		if p.peek().kind != tokOr {
			return newOr(alts), nil
		}
		or := p.next()
		if t := p.peek(); t.kind == tokEOF || t.kind == tokRParen {
			return nil, bot.Errorf(bot.EINVALID, "%s — OR has nothing after it; put an alternative on each side, like bouw OR renovatie",
				excerptTail(p.src, or.end))
		}
	}
}

// orWithoutLeft is the error for an OR at the start of the query or a
// group, or right after another OR.
func (p *parser) orWithoutLeft(or token) error {
	end := or.end
	if after := p.toks[p.i+1]; after.kind != tokEOF {
		end = after.end
	}
	from := 0
	if p.i > 0 {
		before := p.toks[p.i-1]
		from = before.pos
		if before.kind == tokOr {
			return bot.Errorf(bot.EINVALID, "%s — one OR is enough between two alternatives, like bouw OR renovatie", excerpt(p.src, from, end))
		}
	}
	return bot.Errorf(bot.EINVALID, "%s — OR has nothing before it; put an alternative on each side, like bouw OR renovatie",
		excerpt(p.src, from, end))
}

func (p *parser) and() (node, error) {
	var all []node
	for {
		switch p.peek().kind {
		case tokEOF, tokOr, tokRParen:
			// An empty "and" is caught before: the query is not empty, "()"
			// and "OR" are errors of their own.
			return newAnd(all), nil
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		all = append(all, n)
	}
}

func (p *parser) unary() (node, error) {
	if p.peek().kind != tokMinus {
		return p.primary()
	}
	minus := p.next()
	switch t := p.peek(); t.kind {
	case tokMinus:
		return nil, bot.Errorf(bot.EINVALID, "%s — one - is enough to leave something out, like -sloop", excerpt(p.src, minus.pos, p.toks[p.i+1].end))
	case tokOr:
		return nil, bot.Errorf(bot.EINVALID, "%s — put what to leave out right after the -, like -sloop; OR is for alternatives", excerpt(p.src, minus.pos, t.end))
	}
	n, err := p.primary()
	if err != nil {
		return nil, err
	}
	return newNot(n), nil
}

func (p *parser) primary() (node, error) {
	t := p.next()
	switch t.kind {
	case tokLParen:
		return p.group(t)
	case tokWord:
		return p.word(t)
	case tokPhrase:
		return p.phrase(t)
	case tokField:
		return p.field(t)
	}
	// and() and unary() never call primary on anything else.
	panic(fmt.Sprintf("matching: primary called on token kind %d", t.kind))
}

func (p *parser) group(open token) (node, error) {
	if t := p.peek(); t.kind == tokRParen {
		return nil, bot.Errorf(bot.EINVALID, "%s — the brackets are empty; put words in them, or leave them out", excerpt(p.src, open.pos, t.end))
	}
	p.depth++
	if p.depth > maxDepth {
		return nil, bot.Errorf(bot.EINVALID, "%s — brackets are nested more than %d deep; write the query more simply, or split it into several profiles",
			excerpt(p.src, open.pos, len(p.src)), maxDepth)
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	p.depth--
	if p.next().kind != tokRParen {
		return nil, bot.Errorf(bot.EINVALID, "%s — this ( is never closed; add a ) where the group ends", excerpt(p.src, open.pos, len(p.src)))
	}
	return n, nil
}

func (p *parser) word(t token) (node, error) {
	switch t.text {
	case "AND":
		return nil, bot.Errorf(bot.EINVALID, "AND — words are combined with AND already, so leave it out, like: bouw renovatie (to search for the word, write and)")
	case "NOT":
		return nil, bot.Errorf(bot.EINVALID, "NOT — to leave a word out, put a - directly before it, like: bouw -sloop (to search for the word, write not)")
	}
	terms, ok := splitTerms(t.text)
	if !ok {
		return nil, bot.Errorf(bot.EINVALID, "%s — a * goes at the end of a word, to match every word that starts with it, like renovat*", t.text)
	}
	if len(terms) == 0 {
		return nil, bot.Errorf(bot.EINVALID, "%s — there are no letters or digits here to search for; leave it out", t.text)
	}
	return p.words(terms)
}

func (p *parser) phrase(t token) (node, error) {
	raw := p.src[t.pos:t.end]
	terms, ok := splitTerms(t.text)
	if !ok {
		return nil, bot.Errorf(bot.EINVALID, "%s — a * goes at the end of a word, to match every word that starts with it, like \"zonne* panelen\"", raw)
	}
	if len(terms) == 0 {
		return nil, bot.Errorf(bot.EINVALID, "%s — there are no words between the quotes; put a phrase in them, like \"groen dak\"", raw)
	}
	return p.words(terms)
}

func (p *parser) words(terms []term) (node, error) {
	if err := p.count(1); err != nil {
		return nil, err
	}
	return &wordsNode{terms: terms, fields: allFields}, nil
}

func (p *parser) field(t token) (node, error) {
	compile, ok := fieldCompilerOf(t.name)
	if !ok {
		raw := p.src[t.pos:t.end]
		var guess any = ""
		if name := nearestField(t.name); name != "" {
			guess = text.M(" Did you mean %s:%s?", name, t.text)
		}
		return nil, bot.Errorf(bot.EINVALID, "%s — there is no field %s:; the fields are %s.%s To search for the text, put it in quotes: \"%s\"",
			raw, t.name, fieldList(), guess, raw)
	}
	n, size, err := compile(p.c, t.text, t.quoted)
	if err != nil {
		return nil, err
	}
	if err := p.count(size); err != nil {
		return nil, err
	}
	return n, nil
}

// count adds n terms to the query's size and fails past maxTerms.
func (p *parser) count(n int) error {
	p.terms += n
	if p.terms > maxTerms {
		return bot.Errorf(bot.EINVALID, "the query has more than %d words and codes; split it into several profiles", maxTerms)
	}
	return nil
}

// invalid returns the EINVALID error a person sees for a malformed query.

// maxExcerpt is how many characters of a query an error message quotes.
const maxExcerpt = 40

// excerpt returns src[from:to] for an error message, shortened at the end.
func excerpt(src string, from, to int) string {
	s := strings.TrimSpace(src[from:to])
	if utf8.RuneCountInString(s) <= maxExcerpt {
		return s
	}
	r := []rune(s)
	return string(r[:maxExcerpt]) + "…"
}

// excerptTail returns src[:to] for an error message, shortened at the
// start, for problems found at the end of what was read.
func excerptTail(src string, to int) string {
	s := strings.TrimSpace(src[:to])
	if utf8.RuneCountInString(s) <= maxExcerpt {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-maxExcerpt:])
}
