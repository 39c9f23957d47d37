package matching

import (
	"errors"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestCompileCanonical(t *testing.T) {
	tests := []struct {
		name, query, want string
	}{
		{"word", "renovatie", "renovatie"},
		{"words are folded", "Renovatie DAKEN Dializatorów", "renovatie daken dializatorow"},
		{"prefix", "Renovat*", "renovat*"},
		{"phrase", `"Groen  Dak"`, `"groen dak"`},
		{"one-word phrase is a word", `"renovatie"`, "renovatie"},
		{"phrase with prefix", `"zonne* panelen"`, `"zonne* panelen"`},
		{"typographic quotes", "“groen dak”", `"groen dak"`},
		{"word with hyphen is a phrase", "e-mail", `"e mail"`},
		{"exclusion", "schilderwerk -asbest", "schilderwerk -asbest"},
		{"excluded phrase", `dak -"plat dak"`, `dak -"plat dak"`},
		{"excluded group", "dak -(plat OR bitumen)", "dak -(plat OR bitumen)"},
		{"double exclusion cancels", "-(-dak)", "dak"},
		{"or", "bouw OR renovatie", "bouw OR renovatie"},
		{"lowercase or is a word", "bouw or renovatie", "bouw or renovatie"},
		{"and binds tighter", "a b OR c", "a b OR c"},
		{"brackets kept where needed", "(a OR b) c", "(a OR b) c"},
		{"needless brackets dropped", "((a b)) (c)", "a b c"},
		{"nested or flattened", "(a OR (b OR c)) OR d", "a OR b OR c OR d"},
		{"and inside or", "(a b) OR (c d)", "a b OR c d"},
		{"cpv division", "cpv:45", "cpv:45"},
		{"cpv full code", "cpv:45000000", "cpv:45"},
		{"cpv trailing zeros", "cpv:4500", "cpv:45"},
		{"cpv class", "cpv:45210000", "cpv:4521"},
		{"cpv star", "cpv:4521*", "cpv:4521"},
		{"cpv check digit", "cpv:45210000-2", "cpv:4521"},
		{"cpv division ending in zero", "cpv:30000000", "cpv:30"},
		{"cpv group", "cpv:331", "cpv:331"},
		{"cpv list sorted", "cpv:45,09331200", "cpv:093312,45"},
		{"cpv list deduped", "cpv:45,45000000,4521", "cpv:45"},
		{"cpv list with spaces", "cpv: 45, 09331200 dak", "cpv:093312,45 dak"},
		{"cpv trailing comma", "cpv:45, (dak)", "cpv:45 dak"},
		{"field name case", "CPV:45 Nuts:nl21", "cpv:45 nuts:NL21"},
		{"nuts", "nuts:NL21", "nuts:NL21"},
		{"nuts upper-cased", "nuts:nl213", "nuts:NL213"},
		{"nuts list", "nuts:NL213,BE2,NL", "nuts:BE2,NL"},
		{"nuts greece", "nuts:GR", "nuts:EL"},
		{"excluded cpv", "-cpv:4521", "-cpv:4521"},
		{"everything", `(renovatie OR "groen dak") cpv:45 nuts:NL21 -asbest`, `(renovatie OR "groen dak") cpv:45 nuts:NL21 -asbest`},
		{"word digits", "2024 10:30", `2024 "10 30"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Compile(tt.query)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tt.query, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("Compile(%q).String() = %q, want %q", tt.query, got, tt.want)
			}
			again, err := Compile(q.String())
			if err != nil {
				t.Fatalf("Compile(%q) (canonical form): %v", q.String(), err)
			}
			if got := again.String(); got != q.String() {
				t.Errorf("canonical form is not a fixed point: Compile(%q).String() = %q", q.String(), got)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  []string // fragments the message contains
	}{
		{"empty", "", []string{"empty", "like"}},
		{"blank", "  \t ", []string{"empty"}},
		{"unknown field", "prijs:10", []string{"prijs:10", "no field prijs:", "cpv:, deadline:", " and value:", `"prijs:10"`}},
		{"field typo suggests", "valeu:>=10", []string{"Did you mean value:>=10?"}},
		{"url", "https://example.com", []string{"no field https:"}},
		{"field typo swapped", "cvp:45", []string{"no field cvp:", "Did you mean cpv:45?"}},
		{"field typo extra letter", "Nutss:NL", []string{"Did you mean nuts:NL?"}},
		{"field typo missing letter", "cp:45", []string{"Did you mean cpv:45?"}},
		{"cpv letters", "cpv:4x21", []string{"cpv:4x21 — a CPV code is 2 to 8 digits", "cpv:45210000"}},
		{"cpv too long", "cpv:452100001", []string{"cpv:452100001", "2 to 8 digits"}},
		{"cpv one digit", "cpv:4", []string{"cpv:4 ", "2 to 8 digits"}},
		{"cpv zero division", "cpv:00000000", []string{"cpv:00000000", "03 to 98"}},
		{"cpv short check digit", "cpv:4521-2", []string{"cpv:4521-2", "2 to 8 digits"}},
		{"cpv bad item in list", "cpv:45,4x", []string{"cpv:4x ", "2 to 8 digits"}},
		{"cpv empty", "cpv:", []string{"cpv:", "which CPV code"}},
		{"cpv followed by word", "cpv:45, bouw", []string{"cpv:bouw"}},
		{"nuts digit country", "nuts:1L", []string{"nuts:1L", "2-letter country code"}},
		{"nuts too long", "nuts:NL2134", []string{"nuts:NL2134", "nuts:NL213"}},
		{"nuts empty", "nuts:", []string{"which region"}},
		{"unclosed bracket", "(bouw OR sloop", []string{"(bouw OR sloop", "never closed", "add a )"}},
		{"stray bracket", "bouw) sloop", []string{"bouw)", "no ( before it"}},
		{"empty brackets", "bouw ()", []string{"()", "empty"}},
		{"unclosed quote", `"zonne panelen`, []string{`"zonne panelen`, "never closed"}},
		{"empty phrase", `bouw ""`, []string{`""`, "no words between the quotes"}},
		{"punctuation phrase", `"..."`, []string{"no words between the quotes"}},
		{"or at start", "OR bouw", []string{"OR bouw", "nothing before it"}},
		{"or at end", "bouw OR", []string{"bouw OR", "nothing after it"}},
		{"or before bracket", "(bouw OR) sloop", []string{"(bouw OR", "nothing after it"}},
		{"or after bracket", "(OR bouw)", []string{"(OR bouw", "nothing before it"}},
		{"double or", "bouw OR OR sloop", []string{"OR OR", "one OR is enough"}},
		{"lone minus", "bouw - sloop", []string{"- sloop", "on its own", "-sloop"}},
		{"minus at end", "bouw -", []string{"on its own"}},
		{"minus before bracket close", "(bouw -)", []string{"on its own"}},
		{"double minus", "--sloop", []string{"--sloop", "one - is enough"}},
		{"minus or", "bouw -OR sloop", []string{"-OR", "OR is for alternatives"}},
		{"misplaced star", "*bouw", []string{"*bouw", "at the end of a word", "renovat*"}},
		{"star in phrase", `"a * b"`, []string{`"a * b"`, "at the end of a word"}},
		{"no letters", "bouw &", []string{"&", "no letters or digits"}},
		{"AND", "bouw AND sloop", []string{"AND", "leave it out"}},
		{"NOT", "bouw NOT sloop", []string{"NOT", "-sloop"}},
		{"too deep", strings.Repeat("(", maxDepth+1) + "a" + strings.Repeat(")", maxDepth+1), []string{"nested more than"}},
		{"too many terms", strings.Repeat("a ", maxTerms+1), []string{"more than 200 words"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Compile(tt.query)
			if err == nil {
				t.Fatalf("Compile(%q) = %q, want an error", tt.query, q)
			}
			var e *bot.Error
			if !errors.As(err, &e) || e.Code != bot.EINVALID {
				t.Fatalf("Compile(%q) error = %#v, want a *bot.Error with code %q", tt.query, err, bot.EINVALID)
			}
			for _, frag := range tt.want {
				if !strings.Contains(e.Message, frag) {
					t.Errorf("Compile(%q) message = %q, want it to contain %q", tt.query, e.Message, frag)
				}
			}
		})
	}
}

func TestCompileLimitsHoldForCanonicalForm(t *testing.T) {
	// The deepest and largest queries allowed stay allowed once canonical.
	deep := strings.Repeat("(a OR ", maxDepth) + "b" + strings.Repeat(") c", maxDepth)
	big := strings.TrimSpace(strings.Repeat("a-b ", maxTerms))
	for _, query := range []string{deep, big} {
		q, err := Compile(query)
		if err != nil {
			t.Fatalf("Compile(%.40q…): %v", query, err)
		}
		if _, err := Compile(q.String()); err != nil {
			t.Errorf("Compile(%.40q…) (canonical form): %v", q.String(), err)
		}
	}
}
