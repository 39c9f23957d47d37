package matching

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/matching/workload"
)

// handProfiles exercise every kind of key and leaf, on top of the
// generated ones.
var handProfiles = []string{
	"renovatie", "cpv:45 nuts:NL21", "-asbest", "zonne*", `"platte dak"`, "cpv:51 OR almelo",
	"kind:tender", "value:>=50k", "value:<1mEUR", "deadline:>=7d", "country:NL cpv:45",
	"nuts:NL33", "nuts:NL36 cpv:45", "nuts:NL332", "title:renovatie", `buyer:"gemeente almelo"`,
	"description:zonne*", "(cpv:45 nuts:NL21) OR (cpv:72 nuts:FR)", "-(cpv:45 OR nuts:NL)",
	"cpv:45,72 nuts:NL,DE kind:early,tender", "nuts:GR", "country:GR", "value:50k..2m deadline:<30d",
	"-kind:award", "de", "de* cpv:45", "cpv:45 nuts:FR -de", `"de la"`,
}

// handNotices exercise renamed regions, lots, missing fields and currencies.
func handNotices() []bot.Notice {
	return []bot.Notice{
		*twente,
		{ID: "zh", Title: "Onderhoud wegen", NUTS: []string{"NL361"}, Country: "NL", Kind: bot.KindTender, CPV: []string{"45233141"},
			Value: &bot.Money{Amount: 60000, Currency: "EUR"}, Deadline: workload.Now.AddDate(0, 0, 10)},
		{ID: "zh21", Title: "Renovatie", NUTS: []string{"NL332"}, Country: "NL", Kind: bot.KindEarly},
		{ID: "gr", Title: "Katharismos", NUTS: []string{"EL301"}, Country: "GR", Kind: bot.KindAward,
			Value: &bot.Money{Amount: 2e6, Currency: "eur"}},
		{ID: "uk", Title: "Highway maintenance", NUTS: []string{"UKD11"}, Country: "GB", CPV: []string{"45233141-9"},
			Value: &bot.Money{Amount: 40000, Currency: "GBP"}, Deadline: workload.Now.AddDate(0, 0, 3)},
		{ID: "empty"},
		{ID: "prefixes", Title: "Zonnepanelen en zonnedaken", Description: "renovatie renovaties"},
		{ID: "odd", Title: "de la de", CPV: []string{"4x", "452100001", " 72000000 "}, NUTS: []string{"n", "nl-21", "NL2134"}, Country: "nl"},
	}
}

// newPair returns an Index and a Scan holding the same profiles, both on a
// clock stopped at workload.Now.
func newPair(t testing.TB, sample []bot.Notice, queries []string) (*Index, *Scan) {
	t.Helper()
	opts := Options{Clock: bottest.NewClock(workload.Now), Sample: sample}
	x, s := NewIndex(opts), NewScanWith(opts)
	for i, q := range queries {
		cq, err := x.Compile(q)
		if err != nil {
			t.Fatalf("Compile(%q): %v", q, err)
		}
		x.Put(int64(i+1), cq)
		s.Put(int64(i+1), cq)
	}
	return x, s
}

// sameHits reports whether two results are equal: the same profiles, in
// the same order, with the same reasons.
func sameHits(a, b []bot.Hit) bool {
	return slices.EqualFunc(a, b, func(x, y bot.Hit) bool {
		return x.ProfileID == y.ProfileID && slices.Equal(x.Reasons, y.Reasons)
	})
}

// checkSame fails unless the index and the scan agree on n.
func checkSame(t testing.TB, x *Index, s *Scan, n *bot.Notice) int {
	t.Helper()
	got, want := x.Match(n), s.Match(n)
	if !sameHits(got, want) {
		t.Fatalf("notice %+v:\nindex: %+v\nscan:  %+v", *n, got, want)
	}
	return len(want)
}

