package matching

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// The property tests build random queries over a small vocabulary together
// with an independent model of what each should match, and random notices
// over the same vocabulary, so that matches are frequent.

var (
	propWords = []string{"bouw", "bouwen", "dak", "daken", "zon", "zonnepanelen", "renovatie", "or", "x1"}
	// propSpellings are how the notices spell the words.
	propSpellings = map[string][]string{
		"bouw":         {"bouw", "Bouw", "BOUW"},
		"dak":          {"dak", "Dák"},
		"daken":        {"daken", "DAKEN"},
		"zonnepanelen": {"zonnepanelen", "Zonnepanelen"},
		"renovatie":    {"renovatie", "Renovatié"},
		"or":           {"or", "OR", "Or"},
	}
	propCPV        = []string{"45", "4521", "452", "09", "0933", "51"}
	propNoticeCPV  = []string{"45000000", "45210000-2", "45211000", "09331200", "51100000", "72000000"}
	propNUTS       = []string{"NL", "NL2", "NL21", "NL213", "BE", "BE2"}
	propNoticeNUTS = []string{"NL213", "NL211", "NL32A", "BE241", "DE"}
	propCountries  = []string{"", "NL", "BE", "DE"}
)

// expr is a random query with a model of its meaning.
type expr struct {
	text  string
	match func(n *bot.Notice) bool
}

// modelFields returns the notice's fields as folded words joined by one
// space, with a space at either end, so that " a b " contains the phrase
// " a b " exactly when the words follow each other.
func modelFields(n *bot.Notice) []string {
	var out []string
	for _, s := range []string{n.Title, n.Description, n.Buyer} {
		out = append(out, " "+strings.Join(tokenize(s), " ")+" ")
	}
	return out
}

func randLeaf(r *rand.Rand) expr {
	switch r.IntN(6) {
	case 0, 1: // word
		w := propWords[r.IntN(len(propWords))]
		return expr{text: w, match: func(n *bot.Notice) bool {
			return slices.ContainsFunc(modelFields(n), func(f string) bool { return strings.Contains(f, " "+w+" ") })
		}}
	case 2: // prefix
		w := propWords[r.IntN(len(propWords))]
		w = w[:1+r.IntN(len(w))]
		return expr{text: w + "*", match: func(n *bot.Notice) bool {
			return slices.ContainsFunc(modelFields(n), func(f string) bool { return strings.Contains(f, " "+w) })
		}}
	case 3: // phrase
		a, b := propWords[r.IntN(len(propWords))], propWords[r.IntN(len(propWords))]
		return expr{text: `"` + a + " " + b + `"`, match: func(n *bot.Notice) bool {
			return slices.ContainsFunc(modelFields(n), func(f string) bool { return strings.Contains(f, " "+a+" "+b+" ") })
		}}
	case 4: // cpv
		codes := pickSome(r, propCPV)
		return expr{text: "cpv:" + strings.Join(codes, ","), match: func(n *bot.Notice) bool {
			all := slices.Clone(n.CPV)
			for _, l := range n.Lots {
				all = append(all, l.CPV...)
			}
			for _, c := range all {
				for _, p := range codes {
					if strings.HasPrefix(c, p) {
						return true
					}
				}
			}
			return false
		}}
	default: // nuts
		codes := pickSome(r, propNUTS)
		return expr{text: "nuts:" + strings.ToLower(strings.Join(codes, ",")), match: func(n *bot.Notice) bool {
			for _, p := range codes {
				if len(p) == 2 && p == n.Country {
					return true
				}
				for _, c := range n.NUTS {
					if strings.HasPrefix(c, p) {
						return true
					}
				}
			}
			return false
		}}
	}
}

func pickSome(r *rand.Rand, from []string) []string {
	out := []string{from[r.IntN(len(from))]}
	for r.IntN(3) == 0 {
		out = append(out, from[r.IntN(len(from))])
	}
	return out
}

