package matching

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func mustCompile(t testing.TB, query string) *Query {
	t.Helper()
	q, err := Compile(query)
	if err != nil {
		t.Fatalf("Compile(%q): %v", query, err)
	}
	return q
}

func hitIDs(hits []bot.Hit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ProfileID
	}
	return ids
}

func TestScanMatch(t *testing.T) {
	s := NewScan()
	s.Put(30, mustCompile(t, "renovatie"))
	s.Put(10, mustCompile(t, "cpv:45 nuts:NL21"))
	s.Put(20, mustCompile(t, "asbest"))
	s.Put(5, mustCompile(t, "-asbest"))

	hits := s.Match(twente)
	if got, want := hitIDs(hits), []int64{5, 10, 30}; !slices.Equal(got, want) {
		t.Fatalf("Match() profiles = %v, want %v", got, want)
	}
	want := []bot.Hit{
		{ProfileID: 5},
		{ProfileID: 10, Reasons: []string{"cpv 45210000 under 45", "region NL213 under NL21"}},
		{ProfileID: 30, Reasons: []string{`"renovatie" in title`}},
	}
	for i, h := range hits {
		if h.ProfileID != want[i].ProfileID || !slices.Equal(h.Reasons, want[i].Reasons) {
			t.Errorf("Match()[%d] = %+v, want %+v", i, h, want[i])
		}
	}

	t.Run("put replaces", func(t *testing.T) {
		s.Put(30, mustCompile(t, "asbest"))
		if got, want := hitIDs(s.Match(twente)), []int64{5, 10}; !slices.Equal(got, want) {
			t.Errorf("after replacing profile 30, Match() profiles = %v, want %v", got, want)
		}
	})
	t.Run("remove", func(t *testing.T) {
		s.Remove(10)
		s.Remove(999) // unknown: nothing happens
		if got, want := hitIDs(s.Match(twente)), []int64{5}; !slices.Equal(got, want) {
			t.Errorf("after removing profile 10, Match() profiles = %v, want %v", got, want)
		}
		if got := s.Len(); got != 3 {
			t.Errorf("Len() = %d, want 3", got)
		}
	})
	t.Run("nil notice", func(t *testing.T) {
		if got := s.Match(nil); got != nil {
			t.Errorf("Match(nil) = %v, want nil", got)
		}
	})
}

func TestScanCompile(t *testing.T) {
	s := NewScan()
	q, err := s.Compile("Renovatie OR cpv:45000000")
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	if got, want := q.String(), "renovatie OR cpv:45"; got != want {
		t.Errorf("Compile().String() = %q, want %q", got, want)
	}
	q, err = s.Compile("valeu:10")
	if q != nil {
		t.Errorf("Compile(invalid) query = %#v, want a nil interface", q)
	}
	if got := bot.ErrorCode(err); got != bot.EINVALID {
		t.Errorf("Compile(invalid) error code = %q, want %q", got, bot.EINVALID)
	}
}

// otherQuery is a bot.Query from some other matcher.
type otherQuery struct{}

func (otherQuery) String() string                      { return "other" }
func (otherQuery) Match(*bot.Notice) ([]string, bool)  { return nil, true }
func (otherQuery) Keywords() []string                  { return nil }
func (otherQuery) Explain(*bot.Notice) bot.Explanation { return bot.Explanation{} }

func TestScanPutPanicsOnForeignQuery(t *testing.T) {
	for _, q := range []bot.Query{otherQuery{}, (*Query)(nil), nil} {
		t.Run(fmt.Sprintf("%T", q), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Put(%T) did not panic", q)
				}
			}()
			NewScan().Put(1, q)
		})
	}
}

func TestScanConcurrent(t *testing.T) {
	s := NewScan()
	queries := []*Query{
		mustCompile(t, "renovatie"),
		mustCompile(t, "cpv:45"),
		mustCompile(t, "asbest OR nuts:NL"),
		mustCompile(t, "-zonne*"),
	}
	const workers, rounds = 8, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				id := int64(w*rounds + i%50)
				switch i % 3 {
				case 0, 1:
					s.Put(id, queries[i%len(queries)])
				default:
					s.Remove(id)
				}
			}
		})
		wg.Go(func() {
			for range rounds {
				hits := s.Match(twente)
				if !slices.IsSortedFunc(hits, func(a, b bot.Hit) int { return int(a.ProfileID - b.ProfileID) }) {
					t.Errorf("Match() profiles %v are not sorted", hitIDs(hits))
					return
				}
			}
		})
	}
	wg.Wait()

	// The scan agrees with evaluating each query on its own.
	s2 := NewScan()
	var want []bot.Hit
	for i, q := range queries {
		s2.Put(int64(i), q)
		if reasons, ok := q.Match(twente); ok {
			want = append(want, bot.Hit{ProfileID: int64(i), Reasons: reasons})
		}
	}
	got := s2.Match(twente)
	if !slices.EqualFunc(got, want, func(a, b bot.Hit) bool {
		return a.ProfileID == b.ProfileID && slices.Equal(a.Reasons, b.Reasons)
	}) {
		t.Errorf("Match() = %+v, want %+v", got, want)
	}
}
