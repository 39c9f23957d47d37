package matching

import (
	"cmp"
	"slices"

	"github.com/tenderbot/tenderbot/bot"
)

// matchState is what matching one notice needs besides the index: the
// prepared notice, the entries it has, the outcome of each shared leaf. It
// is pooled, so that matching allocates nothing once its buffers have
// grown but the notice's folded text and the hits it returns.
type matchState struct {
	doc       document
	e         evaluation
	keys      keySet
	visit     []int32  // the entries of the notice's keys
	hasSet    []uint32 // a hash set of visit: entry+1 in each used place, 0 free
	setWord   []string // by place in hasSet: the notice's word, for a word's entry
	setFields []uint8  // by place in hasSet: the fields the word is in
	seen      []uint64 // by program offset, a bit: evaluated already (programs with several keys)
	touched   []uint32 // the words of seen set
	memo      []memo   // by leaf id
	notice    uint32   // tells this notice's marks from earlier ones'
	leafWhy   []span   // the reasons of the leaves evaluated
	hits      []hitSpans
	sorted    []hitSpans // room for sorting hits
	hitWhy    []span     // the reasons of the hits
}

// memo is the outcome of a leaf for the notice numbered notice: whether it
// holds (end&memoHolds), and its reasons, leafWhy[start:end&^memoHolds].
type memo struct {
	notice, start, end uint32
}

const memoHolds = 1 << 31

// hitSpans is a hit before its reasons become strings: hitWhy[start:end].
type hitSpans struct {
	id         int64
	start, end uint32
}

// acquire returns a matchState for n, prepared; x.mu is read-locked.
func (x *Index) acquire(n *bot.Notice) *matchState {
	s, _ := x.pool.Get().(*matchState)
	if s == nil {
		s = &matchState{}
	}
	s.doc.prepare(n, x.compiler.clock.Now())
	s.e = evaluation{d: &s.doc, text: s.e.text[:0], why: s.e.why[:0]}
	if words := len(x.code)/64 + 1; len(s.seen) < words {
		s.seen = make([]uint64, words+words/4)
	}
	if len(s.memo) < len(x.leaves.leaves) {
		s.memo = make([]memo, len(x.leaves.leaves)+len(x.leaves.leaves)/4)
	}
	if s.hasSet == nil {
		s.growSet(1024)
	}
	s.notice++
	if s.notice == 0 { // wrapped around: old numbers could pass as current
		clear(s.memo)
		s.notice = 1
	}
	s.visit, s.leafWhy, s.hits, s.hitWhy = s.visit[:0], s.leafWhy[:0], s.hits[:0], s.hitWhy[:0]
	return s
}

// done returns s to the pool.
func (x *Index) done(s *matchState) {
	for _, w := range s.touched {
		s.seen[w] = 0
	}
	s.touched = s.touched[:0]
	clear(s.hasSet)
	clear(s.setWord) // do not keep the notice's text alive
	x.pool.Put(s)
}

// gather finds the entries of the prepared notice's keys: its words, the
// prefixes of its words and its code keys. It marks them, so that the
// leaves keyed by other entries are known not to hold, and lists them, for
// their programs to be evaluated.
func (x *Index) gather(s *matchState) {
	d := &s.doc
	p := &x.posts
	for w, fields := range d.fieldsOf {
		if id, ok := p.words[w]; ok {
			s.enterWord(id, w, fields)
		}
		for l := 1; l <= len(w) && l < len(p.prefixLens); l++ {
			if p.prefixLens[l] == 0 {
				continue
			}
			if id, ok := p.prefixes[w[:l]]; ok {
				s.enter(id)
			}
		}
	}
	s.keys.collect(d)
	for _, k := range s.keys.all {
		if id, ok := p.codes[k]; ok {
			s.enter(id)
		}
	}
}

// enter marks and lists an entry, once: two words may share a prefix. It
// returns the entry's place in the set.
func (s *matchState) enter(id int32) int {
	if i, ok := s.find(uint32(id)); ok {
		return i
	}
	if 2*(len(s.visit)+1) > len(s.hasSet) { // keep the set at most half full
		words, fields := s.setWord, s.setFields
		old := s.hasSet
		s.growSet(2 * len(s.hasSet))
		for i, v := range old {
			if v != 0 {
				j, _ := s.find(v - 1)
				s.hasSet[j], s.setWord[j], s.setFields[j] = v, words[i], fields[i]
			}
		}
	}
	i, _ := s.find(uint32(id))
	s.hasSet[i] = uint32(id) + 1
	s.visit = append(s.visit, id)
	return i
}

// enterWord enters the entry of a word of the notice, keeping the word and
// the fields it is in for the single-word leaves keyed by it.
func (s *matchState) enterWord(id int32, word string, fields uint8) {
	i := s.enter(id)
	s.setWord[i], s.setFields[i] = word, fields
}

// growSet makes the set empty, with room for n.
func (s *matchState) growSet(n int) {
	s.hasSet, s.setWord, s.setFields = make([]uint32, n), make([]string, n), make([]uint8, n)
}

