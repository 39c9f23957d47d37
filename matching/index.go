package matching

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/tenderbot/tenderbot/bot"
)

// Index is a bot.Matcher that finds the profiles a notice satisfies without
// evaluating every profile, in the manner of the Elasticsearch percolator
// and Lucene Monitor: each profile is filed under a few keys that every
// notice it matches must have (a CPV prefix, a NUTS prefix, a CPV×NUTS
// pair, its rarest required word), chosen as the rarest by counting keys in
// sample notices; a notice looks up its own keys, and only the profiles
// found there (and those no key covers, such as exclusions only) are
// evaluated. It returns exactly what Scan returns: the same profiles, the
// same reasons, in the same order.
//
// To stay small at a million profiles an Index keeps no Query: it stores
// each profile as a few 32-bit words of structure (and, or, not) over
// leaves (words, phrases, fields) that all profiles share, and evaluates
// each shared leaf at most once per notice. An Index is safe for concurrent
// use; Match runs concurrently with other Matches, Put and Remove wait for
// them.
type Index struct {
	compiler *compiler

	mu       sync.RWMutex
	stats    *keyStats
	offsetOf map[int64]uint32 // profile ID → offset of its program in code
	code     []uint32         // the programs (see program.go)
	garbage  int              // words of code no profile uses
	laidOut  int              // len(code) after the last layout
	always   []posting        // programs filed under no key
	leaves   leafTable
	posts    postings

	pool sync.Pool // *matchState
}

var _ bot.Matcher = (*Index)(nil)

// NewIndex returns an Index without profiles, configured by opts; its key
// choices are guided by opts.Sample.
func NewIndex(opts Options) *Index {
	c := newCompiler(opts)
	return &Index{
		compiler: c,
		stats:    newKeyStats(opts.Sample, c.clock.Now()),
		offsetOf: make(map[int64]uint32),
		leaves:   newLeafTable(),
		posts:    newPostings(),
	}
}

// Compile parses a query of the profile language; see the package Compile.
// It returns EINVALID for a malformed query, or a code the vocabulary does
// not know.
func (x *Index) Compile(query string) (bot.Query, error) {
	return asBotQuery(x.compiler.compile(query))
}

// CompileProfile compiles the query of a new profile: like Compile, but a
// query that names no kind: gets kind:early,tender added.
func (x *Index) CompileProfile(query string) (bot.Query, error) {
	return asBotQuery(x.compiler.compileProfile(query))
}

// CompileStored compiles a stored profile's query, checking its syntax
// only: codes the loaded lists do not know still match as written.
func (x *Index) CompileStored(query string) (bot.Query, error) {
	return asBotQuery(x.compiler.syntaxOnly().compile(query))
}

// Put adds or replaces the profile's query. q must be a non-nil *Query, as
// Compile returns: Put panics on anything else, because a query it cannot
// evaluate would silently stop a profile's alerts.
func (x *Index) Put(profileID int64, q bot.Query) {
	mq := mustQuery("Index", profileID, q)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(profileID)

	c, ok := coverOf(mq.root, x.stats)
	if !ok {
		c.keys = nil
	}
	entries := make([]int32, len(c.keys))
	for i, k := range c.keys {
		entries[i] = x.posts.entry(k)
	}
	slices.Sort(entries)
	entries = slices.Compact(entries) // "a OR a" is filed under a once
	off := uint32(len(x.code))
	x.code = x.appendProgram(x.code, profileID, entries, mq.root)
	x.file(off)
	x.offsetOf[profileID] = off
	if len(x.code) > 1<<16 && len(x.code) > 2*x.laidOut {
		x.layout()
	}
}

// file adds the program at off to the posting lists of its entries, or to
// the always list when it has none.
func (x *Index) file(off uint32) {
	prog := x.program(off)
	p := postingOf(off, prog[0])
	keys := programKeys(prog)
	if len(keys) == 0 {
		x.always = append(x.always, p)
	}
	for _, e := range keys {
		x.posts.progs[e] = append(x.posts.progs[e], p)
	}
}

// Remove forgets the profile; removing an unknown profile does nothing.
func (x *Index) Remove(profileID int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(profileID)
}

// remove forgets the profile; x.mu is held.
func (x *Index) remove(profileID int64) {
	off, ok := x.offsetOf[profileID]
	if !ok {
		return
	}
	delete(x.offsetOf, profileID)
	prog := x.program(off)
	keys := programKeys(prog)
	p := postingOf(off, prog[0])
	for _, e := range keys {
		x.posts.removeProgram(int32(e), p)
	}
	if len(keys) == 0 {
		x.always = deleteUnordered(x.always, p)
	}
	forLeaves(programNodes(prog), x.release)
	prog[0] |= deadProgram
	x.garbage += len(prog)
	if x.garbage > 1<<16 && x.garbage > len(x.code)/2 {
		x.layout()
	}
}