// TestIndexEqualsScan is the differential test: over generated profiles
// and more than 10,000 generated notices, with profiles replaced and
// removed along the way, the index returns exactly what the scan returns.
func TestIndexEqualsScan(t *testing.T) {
	g := workload.New(42)
	profiles := append(g.Profiles(1500), handProfiles...)
	x, s := newPair(t, g.Notices(300), profiles)
	notices := append(g.Notices(10000), handNotices()...)
	hits := 0
	for i := range notices {
		if i%1000 == 999 { // churn: replace some profiles, remove others
			for j := range 50 {
				id := int64((i*7+j*31)%len(profiles) + 1)
				if j%2 == 0 {
					x.Remove(id)
					s.Remove(id)
					continue
				}
				q := mustCompile(t, g.Profile())
				x.Put(id, q)
				s.Put(id, q)
			}
		}
		hits += checkSame(t, x, s, &notices[i])
	}
	if x.Len() != s.Len() {
		t.Errorf("Len() = %d, want %d as the scan", x.Len(), s.Len())
	}
	if hits < len(notices) {
		t.Errorf("only %d hits over %d notices: the test compares too few matches", hits, len(notices))
	}
	t.Logf("%d notices, %d profiles, %d hits", len(notices), s.Len(), hits)
}

func FuzzIndexEqualsScan(f *testing.F) {
	for i, q := range append(handProfiles, fuzzQueries...) {
		f.Add(q, handNotices()[i%len(handNotices())].Title, uint64(i))
	}
	// One pair for every input: putting and removing the fuzzed query
	// exercises the index's updates too.
	var mu sync.Mutex
	x, s := newPair(f, nil, workload.New(7).Profiles(200))
	f.Fuzz(func(t *testing.T, query, title string, seed uint64) {
		q, err := Compile(query)
		if err != nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		x.Put(0, q)
		s.Put(0, q)
		defer x.Remove(0)
		defer s.Remove(0)
		notices := append(workload.New(seed).Notices(10), handNotices()...)
		for i := range notices {
			checkSame(t, x, s, &notices[i])
			notices[i].Title = title
			checkSame(t, x, s, &notices[i])
		}
	})
}

func TestIndexPutRemove(t *testing.T) {
	x, _ := newPair(t, nil, nil)
	x.Put(30, mustCompile(t, "renovatie"))
	x.Put(10, mustCompile(t, "cpv:45 nuts:NL21"))
	x.Put(20, mustCompile(t, "asbest"))
	x.Put(5, mustCompile(t, "-asbest"))
	if got, want := hitIDs(x.Match(twente)), []int64{5, 10, 30}; !slices.Equal(got, want) {
		t.Fatalf("Match() profiles = %v, want %v", got, want)
	}
	x.Put(30, mustCompile(t, "asbest"))
	if got, want := hitIDs(x.Match(twente)), []int64{5, 10}; !slices.Equal(got, want) {
		t.Errorf("after replacing profile 30, Match() profiles = %v, want %v", got, want)
	}
	x.Remove(10)
	x.Remove(999)
	if got, want := hitIDs(x.Match(twente)), []int64{5}; !slices.Equal(got, want) {
		t.Errorf("after removing profile 10, Match() profiles = %v, want %v", got, want)
	}
	if got := x.Len(); got != 3 {
		t.Errorf("Len() = %d, want 3", got)
	}
	if got := x.Match(nil); got != nil {
		t.Errorf("Match(nil) = %v, want nil", got)
	}
	if got := x.AppendMatches([]int64{-1}, twente); !slices.Equal(got, []int64{-1, 5}) {
		t.Errorf("AppendMatches([-1]) = %v, want [-1 5]", got)
	}
}

