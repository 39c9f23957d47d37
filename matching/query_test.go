package matching

import (
	"slices"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// twente is a notice the matching tests share.
var twente = &bot.Notice{
	ID:          "2025/S 001-000001",
	Title:       "Renovatie en verduurzaming gemeentehuis",
	Description: "Plaatsen van zonnepanelen op het platte dak. Levering van dializatorów is uitgesloten.",
	Buyer:       "Gemeente Almelo",
	CPV:         []string{"45210000-2", "09331200"},
	NUTS:        []string{"NL213"},
	Country:     "NL",
	Lots: []bot.Lot{
		{ID: "LOT-0002", Title: "Installaties", CPV: []string{"51100000"}},
	},
}

func TestQueryMatch(t *testing.T) {
	noNUTS := &bot.Notice{Title: "Schoonmaak", Country: "nl"}
	greek := &bot.Notice{Title: "Katharismos", NUTS: []string{"EL301"}, Country: "GR"}
	tests := []struct {
		name        string
		query       string
		notice      *bot.Notice
		wantOK      bool
		wantReasons []string
	}{
		{"word in title", "renovatie", twente, true, []string{`"renovatie" in title`}},
		{"case-insensitive", "RENOVATIE", twente, true, []string{`"renovatie" in title`}},
		{"diacritics in notice", "dializatorow", twente, true, []string{`"dializatorow" in description`}},
		{"diacritics in query", "Álmelo", twente, true, []string{`"almelo" in buyer`}},
		{"whole words only", "renovati", twente, false, nil},
		{"no match inside a word", "paneel", twente, false, nil},
		{"prefix", "zonne*", twente, true, []string{`"zonne*" in description (zonnepanelen)`}},
		{"prefix is the whole word too", "renovatie*", twente, true, []string{`"renovatie*" in title (renovatie)`}},
		{"phrase", `"platte dak"`, twente, true, []string{`"platte dak" in description`}},
		{"phrase words apart", `"platte zonnepanelen"`, twente, false, nil},
		{"phrase across fields", `"gemeentehuis plaatsen"`, twente, false, nil},
		{"phrase with prefix", `"op het plat*"`, twente, true, []string{`"op het plat*" in description (op het platte)`}},
		{"and needs all", "renovatie asbest", twente, false, nil},
		{"and reasons", "renovatie almelo", twente, true, []string{`"renovatie" in title`, `"almelo" in buyer`}},
		{"exclusion", "renovatie -asbest", twente, true, []string{`"renovatie" in title`}},
		{"exclusion excludes", "renovatie -zonne*", twente, false, nil},
		{"excluded phrase", `renovatie -"platte dak"`, twente, false, nil},
		{"exclusion only", "-asbest", twente, true, nil},
		{"or gives every matching reason", "renovatie OR asbest OR almelo", twente, true, []string{`"renovatie" in title`, `"almelo" in buyer`}},
		{"or none", "asbest OR sloop", twente, false, nil},
		{"and binds tighter than or", "asbest renovatie OR almelo", twente, true, []string{`"almelo" in buyer`}},
		{"brackets", "asbest (renovatie OR almelo)", twente, false, nil},
		{"lowercase or is a word", "renovatie or almelo", twente, false, nil},
		{"excluded group", "renovatie -(asbest OR sloop)", twente, true, []string{`"renovatie" in title`}},
		{"cpv division", "cpv:45", twente, true, []string{"cpv 45210000 under 45"}},
		{"cpv exact", "cpv:45210000-2", twente, true, []string{"cpv 45210000"}},
		{"cpv group", "cpv:452", twente, true, []string{"cpv 45210000 under 452"}},
		{"cpv deeper than notice", "cpv:45211000", twente, false, nil},
		{"cpv other division", "cpv:72", twente, false, nil},
		{"cpv additional code", "cpv:0933", twente, true, []string{"cpv 09331200 under 0933"}},
		{"cpv lot", "cpv:51", twente, true, []string{"cpv 51100000 under 51 in lot LOT-0002"}},
		{"cpv list", "cpv:72,51", twente, true, []string{"cpv 51100000 under 51 in lot LOT-0002"}},
		{"cpv excluded", "renovatie -cpv:09", twente, false, nil},
		{"nuts region", "nuts:NL21", twente, true, []string{"region NL213 under NL21"}},
		{"nuts exact", "nuts:nl213", twente, true, []string{"region NL213"}},
		{"nuts country", "nuts:NL", twente, true, []string{"region NL213 under NL"}},
		{"nuts other region", "nuts:NL22", twente, false, nil},
		{"nuts list", "nuts:BE,NL2", twente, true, []string{"region NL213 under NL2"}},
		{"country without nuts", "nuts:NL", noNUTS, true, []string{"country NL"}},
		{"region needs nuts", "nuts:NL21", noNUTS, false, nil},
		{"greece by iso code", "nuts:GR", greek, true, []string{"region EL301 under EL"}},
		{"everything", `(renovatie OR "groen dak") cpv:45 nuts:NL21 -asbest`, twente, true,
			[]string{`"renovatie" in title`, "cpv 45210000 under 45", "region NL213 under NL21"}},
		{"repeated reason once", "renovatie renovatie", twente, true, []string{`"renovatie" in title`}},
		{"empty notice", "renovatie", &bot.Notice{}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Compile(tt.query)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tt.query, err)
			}
			reasons, ok := q.Match(tt.notice)
			if ok != tt.wantOK || !slices.Equal(reasons, tt.wantReasons) {
				t.Errorf("Compile(%q).Match() = %q, %v; want %q, %v", tt.query, reasons, ok, tt.wantReasons, tt.wantOK)
			}
		})
	}
}

