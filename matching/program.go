package matching

import (
	"fmt"
	"math/bits"
)

// A program is how an Index stores one profile's query: 32-bit words in a
// shared arena, and nothing else per profile but its place in the posting
// lists and in the map from profile ID to program.
//
//	header   dead<<31 | keys<<26 | kinds<<21 | node words
//	id       the profile ID, low then high 32 bits
//	keys     the entries the profile is filed under, one word each
//	nodes    the query tree in prefix order
//
// kinds is a mask of the notice kinds (bit i: kinds[i]) the query can match
// at all, read off its top-level kind: fields, so a notice of another kind
// is turned away on the header alone. A node word holds an op in its top
// two bits; an and, or or not's other 30 bits are its size in words,
// itself and its children, so evaluation can skip past it. A leaf's are
// the id of a shared leaf (25 bits) and flags. A keyed leaf is followed by
// a word with its key's entry: a leaf whose entry the notice lacks does not
// hold, which the program tells without looking the leaf up. A keyed leaf
// that is a single whole word also carries the mask of the fields it looks
// in, and is evaluated from what gathering the notice's keys found (the
// word, the fields it is in) without looking the leaf up either: at a
// million profiles, reaching a leaf's node, terms and text costs several
// cache misses, and most leaves evaluated are such words.
const (
	opLeaf uint32 = iota << 30
	opAnd
	opOr
	opNot

	opMask      = 3 << 30
	operandMask = 1<<30 - 1
	keyedLeaf   = 1 << 29
	wordLeaf    = 1 << 28
	fieldShift  = 25
	maxLeafID   = 1<<fieldShift - 1

	headerWords  = 3
	nodeBits     = 21
	maxNodeWords = 1<<nodeBits - 1
	kindShift    = nodeBits
	allKinds     = 1<<5 - 1
	keyShift     = kindShift + 5
	keyMask      = 1<<5 - 1
	deadProgram  = 1 << 31 // set when its profile is removed, until a layout drops it
)

// programHeader returns the header of a program.
func programHeader(keys, kindMask, nodes int) uint32 {
	if keys > maxCoverKeys || nodes > maxNodeWords {
		panic(fmt.Sprintf("matching: program of %d keys and %d node words", keys, nodes))
	}
	return uint32(keys)<<keyShift | uint32(kindMask)<<kindShift | uint32(nodes)
}

// programLen returns the number of words of the program with header h.
func programLen(h uint32) uint32 { return headerWords + programKeyCount(h) + h&maxNodeWords }

// programKeyCount returns the number of keys of the program with header h.
func programKeyCount(h uint32) uint32 { return h >> keyShift & keyMask }

// programID returns a program's profile ID.
func programID(prog []uint32) int64 { return int64(uint64(prog[1]) | uint64(prog[2])<<32) }

// programKeys returns the entries a program is filed under.
func programKeys(prog []uint32) []uint32 {
	return prog[headerWords : headerWords+programKeyCount(prog[0])]
}

// programNodes returns the query tree of a program.
func programNodes(prog []uint32) []uint32 {
	return prog[headerWords+programKeyCount(prog[0]) : programLen(prog[0])]
}

// appendProgram appends the program of a profile to code, interning the
// leaves of its query.
func (x *Index) appendProgram(code []uint32, id int64, keys []int32, root node) []uint32 {
	at := len(code)
	code = append(code, 0, uint32(id), uint32(uint64(id)>>32))
	for _, k := range keys {
		code = append(code, uint32(k))
	}
	nodes := len(code)
	code = x.emit(code, root)
	code[at] = programHeader(len(keys), requiredKinds(root), len(code)-nodes)
	return code
}

// requiredKinds returns the kinds a notice the query matches can be of:
// those every top-level kind: field allows.
func requiredKinds(root node) int {
	mask := allKinds
	children := []node{root}
	if a, ok := root.(*andNode); ok {
		children = a.children
	}
	for _, c := range children {
		if k, ok := c.(*kindNode); ok {
			mask &= int(k.mask)
		}
	}
	return mask
}

// nodeSize returns the number of words of the node starting with word w.
func nodeSize(w uint32) uint32 {
	if w&opMask == opLeaf {
		return 1 + w&keyedLeaf>>29
	}
	return w & operandMask
}

