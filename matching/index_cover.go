package matching

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// What the index files a profile under: a cover, a set of keys of which
// every notice the profile matches has at least one. The index picks, of
// the covers a query allows, the one notices are expected to hit least
// often, from how often each key occurred in a sample of notices.

// keyKind says how an indexKey is looked up.
type keyKind uint8

const (
	keyCode   keyKind = iota // a code key
	keyWord                  // a whole word
	keyPrefix                // the start of a word
)

// indexKey is one key of a cover.
type indexKey struct {
	kind keyKind
	code key    // keyCode
	text string // keyWord, keyPrefix
}

// maxCoverKeys bounds the keys one profile is filed under; a query whose
// every cover is larger is checked against every notice instead.
const maxCoverKeys = keyMask

// cover is a set of keys and the expected share of notices that have one.
type cover struct {
	keys []indexKey
	cost float64
}

// coverOf returns the cheapest cover of n, or false when some notice
// without any key can satisfy n (an exclusion, a value or deadline
// filter): such a profile is checked against every notice.
func coverOf(n node, st *keyStats) (cover, bool) {
	switch n := n.(type) {
	case *andNode:
		return andCover(n, st)
	case *orNode:
		var all cover
		for _, c := range n.children {
			cc, ok := coverOf(c, st)
			if !ok || len(all.keys)+len(cc.keys) > maxCoverKeys {
				return cover{}, false
			}
			all.keys = append(all.keys, cc.keys...)
			all.cost += cc.cost
		}
		return all, true
	case *wordsNode:
		var best cover
		for _, t := range n.terms {
			k := indexKey{kind: keyWord, text: t.text}
			if t.prefix {
				k.kind = keyPrefix
			}
			if c := st.freq(k); best.keys == nil || c < best.cost {
				best = cover{keys: []indexKey{k}, cost: c}
			}
		}
		return best, true
	case *cpvNode:
		return codeCover(n.prefixes, keyOfCPV, st)
	case *nutsNode:
		return codeCover(n.codes, keyOfNUTS, st)
	case *countryNode:
		return codeCover(n.codes, keyOfCountry, st)
	case *kindNode:
		var c cover
		for i := range kinds {
			if n.mask&(1<<i) != 0 {
				k := indexKey{code: keyOfKind(i)}
				c.keys = append(c.keys, k)
				c.cost += st.freq(k)
			}
		}
		return c, true
	}
	return cover{}, false // notNode, valueNode, deadlineNode
}

// codeCover covers a list of codes, any of which may match, by their keys.
func codeCover(codes []string, keyOf func(string) (key, bool), st *keyStats) (cover, bool) {
	if len(codes) > maxCoverKeys {
		return cover{}, false
	}
	var c cover
	for _, code := range codes {
		k, ok := keyOf(code)
		if !ok {
			return cover{}, false
		}
		ik := indexKey{code: k}
		c.keys = append(c.keys, ik)
		c.cost += st.freq(ik)
	}
	return c, true
}

// andCover returns the cheapest cover of any one child, or of a CPV child
// and a NUTS child together: "cpv:45 nuts:NL21" is filed under the pair
// (45, NL21), which far fewer notices have than either.
func andCover(n *andNode, st *keyStats) (cover, bool) {
	var best cover
	found := false
	consider := func(c cover) {
		if !found || c.cost < best.cost {
			best, found = c, true
		}
	}
	var cpvs []*cpvNode
	var nuts []*nutsNode
	for _, child := range n.children {
		if c, ok := coverOf(child, st); ok {
			consider(c)
		}
		switch child := child.(type) {
		case *cpvNode:
			cpvs = append(cpvs, child)
		case *nutsNode:
			nuts = append(nuts, child)
		}
	}
	for _, c := range cpvs {
		for _, r := range nuts {
			if pc, ok := pairCover(c, r, st); ok {
				consider(pc)
			}
		}
	}
	return best, found
}