// Compact rewrites the index's memory for speed after many profiles have
// been put or removed, as layout says. Put and Remove do so by themselves
// as the index doubles or halves; call Compact after loading every stored
// profile, so that matching starts from the best layout.
func (x *Index) Compact() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.layout()
}

// layout rewrites the arena without the programs of removed profiles, with
// the programs filed under the same first key next to each other, and
// refiles them: a notice then reads each posting list's programs from one
// stretch of memory instead of from all over it. Put runs it whenever the
// arena has doubled, so it costs a constant time per profile.
func (x *Index) layout() {
	// Count the words of the programs by first entry (the last bucket: no
	// entry), then copy each bucket's programs together, reading the old
	// arena in order.
	buckets := len(x.posts.progs) + 1
	first := func(prog []uint32) int {
		if keys := programKeys(prog); len(keys) > 0 {
			return int(keys[0])
		}
		return buckets - 1
	}
	live := func(yield func([]uint32) bool) {
		for off := 0; off < len(x.code); {
			prog := x.program(uint32(off))
			off += len(prog)
			if prog[0]&deadProgram == 0 && !yield(prog) {
				return
			}
		}
	}
	at := make([]int, buckets+1)
	for prog := range live {
		at[first(prog)+1] += len(prog)
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	code := make([]uint32, len(x.code)-x.garbage)
	for prog := range live {
		b := first(prog)
		x.offsetOf[programID(prog)] = uint32(at[b])
		at[b] += copy(code[at[b]:], prog)
	}
	for e := range x.posts.progs {
		x.posts.progs[e] = x.posts.progs[e][:0]
	}
	x.always = x.always[:0]
	x.code, x.garbage, x.laidOut = code, 0, len(code)
	for off := uint32(0); off < uint32(len(code)); off += programLen(code[off]) {
		x.file(off)
	}
}

// program returns the program at off.
func (x *Index) program(off uint32) []uint32 {
	return x.code[off : off+programLen(x.code[off])]
}

// Len returns the number of profiles.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.offsetOf)
}

// leafTable interns the leaves of every profile's query: a leaf is stored
// once, however many profiles use it, and is known by a 30-bit id.
//
// A leaf that can only hold for a notice with one particular key (a word,
// a phrase's rarest word, a single code) records that key's entry: while a
// notice is matched, such a leaf is evaluated only if the notice has the
// key, and otherwise known not to hold without looking at it.
type leafTable struct {
	leaves []leaf            // by id; nil when free
	refs   []uint32          // by id: how many program words refer to it
	entry  []int32           // by id: the entry of its key, or noEntry
	byText map[string]uint32 // canonical form → id
	free   []uint32
}

// noEntry marks a leaf without a single key.
const noEntry = -1

func newLeafTable() leafTable { return leafTable{byText: make(map[string]uint32)} }

// intern returns the id of l, adding it when new, and counts a reference;
// x.mu is held.
func (x *Index) intern(l leaf) uint32 {
	t := &x.leaves
	var b strings.Builder
	l.format(&b)
	text := b.String()
	id, ok := t.byText[text]
	if !ok {
		if n := len(t.free); n > 0 {
			id, t.free = t.free[n-1], t.free[:n-1]
			t.leaves[id] = l
		} else {
			id = uint32(len(t.leaves))
			if id > maxLeafID {
				panic(fmt.Sprintf("matching: more than %d distinct words, phrases and fields in the profiles", maxLeafID))
			}
			t.leaves = append(t.leaves, l)
			t.refs = append(t.refs, 0)
			t.entry = append(t.entry, noEntry)
		}
		t.byText[text] = id
		if c, ok := coverOf(l, x.stats); ok && len(c.keys) == 1 {
			t.entry[id] = x.posts.addLeaf(c.keys[0])
		}
	}
	t.refs[id]++
	return id
}

// release drops a reference to the leaf, forgetting it after the last;
// x.mu is held.
func (x *Index) release(id uint32) {
	t := &x.leaves
	t.refs[id]--
	if t.refs[id] > 0 {
		return
	}
	if e := t.entry[id]; e != noEntry {
		x.posts.removeLeaf(e)
	}
	var b strings.Builder
	t.leaves[id].format(&b)
	delete(t.byText, b.String())
	t.leaves[id], t.entry[id] = nil, noEntry
	t.free = append(t.free, id)
}