// find returns the place of entry e in the set of the notice's entries,
// and whether it is there: where it is, or would go, by linear probing
// from a multiplicative hash. The set is small enough to stay in the
// processor's nearest cache, unlike a mark per entry of the index.
func (s *matchState) find(e uint32) (int, bool) {
	mask := uint32(len(s.hasSet) - 1)
	for i := (e * 0x9E3779B1) >> 7 & mask; ; i = (i + 1) & mask {
		switch s.hasSet[i] {
		case e + 1:
			return int(i), true
		case 0:
			return int(i), false
		}
	}
}

// next returns the program of p if it is a candidate not seen before: one
// that can match a notice of the kind (bit kind), and, if it is filed
// under several keys, not yet returned for this notice.
func (x *Index) next(s *matchState, p posting, kind uint32) ([]uint32, bool) {
	if p.kinds()&kind == 0 {
		return nil, false
	}
	off := p.off()
	if p.keys() > 1 {
		w, bit := off/64, uint64(1)<<(off%64)
		if s.seen[w]&bit != 0 {
			return nil, false
		}
		if s.seen[w] == 0 {
			s.touched = append(s.touched, w)
		}
		s.seen[w] |= bit
	}
	return x.program(off), true
}

// verify evaluates every candidate, those filed under the notice's entries
// and those filed under none, and keeps the hits, sorted by profile ID.
func (x *Index) verify(s *matchState) {
	kind := uint32(1) << kindIndex(s.doc.kind)
	for i := -1; i < len(s.visit); i++ {
		progs := x.always
		if i >= 0 {
			progs = x.posts.progs[s.visit[i]]
		}
		for _, p := range progs {
			prog, ok := x.next(s, p, kind)
			if !ok {
				continue
			}
			s.e.why = s.e.why[:0]
			if !s.eval(x, programNodes(prog)) {
				continue
			}
			why := s.e.dedupe(s.e.why)
			start := len(s.hitWhy)
			s.hitWhy = append(s.hitWhy, why...)
			s.hits = append(s.hits, hitSpans{id: programID(prog), start: uint32(start), end: uint32(len(s.hitWhy))})
		}
	}
	s.sortHits()
}

// sortHits sorts the hits by profile ID: a radix sort, byte by byte of
// the IDs, as far as they differ; a comparison sort took a tenth of the
// time of a match at a million profiles.
func (s *matchState) sortHits() {
	if len(s.hits) < 64 {
		slices.SortFunc(s.hits, func(a, b hitSpans) int { return cmp.Compare(a.id, b.id) })
		return
	}
	lo, hi := s.hits[0].id, s.hits[0].id
	for _, h := range s.hits {
		lo, hi = min(lo, h.id), max(hi, h.id)
	}
	s.sorted = slices.Grow(s.sorted[:0], len(s.hits))[:len(s.hits)]
	src, dst := s.hits, s.sorted
	for shift := 0; shift < 64 && (uint64(hi-lo)>>shift) != 0; shift += 8 {
		var count [257]int
		for _, h := range src {
			count[int(uint8(uint64(h.id-lo)>>shift))+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for _, h := range src {
			b := uint8(uint64(h.id-lo) >> shift)
			dst[count[b]] = h
			count[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &s.hits[0] {
		copy(s.hits, src)
	}
}

// Match returns the profiles n satisfies, sorted by profile ID, each with
// its reasons: exactly what Scan.Match returns for the same profiles.
func (x *Index) Match(n *bot.Notice) []bot.Hit {
	if n == nil {
		return nil
	}
	x.mu.RLock()
	s := x.acquire(n)
	x.gather(s)
	x.verify(s)
	x.mu.RUnlock()
	defer x.done(s)
	if len(s.hits) == 0 {
		return nil
	}
	// Three allocations, whatever the number of hits: the reasons' text,
	// the hits, and their reasons, which share the text.
	text := string(s.e.text)
	hits := make([]bot.Hit, len(s.hits))
	reasons := make([]string, len(s.hitWhy))
	for i, sp := range s.hitWhy {
		reasons[i] = text[sp.start:sp.end]
	}
	for i, h := range s.hits {
		hits[i].ProfileID = h.id
		if h.end > h.start {
			hits[i].Reasons = reasons[h.start:h.end:h.end]
		}
	}
	return hits
}

// AppendMatches appends to dst the IDs of the profiles n satisfies, sorted,
// without their reasons: the matching of Match without building its
// result, which allocates nothing but the notice's folded text once dst
// has room.
func (x *Index) AppendMatches(dst []int64, n *bot.Notice) []int64 {
	if n == nil {
		return dst
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := x.acquire(n)
	defer x.done(s)
	x.gather(s)
	x.verify(s)
	for _, h := range s.hits {
		dst = append(dst, h.id)
	}
	return dst
}

// Candidates returns how many profiles Match evaluates for n: those filed
// under one of its keys, and those filed under none, that can match a
// notice of its kind. Divided by Len, it measures how much work the index
// saves over a scan.
func (x *Index) Candidates(n *bot.Notice) int {
	if n == nil {
		return 0
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := x.acquire(n)
	defer x.done(s)
	x.gather(s)
	kind := uint32(1) << kindIndex(s.doc.kind)
	count := 0
	for i := -1; i < len(s.visit); i++ {
		progs := x.always
		if i >= 0 {
			progs = x.posts.progs[s.visit[i]]
		}
		for _, p := range progs {
			if _, ok := x.next(s, p, kind); ok {
				count++
			}
		}
	}
	return count
}
