package matching

import (
	"slices"

	"github.com/tenderbot/tenderbot/bot"
)

// Query is a compiled profile query. It implements bot.Query. A Query is
// immutable and safe for concurrent use.
type Query struct {
	root     node
	text     string    // canonical form
	keywords []string  // nil: the query can match without any word
	clock    bot.Clock // the time deadline: counts from
}

var _ bot.Query = (*Query)(nil)

// String returns the query in canonical form: folded words, CPV codes as
// their significant digits, lists sorted, explicit OR, brackets only where
// needed. Compile(q.String()).String() == q.String().
func (q *Query) String() string { return q.text }

// Match reports whether n satisfies the query and, if it does, why, in
// plain words: "cpv 45210000 under 45", "\"renovatie\" in title". An
// exclusion gives no reason, so a query of exclusions only may match with
// none.
func (q *Query) Match(n *bot.Notice) (reasons []string, ok bool) {
	if n == nil {
		return nil, false
	}
	return q.match(prepare(n, q.clock.Now()))
}

// match evaluates the query against a prepared notice.
func (q *Query) match(d *document) ([]string, bool) {
	e := evaluation{d: d}
	if !q.root.match(&e) {
		return nil, false
	}
	return e.strings(e.why), true
}

// Keywords returns words of which every notice the query matches contains
// at least one in its title, description or buyer, folded (lower case, no
// diacritics), a trailing * marking a prefix. It is nil when the query can
// match a notice without any word (cpv:45, a OR cpv:45, -a). A full-text
// index can narrow a search by them without losing a match, provided it
// folds and splits text into words as this package does.
func (q *Query) Keywords() []string { return slices.Clone(q.keywords) }
