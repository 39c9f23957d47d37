package matching

import (
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Options configure a Scan or an Index. The zero value checks codes for
// syntax only and reads the system clock.
type Options struct {
	// Vocabulary, when it has CPV or NUTS lists loaded, refuses codes that
	// are not on them. Without lists, CPV codes must lie in one of the 45
	// divisions and NUTS codes are checked for syntax only.
	Vocabulary *Vocabulary
	// Clock says what time it is for deadline:; nil means bot.SystemClock.
	Clock bot.Clock
	// Sample is notices like those the Index will see (recent ones, say):
	// the Index counts how often each key occurs in them to index each
	// profile under its rarest keys. Without a sample it guesses from the
	// keys' shape. Scan ignores it.
	Sample []bot.Notice
}

// compiler turns query text into a Query, checking codes against a
// vocabulary.
type compiler struct {
	vocab *Vocabulary // nil: syntax only
	clock bot.Clock
}

func newCompiler(opts Options) *compiler {
	c := &compiler{vocab: opts.Vocabulary, clock: opts.Clock}
	if c.clock == nil {
		c.clock = bot.SystemClock{}
	}
	return c
}

// syntaxOnly is the compiler without its vocabulary: for queries that were
// checked when they were saved.
func (c *compiler) syntaxOnly() *compiler {
	return &compiler{clock: c.clock}
}

// Compile parses a query of the profile language (see the package
// documentation), checking codes for syntax only and evaluating deadline:
// against the system clock. A malformed query returns a *bot.Error with
// code bot.EINVALID whose message says what is wrong, where, and what would
// work, for the person who typed it.
func Compile(text string) (*Query, error) {
	return newCompiler(Options{}).compile(text)
}

// compile parses text into a Query.
func (c *compiler) compile(text string) (*Query, error) {
	root, err := parse(c, text)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	root.format(&b)
	return &Query{root: root, text: b.String(), keywords: root.keywords(), clock: c.clock}, nil
}

// defaultKinds is what a new profile looks for when its query says no
// kind: early market engagement and calls for tender, not awards or
// changes to notices already alerted.
const defaultKinds = "kind:early,tender"

// compileProfile compiles the query of a new profile: a query that names no
// kind: anywhere gets kind:early,tender added, so that the canonical form
// shown back and stored says what the profile will be sent. Stored
// profiles are compiled with compile: their canonical form already says.
func (c *compiler) compileProfile(text string) (*Query, error) {
	q, err := c.compile(text)
	if err != nil || hasKind(q.root) {
		return q, err
	}
	s := q.text
	if q.root.precedence() < precAnd {
		s = "(" + s + ")"
	}
	return c.compile(s + " " + defaultKinds)
}

// hasKind reports whether the tree holds a kind: field.
func hasKind(n node) bool {
	switch n := n.(type) {
	case *kindNode:
		return true
	case *andNode:
		for _, c := range n.children {
			if hasKind(c) {
				return true
			}
		}
	case *orNode:
		for _, c := range n.children {
			if hasKind(c) {
				return true
			}
		}
	case *notNode:
		return hasKind(n.child)
	}
	return false
}

// checkCPV refuses the significant digits p of a code typed as item when
// no known code starts with them, naming the nearest known codes.
func (c *compiler) checkCPV(item, p string) error {
	if c.vocab != nil && c.vocab.hasCPVList() {
		if c.vocab.cpvExists(p) {
			return nil
		}
		return bot.Errorf(bot.EINVALID, "cpv:%s — there is no CPV code %s; the nearest are %s", item,
			padCPV(p), c.vocab.describeCPV(c.vocab.nearestCPV(p, 3)))
	}
	if _, ok := divisions[p[:2]]; ok {
		return nil
	}
	return bot.Errorf(bot.EINVALID, "cpv:%s — there is no CPV division %s; the nearest are %s", item, p[:2],
		c.vocab.describeDivisions(nearestDivisions(p[:2], 2)))
}

// checkNUTS refuses a NUTS code, typed as item, that the loaded NUTS list
// does not hold, naming the nearest listed codes. NUTS 2021 codes renamed
// in 2024 are accepted, and so are UK codes: TED lists neither any more,
// but notices still carry them.
func (c *compiler) checkNUTS(item, code string) error {
	if c.vocab == nil || !c.vocab.hasNUTSList() || strings.HasPrefix(code, "UK") || renamedNUTS[code] != "" {
		return nil
	}
	if c.vocab.nutsExists(code) {
		return nil
	}
	return bot.Errorf(bot.EINVALID, "nuts:%s — there is no NUTS region %s; the nearest are %s", item, code,
		c.vocab.describeNUTS(c.vocab.nearestNUTS(code, 3)))
}

// checkCountry refuses a country, typed as item, that has no NUTS code on
// the loaded list (UK aside, as for checkNUTS).
func (c *compiler) checkCountry(item, nutsCountry string) error {
	if c.vocab == nil || !c.vocab.hasNUTSList() || nutsCountry == "UK" || c.vocab.nutsExists(nutsCountry) {
		return nil
	}
	return bot.Errorf(bot.EINVALID, "country:%s — I know no country %s; the nearest are %s", item, strings.ToUpper(item),
		c.vocab.describeNUTS(c.vocab.nearestNUTS(nutsCountry, 3)))
}

// padCPV returns the 8-digit code of significant digits.
func padCPV(p string) string {
	return p + strings.Repeat("0", cpvDigits-len(p))
}

// describeDivisions lists divisions with their names for an error
// message, in the reader's language where the vocabulary has it.
func (v *Vocabulary) describeDivisions(codes []string) text.Items {
	parts := make([]any, len(codes))
	for i, c := range codes {
		l := text.Labelled{Code: "cpv:" + c, English: divisions[c]}
		if v != nil {
			l.Dutch = v.CPVLabel(padCPV(c), "nl")
		}
		parts[i] = l
	}
	return text.Or(parts...)
}

// joinOr joins "a", "b" and "c" as "a, b or c".
func joinOr(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}