// pairCover covers a CPV node and a NUTS node both required, by every pair
// of their codes.
func pairCover(c *cpvNode, r *nutsNode, st *keyStats) (cover, bool) {
	if len(c.prefixes)*len(r.codes) > maxCoverKeys {
		return cover{}, false
	}
	var pc cover
	for _, p := range c.prefixes {
		ck, _ := keyOfCPV(p)
		for _, code := range r.codes {
			nk, _ := keyOfNUTS(code)
			k := indexKey{code: keyOfPair(ck, nk)}
			pc.keys = append(pc.keys, k)
			pc.cost += st.freq(k)
		}
	}
	return pc, true
}

// keyStats counts in how many notices of a sample each key occurs.
type keyStats struct {
	notices  float64
	codes    map[key]int32
	words    map[string]int32
	sorted   []string           // the distinct words of the sample, sorted
	prefixes map[string]float64 // prefix → estimated share, memoised
}

// newKeyStats counts the keys of sample, prepared at now.
func newKeyStats(sample []bot.Notice, now time.Time) *keyStats {
	st := &keyStats{
		notices:  float64(len(sample)),
		codes:    make(map[key]int32),
		words:    make(map[string]int32),
		prefixes: make(map[string]float64),
	}
	var d document
	var ks keySet
	for i := range sample {
		d.prepare(&sample[i], now)
		ks.collect(&d)
		for _, k := range ks.all {
			st.codes[k]++
		}
		for w := range d.fieldsOf {
			st.words[strings.Clone(w)]++
		}
	}
	for w := range st.words {
		st.sorted = append(st.sorted, w)
	}
	slices.Sort(st.sorted)
	return st
}

// freq estimates the share of notices that have k: its share in the
// sample, smoothed towards a prior guessed from the key's shape, which is
// all there is without a sample.
func (st *keyStats) freq(k indexKey) float64 {
	switch k.kind {
	case keyWord:
		return st.smooth(float64(st.words[k.text]), wordPrior(k.text))
	case keyPrefix:
		return st.prefixFreq(k.text)
	}
	var prior float64
	switch k.code >> tagShift {
	case tagCPV:
		prior = 0.15 * math.Pow(0.2, float64(k.code>>27&0xF-2))
	case tagNUTS:
		prior = 0.1 * math.Pow(0.25, float64(nutsLen(k.code)-2))
	case tagPair:
		const cpvMask, nutsMask = 1<<cpvBits - 1, 1<<nutsBits - 1
		c := indexKey{code: tagCPV<<tagShift | k.code>>nutsBits&cpvMask}
		n := indexKey{code: tagNUTS<<tagShift | k.code&nutsMask}
		prior = st.freq(c) * st.freq(n)
	case tagCountry:
		prior = 0.1
	case tagKind:
		prior = [...]float64{0.2, 0.5, 0.2, 0.05, 0.05}[k.code&7]
	}
	return st.smooth(float64(st.codes[k.code]), prior)
}

// smooth returns a count's share of the sample as if one more notice,
// having the key with probability prior, had been seen.
func (st *keyStats) smooth(count, prior float64) float64 {
	return (count + prior) / (st.notices + 1)
}

// wordPrior guesses the share of notices with a word: longer words are
// rarer.
func wordPrior(w string) float64 {
	return min(0.1, 0.5/float64(len(w)*len(w)))
}

// prefixFreq estimates the share of notices with a word starting with p
// from the words of the sample that do (an overestimate where one notice
// has several).
func (st *keyStats) prefixFreq(p string) float64 {
	if f, ok := st.prefixes[p]; ok {
		return f
	}
	sum := 0.0
	for _, w := range withPrefix(st.sorted, p) {
		sum += float64(st.words[w])
	}
	f := st.smooth(min(sum, st.notices), min(0.3, 3*wordPrior(p)))
	st.prefixes[p] = f
	return f
}

// nutsLen returns the number of characters of a NUTS key.
func nutsLen(k key) int {
	v := k & (1<<nutsBits - 1)
	n := maxNUTS
	for n > 0 && v%37 == 0 {
		v /= 37
		n--
	}
	return n
}
