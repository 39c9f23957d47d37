package matching

import (
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// Explain says, condition by condition, why n satisfies the query or why
// not, for the `why` command: every condition is evaluated (not only up to
// the first that fails), and each line says what held or what was missing:
//
//	✓ cpv 45210000 under 45
//	✗ no region in NL21 (the notice is in NL329)
//	✓ no "asbest" in title, description or buyer
//
// A group of alternatives or exclusions gets a line of its own, its
// conditions indented below it. Matched is what Match reports.
func (q *Query) Explain(n *bot.Notice) bot.Explanation {
	if n == nil {
		return bot.Explanation{}
	}
	x := explainer{e: evaluation{d: prepare(n, q.clock.Now())}}
	ok := x.explain(q.root, 0, true)
	return bot.Explanation{Matched: ok, Lines: x.lines}
}

// explainer collects the lines of an explanation.
type explainer struct {
	e     evaluation
	lines []string
}

const (
	yes = "✓ "
	no  = "✗ "
)

// explain explains n at the given depth and reports whether it holds. The
// conditions of the query's top-level conjunction are listed without a
// heading.
func (x *explainer) explain(n node, depth int, top bool) bool {
	switch n := n.(type) {
	case *andNode:
		if top {
			ok := true
			for _, c := range n.children {
				ok = x.explain(c, depth, false) && ok
			}
			return ok
		}
		return x.group(n.children, depth, "all of these", func(held, total int) bool { return held == total })
	case *orNode:
		return x.group(n.children, depth, "any of these", func(held, _ int) bool { return held > 0 })
	case *notNode:
		return x.not(n.child, depth)
	case leaf:
		ok, reasons := x.leaf(n)
		if ok {
			x.line(depth, yes+x.held(n, reasons))
		} else {
			x.line(depth, no+n.missing(x.e.d))
		}
		return ok
	}
	return false
}

// group explains the children under a heading, which holds as holds says
// from how many children held.
func (x *explainer) group(children []node, depth int, heading string, holds func(held, total int) bool) bool {
	at := len(x.lines)
	x.lines = append(x.lines, "")
	held := 0
	for _, c := range children {
		if x.explain(c, depth+1, false) {
			held++
		}
	}
	ok := holds(held, len(children))
	mark := no
	if ok {
		mark = yes
	}
	x.lines[at] = indent(depth) + mark + heading + ":"
	return ok
}

// not explains an exclusion: it holds when its child does not.
func (x *explainer) not(child node, depth int) bool {
	if l, isLeaf := child.(leaf); isLeaf {
		ok, reasons := x.leaf(l)
		if ok {
			var b strings.Builder
			l.format(&b)
			x.line(depth, no+"excluded by -"+b.String()+": "+x.held(l, reasons))
		} else {
			x.line(depth, yes+l.missing(x.e.d))
		}
		return !ok
	}
	at := len(x.lines)
	x.lines = append(x.lines, "")
	ok := !x.explain(child, depth+1, false)
	if ok {
		x.lines[at] = indent(depth) + yes + "none of these:"
	} else {
		x.lines[at] = indent(depth) + no + "excluded, because of these:"
	}
	return ok
}

// held says why a leaf holds: its reasons, or, for a leaf that gives none
// (kind:), what it found.
func (x *explainer) held(l leaf, reasons []string) string {
	if h, ok := l.(interface{ holds(*document) string }); ok && len(reasons) == 0 {
		return h.holds(x.e.d)
	}
	return strings.Join(reasons, "; ")
}

// leaf evaluates a leaf and returns its reasons.
func (x *explainer) leaf(l leaf) (bool, []string) {
	x.e.reset()
	ok := l.match(&x.e)
	return ok, x.e.strings(x.e.why)
}

func (x *explainer) line(depth int, s string) {
	x.lines = append(x.lines, indent(depth)+s)
}

func indent(depth int) string { return strings.Repeat("  ", depth) }
