package matching

import (
	"slices"
	"strings"
)

// node is a compiled part of a query. Nodes are immutable once built, so a
// query may be evaluated by many goroutines at once.
type node interface {
	// match reports whether e's document satisfies the node. When it does,
	// it adds the reasons, in plain words, to e.why; when it does not, e.why
	// is left as it was. A node's reasons depend only on its canonical form
	// and the document, so equal nodes of different queries give equal
	// reasons (the index relies on this to evaluate a shared node once).
	match(e *evaluation) bool
	// keywords returns words of which every document the node matches
	// contains at least one (a trailing * marks a prefix), or nil when the
	// node can match a document without any word. See Query.Keywords.
	keywords() []string
	// format writes the node in canonical form.
	format(b *strings.Builder)
	// precedence tells format where brackets are needed around the node.
	precedence() int
}

// leaf is a node without children: a word, phrase or field. Leaves are what
// the index shares between queries and keys profiles by.
type leaf interface {
	node
	// missing says, in plain words, why d does not satisfy the leaf.
	missing(d *document) string
}

// Precedences, loosest first.
const (
	precOr = iota + 1
	precAnd
	precNot
	precAtom
)

// formatChild writes n, in brackets when it binds looser than atLeast.
func formatChild(b *strings.Builder, n node, atLeast int) {
	if n.precedence() >= atLeast {
		n.format(b)
		return
	}
	b.WriteByte('(')
	n.format(b)
	b.WriteByte(')')
}

// andNode matches when every child matches.
type andNode struct{ children []node }

// newAnd returns the conjunction of nodes, flattening nested conjunctions
// so that a (b c) and a b c have one canonical form.
func newAnd(nodes []node) node {
	var flat []node
	for _, n := range nodes {
		if a, ok := n.(*andNode); ok {
			flat = append(flat, a.children...)
		} else {
			flat = append(flat, n)
		}
	}
	if len(flat) == 1 {
		return flat[0]
	}
	return &andNode{children: flat}
}

func (n *andNode) match(e *evaluation) bool {
	mark := len(e.why)
	for _, c := range n.children {
		if !c.match(e) {
			e.why = e.why[:mark]
			return false
		}
	}
	return true
}

// keywords returns the smallest keyword set of any child: every match
// matches each child, so each child's set is sound.
func (n *andNode) keywords() []string {
	var best []string
	for _, c := range n.children {
		if k := c.keywords(); k != nil && (best == nil || len(k) < len(best)) {
			best = k
		}
	}
	return best
}

func (n *andNode) format(b *strings.Builder) {
	for i, c := range n.children {
		if i > 0 {
			b.WriteByte(' ')
		}
		formatChild(b, c, precAnd)
	}
}

func (n *andNode) precedence() int { return precAnd }

// orNode matches when any child matches.
type orNode struct{ children []node }

// newOr returns the disjunction of nodes, flattening nested disjunctions.
func newOr(nodes []node) node {
	var flat []node
	for _, n := range nodes {
		if o, ok := n.(*orNode); ok {
			flat = append(flat, o.children...)
		} else {
			flat = append(flat, n)
		}
	}
	if len(flat) == 1 {
		return flat[0]
	}
	return &orNode{children: flat}
}

// match evaluates every child, not only up to the first that matches, so
// the reasons name every alternative the notice satisfies.
func (n *orNode) match(e *evaluation) bool {
	ok := false
	for _, c := range n.children {
		if c.match(e) {
			ok = true
		}
	}
	return ok
}

// keywords returns the union of the children's sets: a match matches some
// child, and so contains one of that child's words. One child without
// keywords makes the whole unknown.
func (n *orNode) keywords() []string {
	var all []string
	for _, c := range n.children {
		k := c.keywords()
		if k == nil {
			return nil
		}
		all = append(all, k...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

func (n *orNode) format(b *strings.Builder) {
	for i, c := range n.children {
		if i > 0 {
			b.WriteString(" OR ")
		}
		formatChild(b, c, precOr)
	}
}

func (n *orNode) precedence() int { return precOr }

// notNode matches when its child does not. It gives no reasons: the
// absence of something does not explain why a notice is relevant.
type notNode struct{ child node }

// newNot returns the negation of n; two negations cancel.
func newNot(n node) node {
	if not, ok := n.(*notNode); ok {
		return not.child
	}
	return &notNode{child: n}
}

func (n *notNode) match(e *evaluation) bool {
	mark := len(e.why)
	ok := n.child.match(e)
	e.why = e.why[:mark]
	return !ok
}

func (n *notNode) keywords() []string { return nil }

func (n *notNode) format(b *strings.Builder) {
	b.WriteByte('-')
	formatChild(b, n.child, precAtom)
}

func (n *notNode) precedence() int { return precNot }
