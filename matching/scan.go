package matching

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/tenderbot/tenderbot/bot"
)

// Scan is a bot.Matcher that evaluates every profile's query against each
// notice. It is the plain, obviously correct matcher: an index must return
// exactly what Scan returns, and tests hold it to that. Scan is safe for
// concurrent use.
type Scan struct {
	compiler *compiler
	mu       sync.RWMutex
	profiles map[int64]*Query
}

var _ bot.Matcher = (*Scan)(nil)

// NewScan returns a Scan without profiles that checks codes for syntax
// only and reads the system clock.
func NewScan() *Scan { return NewScanWith(Options{}) }

// NewScanWith returns a Scan without profiles, configured by opts.
func NewScanWith(opts Options) *Scan {
	return &Scan{compiler: newCompiler(opts), profiles: make(map[int64]*Query)}
}

// Compile parses a query of the profile language; see the package Compile.
// It returns EINVALID for a malformed query, or a code the vocabulary does
// not know.
func (s *Scan) Compile(query string) (bot.Query, error) {
	return asBotQuery(s.compiler.compile(query))
}

// CompileProfile compiles the query of a new profile: like Compile, but a
// query that names no kind: gets kind:early,tender added.
func (s *Scan) CompileProfile(query string) (bot.Query, error) {
	return asBotQuery(s.compiler.compileProfile(query))
}

// CompileStored compiles a stored profile's query, checking its syntax
// only: codes the loaded lists do not know still match as written.
func (s *Scan) CompileStored(query string) (bot.Query, error) {
	return asBotQuery(s.compiler.syntaxOnly().compile(query))
}

// asBotQuery returns q as a bot.Query, and a nil interface, not a typed
// nil, on error.
func asBotQuery(q *Query, err error) (bot.Query, error) {
	if err != nil {
		return nil, err
	}
	return q, nil
}

// Put adds or replaces the profile's query. q must be a non-nil *Query, as
// Compile returns: Put panics on anything else, because a query it cannot
// evaluate would silently stop a profile's alerts.
func (s *Scan) Put(profileID int64, q bot.Query) {
	mq := mustQuery("Scan", profileID, q)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[profileID] = mq
}

// mustQuery returns q as a *Query or panics.
func mustQuery(matcher string, profileID int64, q bot.Query) *Query {
	mq, ok := q.(*Query)
	if !ok || mq == nil {
		panic(fmt.Sprintf("matching: %s.Put(%d) got a %T; pass a query from Compile", matcher, profileID, q))
	}
	return mq
}

// Remove forgets the profile; removing an unknown profile does nothing.
func (s *Scan) Remove(profileID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.profiles, profileID)
}

// Len returns the number of profiles.
func (s *Scan) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.profiles)
}

// Match returns the profiles n satisfies, sorted by profile ID, each with
// its reasons. The notice is prepared once for all profiles.
func (s *Scan) Match(n *bot.Notice) []bot.Hit {
	if n == nil {
		return nil
	}
	e := evaluation{d: prepare(n, s.compiler.clock.Now())}
	var hits []bot.Hit
	s.mu.RLock()
	for id, q := range s.profiles {
		e.reset()
		if q.root.match(&e) {
			hits = append(hits, bot.Hit{ProfileID: id, Reasons: e.strings(e.why)})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(hits, func(a, b bot.Hit) int { return cmp.Compare(a.ProfileID, b.ProfileID) })
	return hits
}