func randExpr(r *rand.Rand, depth int) expr {
	if depth == 0 || r.IntN(3) == 0 {
		return randLeaf(r)
	}
	switch r.IntN(3) {
	case 0: // and
		kids := randKids(r, depth)
		texts := make([]string, len(kids))
		for i, k := range kids {
			texts[i] = "(" + k.text + ")"
		}
		return expr{text: strings.Join(texts, " "), match: func(n *bot.Notice) bool {
			for _, k := range kids {
				if !k.match(n) {
					return false
				}
			}
			return true
		}}
	case 1: // or
		kids := randKids(r, depth)
		texts := make([]string, len(kids))
		for i, k := range kids {
			texts[i] = "(" + k.text + ")"
		}
		return expr{text: strings.Join(texts, " OR "), match: func(n *bot.Notice) bool {
			for _, k := range kids {
				if k.match(n) {
					return true
				}
			}
			return false
		}}
	default: // not
		k := randExpr(r, depth-1)
		return expr{text: "-(" + k.text + ")", match: func(n *bot.Notice) bool { return !k.match(n) }}
	}
}

func randKids(r *rand.Rand, depth int) []expr {
	kids := make([]expr, 1+r.IntN(3))
	for i := range kids {
		kids[i] = randExpr(r, depth-1)
	}
	return kids
}

func randText(r *rand.Rand) string {
	words := make([]string, r.IntN(6))
	for i := range words {
		w := propWords[r.IntN(len(propWords))]
		if s, ok := propSpellings[w]; ok {
			w = s[r.IntN(len(s))]
		}
		words[i] = w
	}
	return strings.Join(words, []string{" ", ", ", " - "}[r.IntN(3)])
}

func randNotice(r *rand.Rand) *bot.Notice {
	n := &bot.Notice{
		Title:       randText(r),
		Description: randText(r),
		Buyer:       randText(r),
		Country:     propCountries[r.IntN(len(propCountries))],
	}
	if r.IntN(2) == 0 {
		n.CPV = pickSome(r, propNoticeCPV)
	}
	if r.IntN(3) == 0 {
		n.Lots = []bot.Lot{{ID: "1", CPV: pickSome(r, propNoticeCPV)}}
	}
	if r.IntN(2) == 0 {
		n.NUTS = pickSome(r, propNoticeNUTS)
	}
	return n
}

// containsKeyword reports whether a field of n has a word one of the
// keywords stands for.
func containsKeyword(n *bot.Notice, keywords []string) bool {
	words := slices.Concat(tokenize(n.Title), tokenize(n.Description), tokenize(n.Buyer))
	for _, k := range keywords {
		t := term{text: strings.TrimSuffix(k, "*"), prefix: strings.HasSuffix(k, "*")}
		if slices.ContainsFunc(words, t.matches) {
			return true
		}
	}
	return false
}

func TestRandomQueries(t *testing.T) {
	r := rand.New(rand.NewPCG(2025, 11))
	notices := make([]*bot.Notice, 200)
	for i := range notices {
		notices[i] = randNotice(r)
	}
	for i := range 500 {
		e := randExpr(r, 3)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			q, err := Compile(e.text)
			if err != nil {
				t.Fatalf("Compile(%q): %v", e.text, err)
			}
			canon, err := Compile(q.String())
			if err != nil {
				t.Fatalf("Compile(%q) (canonical form of %q): %v", q.String(), e.text, err)
			}
			if canon.String() != q.String() {
				t.Errorf("Compile(%q).String() = %q, want the fixed point %q", q.String(), canon.String(), q.String())
			}
			keywords := q.Keywords()
			if slices.Contains(keywords, "") {
				t.Errorf("Compile(%q).Keywords() = %q, has an empty word", e.text, keywords)
			}
			for _, n := range notices {
				reasons, ok := q.Match(n)
				if want := e.match(n); ok != want {
					t.Fatalf("Compile(%q).Match(%+v) = %v, want %v", e.text, *n, ok, want)
				}
				if r2, ok2 := canon.Match(n); ok2 != ok || !slices.Equal(r2, reasons) {
					t.Fatalf("canonical %q matches %+v with %q, %v; the query %q with %q, %v", q.String(), *n, r2, ok2, e.text, reasons, ok)
				}
				if ok && keywords != nil && !containsKeyword(n, keywords) {
					t.Fatalf("Compile(%q) matches %+v, which has none of Keywords() %q", e.text, *n, keywords)
				}
			}
		})
	}
}