// TestIndexForgets checks that removing every profile leaves no key, leaf
// or program behind, and that slots and the arena are reused.
func TestIndexForgets(t *testing.T) {
	// Also: relaying out the arena keeps the index equal to the scan.
	defer func() {
		g := workload.New(4)
		x, s := newPair(t, nil, g.Profiles(2000))
		for i := range 1000 {
			x.Remove(int64(i*2 + 1))
			s.Remove(int64(i*2 + 1))
		}
		x.mu.Lock()
		x.layout()
		x.mu.Unlock()
		for _, n := range append(handNotices(), g.Notices(300)...) {
			checkSame(t, x, s, &n)
		}
	}()
	g := workload.New(3)
	queries := g.Profiles(3000)
	x, _ := newPair(t, nil, queries)
	for round := range 3 {
		for i := range queries {
			x.Remove(int64(i + 1))
		}
		if x.Len() != 0 || len(x.always) != 0 || len(x.posts.words)+len(x.posts.prefixes)+len(x.posts.codes) != 0 ||
			len(x.leaves.byText) != 0 {
			t.Fatalf("round %d: after removing every profile: %d profiles, %d always, %d words, %d prefixes, %d codes, %d leaves",
				round, x.Len(), len(x.always), len(x.posts.words), len(x.posts.prefixes), len(x.posts.codes), len(x.leaves.byText))
		}
		for i, q := range queries {
			x.Put(int64(i+1), mustCompile(t, q))
		}
	}
	if x.garbage > len(x.code)/2 && x.garbage > 1<<16 {
		t.Errorf("%d words of garbage in an arena of %d: it is never compacted", x.garbage, len(x.code))
	}
	x.layout()
	if x.garbage != 0 {
		t.Errorf("after layout, %d words of garbage, want 0", x.garbage)
	}
	for _, n := range append(handNotices(), g.Notices(50)...) {
		if x.Candidates(&n) > x.Len() {
			t.Errorf("more candidates than profiles after layout")
		}
	}
}

func TestIndexPutPanicsOnForeignQuery(t *testing.T) {
	for _, q := range []bot.Query{otherQuery{}, (*Query)(nil), nil} {
		t.Run(fmt.Sprintf("%T", q), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Put(%T) did not panic", q)
				}
			}()
			NewIndex(Options{}).Put(1, q)
		})
	}
}

func TestIndexCandidates(t *testing.T) {
	x, _ := newPair(t, nil, []string{"cpv:45 nuts:NL21", "cpv:72 nuts:NL21", "asbest", "-asbest", "value:>=1m"})
	// The pair (45, NL21), the exclusion and the value filter; not the
	// other pair, nor the word the notice lacks.
	if got := x.Candidates(twente); got != 3 {
		t.Errorf("Candidates() = %d, want 3", got)
	}
	if got := x.Candidates(nil); got != 0 {
		t.Errorf("Candidates(nil) = %d, want 0", got)
	}
}

// TestIndexKeyChoice checks that the sample steers a profile to its rarest
// key.
func TestIndexKeyChoice(t *testing.T) {
	sample := make([]bot.Notice, 100)
	for i := range sample {
		sample[i] = bot.Notice{Title: "bouw van een dak", CPV: []string{"45000000"}}
	}
	sample[0].Title = "zeldzaam"
	tests := []struct{ query, want string }{
		{"bouw zeldzaam", "word zeldzaam"},
		{"cpv:45 zeldzaam", "word zeldzaam"},
		{"cpv:72 bouw", "code"},
		{"cpv:45 nuts:NL21", "code"}, // the pair
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			c, ok := coverOf(mustCompile(t, tt.query).root, newKeyStats(sample, workload.Now))
			if !ok || len(c.keys) != 1 {
				t.Fatalf("coverOf(%q) = %+v, %v; want one key", tt.query, c, ok)
			}
			got := "code"
			if c.keys[0].kind == keyWord {
				got = "word " + c.keys[0].text
			}
			if got != tt.want {
				t.Errorf("coverOf(%q) = %s, want %s", tt.query, got, tt.want)
			}
		})
	}
}

