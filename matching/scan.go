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
	mu       sync.RWMutex
	profiles map[int64]*Query
}

var _ bot.Matcher = (*Scan)(nil)

// NewScan returns a Scan without profiles.
func NewScan() *Scan {
	return &Scan{profiles: make(map[int64]*Query)}
}

// Compile parses a query of the profile language; see the package Compile.
// It returns EINVALID for a malformed query.
func (s *Scan) Compile(query string) (bot.Query, error) {
	q, err := Compile(query)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return q, nil
}

// Put adds or replaces the profile's query. q must be a non-nil *Query, as
// Compile returns: Put panics on anything else, because a query it cannot
// evaluate would silently stop a profile's alerts.
func (s *Scan) Put(profileID int64, q bot.Query) {
	mq, ok := q.(*Query)
	if !ok || mq == nil {
		panic(fmt.Sprintf("matching: Scan.Put(%d) got a %T; pass a query from Compile", profileID, q))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[profileID] = mq
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
	d := prepare(n)
	var hits []bot.Hit
	s.mu.RLock()
	for id, q := range s.profiles {
		if reasons, ok := q.match(d); ok {
			hits = append(hits, bot.Hit{ProfileID: id, Reasons: reasons})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(hits, func(a, b bot.Hit) int { return cmp.Compare(a.ProfileID, b.ProfileID) })
	return hits
}