func TestQueryMatchNil(t *testing.T) {
	q, err := Compile("-asbest")
	if err != nil {
		t.Fatal(err)
	}
	if reasons, ok := q.Match(nil); ok || reasons != nil {
		t.Errorf("Match(nil) = %q, %v; want nil, false", reasons, ok)
	}
}

func TestQueryKeywords(t *testing.T) {
	tests := []struct {
		name, query string
		want        []string
	}{
		{"word", "Renovatie", []string{"renovatie"}},
		{"prefix keeps star", "renovat*", []string{"renovat*"}},
		{"and picks a smallest set", "(a OR b) c", []string{"c"}},
		{"and picks the first of equal size", "a b", []string{"a"}},
		{"and skips a child without", "cpv:45 a", []string{"a"}},
		{"or unions", "a OR b* OR a", []string{"a", "b*"}},
		{"or with a branch without", "a OR cpv:45", nil},
		{"phrase gives one word", `"op het platte dak"`, []string{"platte"}},
		{"phrase prefers a whole word", `"zonnepan* dak"`, []string{"dak"}},
		{"phrase of prefixes", `"zon* pan*"`, []string{"zon*"}},
		{"cpv only", "cpv:45", nil},
		{"nuts only", "nuts:NL", nil},
		{"exclusion only", "-foo", nil},
		{"exclusion adds nothing", "a -b", []string{"a"}},
		{"or of ands", "a b OR c cpv:45 OR d*", []string{"a", "c", "d*"}},
		{"excluded group", "-(a OR b) nuts:NL", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Compile(tt.query)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tt.query, err)
			}
			got := q.Keywords()
			if !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("Compile(%q).Keywords() = %#v, want %#v", tt.query, got, tt.want)
			}
		})
	}
}

func TestQueryKeywordsIsACopy(t *testing.T) {
	q, err := Compile("renovatie")
	if err != nil {
		t.Fatal(err)
	}
	q.Keywords()[0] = "changed"
	if got := q.Keywords(); got[0] != "renovatie" {
		t.Errorf("after changing the returned slice, Keywords() = %q, want [renovatie]", got)
	}
}
