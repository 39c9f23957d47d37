package matching

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tenderbot/tenderbot/bot"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii", "Renovatie DAK", "renovatie dak"},
		{"polish ogonek and acute", "Dializatorów Zażółć", "dializatorow zazolc"},
		{"stroke l", "Łódź", "lodz"},
		{"danish", "Ærø Øst", "aero ost"},
		{"sharp s", "Straße STRAẞE", "strasse strasse"},
		{"ligature oe", "Œuvre cœur", "oeuvre coeur"},
		{"croatian d", "Đakovo", "dakovo"},
		{"dotless i", "Işık", "isik"},
		{"thorn and eth", "Þór Garðar", "thor gardar"},
		{"french", "Île-de-France Électricité", "ile-de-france electricite"},
		{"czech", "Příspěvková organizace", "prispevkova organizace"},
		{"greek tonos", "Δήμος", "δημος"},
		{"decomposed input", "e\u0301cole", "ecole"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fold(tt.in); got != tt.want {
				t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := fold(fold(tt.in)); got != fold(tt.in) {
				t.Errorf("fold(fold(%q)) = %q, want %q", tt.in, got, fold(tt.in))
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"words", "Renovatie van het gemeentehuis", []string{"renovatie", "van", "het", "gemeentehuis"}},
		{"punctuation splits", "e-mail, t.b.v. (NL)", []string{"e", "mail", "t", "b", "v", "nl"}},
		{"digits are word characters", "Lot 2: 45210000-2", []string{"lot", "2", "45210000", "2"}},
		{"diacritics", "Gemeente Almelo – Dializatorów", []string{"gemeente", "almelo", "dializatorow"}},
		{"nothing", " ,.; ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tokenize(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitTerms(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   []term
		wantOK bool
	}{
		{"word", "Renovatie", []term{{text: "renovatie"}}, true},
		{"prefix", "renovat*", []term{{text: "renovat", prefix: true}}, true},
		{"phrase with prefix", "zonne* Panelen", []term{{text: "zonne", prefix: true}, {text: "panelen"}}, true},
		{"hyphen splits", "e-mail*", []term{{text: "e"}, {text: "mail", prefix: true}}, true},
		{"leading star", "*bouw", nil, false},
		{"lone star", "a * b", nil, false},
		{"double star", "a**", nil, false},
		{"no words", "&", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := splitTerms(tt.in)
			if ok != tt.wantOK || !slices.Equal(got, tt.want) {
				t.Errorf("splitTerms(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestFoldEveryRune checks fold on each code point alone and after a
// letter, where fuzzing would take long to look: folding twice changes
// nothing, so a query's canonical form means what the query meant.
func TestFoldEveryRune(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: folds every code point")
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, s := range []string{string(r), "A" + string(r)} {
			if f := fold(s); fold(f) != f {
				t.Errorf("fold(%q) = %q, but fold of that is %q", s, f, fold(f))
			}
			if got, want := fold(s), foldReference(s); got != want {
				t.Errorf("fold(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

// foldReference is fold written the plain way, with the allocations fold
// avoids: lower-case, decompose, drop the combining marks, spell out the
// letters that do not decompose.
func foldReference(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if rep, ok := foldSpecial[r]; ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Dializatorów", "Straße", "e\u0301cole", "\xff\xfeA", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fold(s), foldReference(s); got != want {
			t.Fatalf("fold(%q) = %q, want %q", s, got, want)
		}
		var d document
		d.prepare(&bot.Notice{Title: s}, time.Time{})
		if got, want := d.words[fieldTitle], tokenize(s); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("prepared title words of %q = %q, want %q", s, got, want)
		}
	})
}

// tokenize folds s and splits it into words: the plain reading of a text
// that the matcher's own word index is checked against.
func tokenize(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !isWordRune(r) })
}
