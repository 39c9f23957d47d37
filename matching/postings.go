package matching

import "slices"

// posting is a program's place in a posting list: its offset in the arena,
// and, copied from its header, the kinds of notice it can match and the
// number of keys it is filed under, so that a candidate of the wrong kind
// is turned away without reading its program.
type posting uint64

// postingOf returns the posting of the program at off with header h.
func postingOf(off, h uint32) posting { return posting(off)<<32 | posting(h>>kindShift) }

func (p posting) off() uint32   { return uint32(p >> 32) }
func (p posting) kinds() uint32 { return uint32(p) & allKinds }
func (p posting) keys() uint32  { return uint32(p) >> (keyShift - kindShift) & keyMask }

// postings map each key to an entry: the programs of the profiles filed
// under the key, by their offset in the arena, and a count of the shared
// leaves that can only hold for a notice with the key. An entry is known by
// a 32-bit id, which a profile's program and a leaf record, so that
// removing them finds their entries.
type postings struct {
	words    map[string]int32 // whole word → entry
	prefixes map[string]int32 // start of a word → entry
	codes    map[key]int32    // code key → entry
	// prefixLens counts the prefix keys of each length in bytes, so that a
	// notice's word is looked up only by the lengths some prefix has.
	prefixLens []int32
	progs      [][]posting // by entry: the programs filed under it, in arena order after a layout
	leafRefs   []int32     // by entry: leaves keyed by it
	keyOf      []indexKey  // by entry, to forget the key when the entry empties
	free       []int32
}

func newPostings() postings {
	return postings{
		words:    make(map[string]int32),
		prefixes: make(map[string]int32),
		codes:    make(map[key]int32),
	}
}

// addLeaf counts a leaf keyed by k and returns the id of k's entry.
func (p *postings) addLeaf(k indexKey) int32 {
	id := p.entry(k)
	p.leafRefs[id]++
	return id
}

// lookup returns the id of k's entry.
func (p *postings) lookup(k indexKey) (int32, bool) {
	var id int32
	var ok bool
	switch k.kind {
	case keyWord:
		id, ok = p.words[k.text]
	case keyPrefix:
		id, ok = p.prefixes[k.text]
	default:
		id, ok = p.codes[k.code]
	}
	return id, ok
}

// entry returns the id of k's entry, making an empty one when there is
// none.
func (p *postings) entry(k indexKey) int32 {
	if id, ok := p.lookup(k); ok {
		return id
	}
	var id int32
	if n := len(p.free); n > 0 {
		id, p.free = p.free[n-1], p.free[:n-1]
		p.keyOf[id] = k
	} else {
		id = int32(len(p.progs))
		p.progs = append(p.progs, nil)
		p.leafRefs = append(p.leafRefs, 0)
		p.keyOf = append(p.keyOf, k)
	}
	switch k.kind {
	case keyWord:
		p.words[k.text] = id
	case keyPrefix:
		p.prefixes[k.text] = id
		if len(k.text) >= len(p.prefixLens) {
			p.prefixLens = append(p.prefixLens, make([]int32, len(k.text)+1-len(p.prefixLens))...)
		}
		p.prefixLens[len(k.text)]++
	default:
		p.codes[k.code] = id
	}
	return id
}

// removeProgram takes a program off entry id.
func (p *postings) removeProgram(id int32, prog posting) {
	p.progs[id] = deleteUnordered(p.progs[id], prog)
	p.forgetIfEmpty(id)
}

// removeLeaf uncounts a leaf keyed by entry id.
func (p *postings) removeLeaf(id int32) {
	p.leafRefs[id]--
	p.forgetIfEmpty(id)
}

// deleteUnordered removes v from l, moving the last element into its place.
func deleteUnordered[T comparable](l []T, v T) []T {
	i := slices.Index(l, v)
	l[i] = l[len(l)-1]
	return l[:len(l)-1]
}

// forgetIfEmpty forgets the key of an entry nothing is filed under.
func (p *postings) forgetIfEmpty(id int32) {
	if len(p.progs[id]) > 0 || p.leafRefs[id] > 0 {
		return
	}
	k := p.keyOf[id]
	switch k.kind {
	case keyWord:
		delete(p.words, k.text)
	case keyPrefix:
		delete(p.prefixes, k.text)
		p.prefixLens[len(k.text)]--
	default:
		delete(p.codes, k.code)
	}
	p.progs[id], p.keyOf[id] = nil, indexKey{}
	p.free = append(p.free, id)
}
