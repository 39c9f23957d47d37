package bot

// Matcher is the percolator: it holds the compiled queries of every profile
// and answers which of them a notice satisfies, and why. Implementations are
// safe for concurrent use.
type Matcher interface {
	// Compile parses a query of the profile language. A malformed query
	// returns EINVALID with a message that points at the problem.
	Compile(query string) (Query, error)
	// CompileProfile compiles the query of a new profile: like Compile, but
	// it adds the defaults a profile has when its query leaves them out,
	// so that the canonical form shown back says what will be alerted.
	// Stored profiles are compiled with Compile: their canonical form
	// already says.
	CompileProfile(query string) (Query, error)
	// CompileStored compiles the query of a stored profile, checking its
	// syntax only: a code list loaded after the profile was saved must
	// not silently stop its alerts.
	CompileStored(query string) (Query, error)
	// Put adds or replaces the profile's query; q comes from Compile.
	Put(profileID int64, q Query)
	// Remove forgets the profile.
	Remove(profileID int64)
	// Match returns the profiles n satisfies, each with its reasons.
	Match(n *Notice) []Hit
}

// Query is one compiled query.
type Query interface {
	// String returns the query in canonical form.
	String() string
	// Match reports whether n satisfies the query, and why.
	Match(n *Notice) (reasons []string, ok bool)
	// Keywords returns words of which every matching notice contains at
	// least one (a trailing * marks a prefix), or nil when the query can
	// match a notice without any word: a full-text index can narrow a search
	// by them without losing a match.
	Keywords() []string
	// Explain says, condition by condition, why n satisfies the query or
	// why not; Matched is what Match reports.
	Explain(n *Notice) Explanation
}

// Explanation says why a query matches a notice, or why not, in plain words
// for the person who wrote the query.
type Explanation struct {
	Matched bool
	// Lines are the query's conditions, one a line, each marked ✓ (holds)
	// or ✗ (does not) and indented two spaces per level of brackets:
	// "✓ cpv 45210000 under 45", "✗ no region in NL21 (the notice is in NL329)".
	Lines []string
}

// Hit is a profile a notice satisfies.
type Hit struct {
	ProfileID int64
	Reasons   []string
}

// HitProfiles returns the profile ids of hits, in order, and each one's
// reasons by id: what reading the profiles of a match takes.
func HitProfiles(hits []Hit) (ids []int64, reasons map[int64][]string) {
	ids = make([]int64, len(hits))
	reasons = make(map[int64][]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ProfileID
		reasons[h.ProfileID] = h.Reasons
	}
	return ids, reasons
}