func TestIndexConcurrent(t *testing.T) {
	g := workload.New(9)
	queries := g.Profiles(200)
	x, _ := newPair(t, nil, queries)
	notices := g.Notices(50)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 100 {
				id := int64(w*1000 + i%20)
				if i%3 == 2 {
					x.Remove(id)
				} else {
					x.Put(id, mustCompile(t, queries[i%len(queries)]))
				}
			}
		})
		wg.Go(func() {
			for i := range 100 {
				hits := x.Match(&notices[i%len(notices)])
				if !slices.IsSortedFunc(hits, func(a, b bot.Hit) int { return int(a.ProfileID - b.ProfileID) }) {
					t.Errorf("Match() profiles %v are not sorted", hitIDs(hits))
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestIndexMatchAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	g := workload.New(5)
	x, _ := newPair(t, g.Notices(100), g.Profiles(2000))
	notices := g.Notices(50)
	var ids []int64
	for i := range notices { // warm the pool
		ids = x.AppendMatches(ids[:0], &notices[i])
	}
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		ids = x.AppendMatches(ids[:0], &notices[i%len(notices)])
		i++
	})
	if allocs > 1 {
		t.Errorf("AppendMatches allocates %.1f times per notice, want at most 1 (the notice's folded text)", allocs)
	}
}

func TestKeyEncoding(t *testing.T) {
	seen := map[key]string{}
	add := func(name string, k key, ok bool) {
		if !ok {
			t.Errorf("%s: not encodable", name)
			return
		}
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s share the key %x", name, other, k)
		}
		seen[k] = name
	}
	for _, c := range []string{"45", "450", "4500", "45000000", "03", "30", "98765432"} {
		k, ok := keyOfCPV(c)
		add("cpv "+c, k, ok)
	}
	for _, c := range []string{"NL", "NL2", "NL21", "NL213", "NL0", "N0", "EL30A", "ZZZZZ"} {
		k, ok := keyOfNUTS(c)
		add("nuts "+c, k, ok)
		if got := nutsLen(k); got != len(c) {
			t.Errorf("nutsLen(keyOfNUTS(%q)) = %d, want %d", c, got, len(c))
		}
	}
	for _, c := range []string{"NL", "EL"} {
		k, ok := keyOfCountry(c)
		add("country "+c, k, ok)
	}
	c, _ := keyOfCPV("4521")
	n, _ := keyOfNUTS("NL21")
	add("pair", keyOfPair(c, n), true)
	for i := range kinds {
		add("kind "+string(kinds[i]), keyOfKind(i), true)
	}
	for _, bad := range []string{"4", "4x", "123456789"} {
		if _, ok := keyOfCPV(bad); ok {
			t.Errorf("keyOfCPV(%q) is encodable, want not", bad)
		}
	}
	for _, bad := range []string{"N", "nl", "NL-21", "NL2134"} {
		if _, ok := keyOfNUTS(bad); ok {
			t.Errorf("keyOfNUTS(%q) is encodable, want not", bad)
		}
	}
	if _, ok := keyOfCountry(strings.Repeat("N", 3)); ok {
		t.Errorf("keyOfCountry(NNN) is encodable, want not")
	}
}

func TestSortHits(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 1000, 5000} {
		for _, spread := range []int64{1 << 8, 1 << 20, 1 << 40, 1 << 62} {
			if int64(n) > spread/2 {
				continue
			}
			var s matchState
			r := rand.New(rand.NewPCG(uint64(n), uint64(spread)))
			ids := map[int64]bool{}
			for len(s.hits) < n {
				id := r.Int64N(spread) - spread/3
				if !ids[id] {
					ids[id] = true
					s.hits = append(s.hits, hitSpans{id: id, start: uint32(len(s.hits))})
				}
			}
			s.sortHits()
			if !slices.IsSortedFunc(s.hits, func(a, b hitSpans) int { return cmp.Compare(a.id, b.id) }) || len(s.hits) != n {
				t.Errorf("sortHits of %d hits spread over %d: not sorted", n, spread)
			}
		}
	}
}