// emit appends the program nodes of n to code, interning its leaves.
func (x *Index) emit(code []uint32, n node) []uint32 {
	var op uint32
	var children []node
	switch n := n.(type) {
	case *andNode:
		op, children = opAnd, n.children
	case *orNode:
		op, children = opOr, n.children
	case *notNode:
		op, children = opNot, []node{n.child}
	case leaf:
		id := x.intern(n)
		e := x.leaves.entry[id]
		if e == noEntry {
			return append(code, opLeaf|id)
		}
		w := opLeaf | keyedLeaf | id
		if n, ok := n.(*wordsNode); ok && len(n.terms) == 1 && !n.terms[0].prefix {
			w |= wordLeaf | uint32(n.fields)<<fieldShift
		}
		return append(code, w, uint32(e))
	default:
		panic(fmt.Sprintf("matching: cannot index a %T", n))
	}
	at := len(code)
	code = append(code, 0)
	for _, c := range children {
		code = x.emit(code, c)
	}
	code[at] = op | uint32(len(code)-at)
	return code
}

// forLeaves calls f with the id of every leaf of the nodes.
func forLeaves(nodes []uint32, f func(id uint32)) {
	for p := 0; p < len(nodes); {
		w := nodes[p]
		if w&opMask == opLeaf {
			f(w & maxLeafID)
			p += int(nodeSize(w))
		} else {
			p++ // into the operator's children
		}
	}
}

// eval evaluates the node at the start of nodes as the tree it came from
// would evaluate (node.go): an and stops at the first child that fails and
// drops the reasons its children gave; an or evaluates every child, so its
// reasons name every alternative that holds; a not gives no reasons.
func (s *matchState) eval(x *Index, nodes []uint32) bool {
	w := nodes[0]
	switch w & opMask {
	case opLeaf:
		slot := -1
		if w&keyedLeaf != 0 {
			var ok bool
			if slot, ok = s.find(nodes[1]); !ok {
				return false
			}
		}
		return s.leaf(x, w, slot)
	case opAnd:
		mark := len(s.e.why)
		for p, end := uint32(1), w&operandMask; p < end; {
			size := nodeSize(nodes[p])
			if !s.eval(x, nodes[p:p+size]) {
				s.e.why = s.e.why[:mark]
				return false
			}
			p += size
		}
		return true
	case opOr:
		ok := false
		for p, end := uint32(1), w&operandMask; p < end; {
			size := nodeSize(nodes[p])
			if s.eval(x, nodes[p:p+size]) {
				ok = true
			}
			p += size
		}
		return ok
	default: // opNot
		mark := len(s.e.why)
		ok := s.eval(x, nodes[1:])
		s.e.why = s.e.why[:mark]
		return !ok
	}
}

// leaf evaluates the shared leaf of program word w, once per notice: the
// first time it is asked, it evaluates the leaf and keeps the outcome and
// reasons; after that it repeats them. slot is where a keyed leaf's entry
// is in the notice's set.
func (s *matchState) leaf(x *Index, w uint32, slot int) bool {
	id := w & maxLeafID
	m := &s.memo[id]
	if m.notice != s.notice {
		if w&wordLeaf != 0 {
			s.evalWord(id, uint8(w>>fieldShift&allFields), slot)
		} else {
			s.evalLeaf(x, id)
		}
	}
	if m.end&memoHolds == 0 {
		return false
	}
	s.e.why = append(s.e.why, s.leafWhy[m.start:m.end&^memoHolds]...)
	return true
}

// evalWord evaluates a single-word leaf looking in the fields mask from the
// word and fields the notice's set holds for its entry, as wordsNode.match
// would, and keeps the outcome for this notice.
func (s *matchState) evalWord(id uint32, fields uint8, slot int) {
	start := uint32(len(s.leafWhy))
	end := start
	if in := s.setFields[slot] & fields; in != 0 {
		r := s.e.begin()
		s.e.say(`"`)
		s.e.say(s.setWord[slot])
		s.e.say(`" in `)
		s.e.say(field(bits.TrailingZeros8(in)).String())
		s.leafWhy = append(s.leafWhy, span{uint32(r), uint32(len(s.e.text))})
		end = uint32(len(s.leafWhy)) | memoHolds
	}
	s.memo[id] = memo{notice: s.notice, start: start, end: end}
}

// evalLeaf evaluates a leaf and keeps the outcome for this notice.
func (s *matchState) evalLeaf(x *Index, id uint32) {
	mark := len(s.e.why)
	ok := x.leaves.leaves[id].match(&s.e)
	start := len(s.leafWhy)
	s.leafWhy = append(s.leafWhy, s.e.why[mark:]...)
	s.e.why = s.e.why[:mark]
	end := uint32(len(s.leafWhy))
	if ok {
		end |= memoHolds
	}
	s.memo[id] = memo{notice: s.notice, start: uint32(start), end: end}
}
