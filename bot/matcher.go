package bot

// Matcher is the percolator: it holds the compiled queries of every profile
// and answers which of them a notice satisfies, and why. Implementations are
// safe for concurrent use.
type Matcher interface {
	// Compile parses a query of the profile language. A malformed query
	// returns EINVALID with a message that points at the problem.
	Compile(query string) (Query, error)
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
}

// Hit is a profile a notice satisfies.
type Hit struct {
	ProfileID int64
	Reasons   []string
}
