package matching

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
)

var fuzzQueries = []string{
	"renovatie",
	"Renovatie dak* -asbest",
	`"groen dak" OR "zonne* panelen"`,
	"(bouw OR renovatie) cpv:45 nuts:NL21",
	"cpv:45,09331200-2 nuts:nl,BE2",
	"cpv: 45, 4521* -cpv:4521",
	"-(-a) -(b OR c d)",
	"e-mail t.b.v. 10:30",
	"Dializatorów Straße ÆRØ Łódź",
	"“typographic” „quotes”",
	"a OR OR b",
	"((a)",
	"valeu:10",
	"- a",
	`"unclosed`,
	"*",
	"AND NOT OR",
	"value:>=50k value:<1mEUR value:€50k..2m value:50k",
	"kind:early,tender -kind:award deadline:>=7d deadline:2w..30",
	`buyer:"Gemeente Almelo" title:renovat* description: "groen dak" country:NL,GR`,
	`title:"unclosed`,
	"nuts:NL33 nuts:NL361 (cpv:45 nuts:NL21) OR (cpv:72 nuts:FR)",
}

// fuzzNotices are evaluated against every fuzzed query.
var fuzzNotices = []*bot.Notice{
	twente,
	{Title: "Bouw, dak en zonnepanelen", Description: "renovatie e-mail 10:30", Buyer: "Straße Łódź", CPV: []string{"45000000"}, Country: "BE"},
	{Title: "a b c d", NUTS: []string{"BE241"}},
}

// checkQuery holds a compiled query to the promises of Compile.
func checkQuery(t *testing.T, query string, q *Query) {
	t.Helper()
	canon, err := Compile(q.String())
	if err != nil {
		t.Fatalf("Compile(%q) (canonical form of %q): %v", q.String(), query, err)
	}
	if canon.String() != q.String() {
		t.Fatalf("Compile(%q).String() = %q, want the fixed point %q", query, canon.String(), q.String())
	}
	for _, k := range q.Keywords() {
		w := strings.TrimSuffix(k, "*")
		if w == "" || strings.ContainsFunc(w, func(r rune) bool { return !isWordRune(r) }) {
			t.Fatalf("Compile(%q).Keywords() = %q, has %q, which is not a word", query, q.Keywords(), k)
		}
	}
	for _, n := range fuzzNotices {
		checkMatch(t, q, canon, n)
	}
}

// checkMatch holds q's match of n to the promises of Match and Keywords;
// canon is q compiled from its canonical form.
func checkMatch(t *testing.T, q, canon *Query, n *bot.Notice) {
	t.Helper()
	reasons, ok := q.Match(n)
	if r2, ok2 := canon.Match(n); ok2 != ok || !slices.Equal(r2, reasons) {
		t.Fatalf("%q matches %+v with %q, %v; its canonical form with %q, %v", q, *n, reasons, ok, r2, ok2)
	}
	if ok && q.Keywords() != nil && !containsKeyword(n, q.Keywords()) {
		t.Fatalf("%q matches %+v, which has none of its keywords %q", q, *n, q.Keywords())
	}
	if !ok && reasons != nil {
		t.Fatalf("%q does not match %+v but gives reasons %q", q, *n, reasons)
	}
	if x := q.Explain(n); x.Matched != ok || len(x.Lines) == 0 {
		t.Fatalf("%q matches %+v: %v, but Explain says %v in %q", q, *n, ok, x.Matched, x.Lines)
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range fuzzQueries {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := Compile(query)
		if err != nil {
			var e *bot.Error
			if !errors.As(err, &e) || e.Code != bot.EINVALID || e.Message == "" {
				t.Fatalf("Compile(%q) error = %#v, want a *bot.Error with code %q and a message", query, err, bot.EINVALID)
			}
			return
		}
		checkQuery(t, query, q)
	})
}

func FuzzMatch(f *testing.F) {
	for i, s := range fuzzQueries {
		n := fuzzNotices[i%len(fuzzNotices)]
		f.Add(s, n.Title, n.Description, n.Buyer)
	}
	f.Fuzz(func(t *testing.T, query, title, description, buyer string) {
		for _, s := range []string{title, description, buyer} {
			if f := fold(s); fold(f) != f {
				t.Fatalf("fold(%q) = %q, but fold of that is %q", s, f, fold(f))
			}
			if utf8.ValidString(s) && !slices.Equal(tokenize(fold(s)), tokenize(s)) {
				t.Fatalf("tokenize(fold(%q)) = %q, tokenize = %q", s, tokenize(fold(s)), tokenize(s))
			}
		}
		q, err := Compile(query)
		if err != nil {
			return
		}
		canon, err := Compile(q.String())
		if err != nil {
			t.Fatalf("Compile(%q) (canonical form of %q): %v", q.String(), query, err)
		}
		n := &bot.Notice{Title: title, Description: description, Buyer: buyer}
		checkMatch(t, q, canon, n)
	})
}
