package matching

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
)

// filterNow is the time the filter tests evaluate deadlines at.
var filterNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// compileAt compiles query against a clock stopped at filterNow.
func compileAt(t *testing.T, query string) *Query {
	t.Helper()
	q, err := newCompiler(Options{Clock: bottest.NewClock(filterNow)}).compile(query)
	if err != nil {
		t.Fatalf("Compile(%q): %v", query, err)
	}
	return q
}

func TestFilterCanonical(t *testing.T) {
	tests := []struct{ query, want string }{
		{"value:>=50k", "value:>=50k"},
		{"value:>50000", "value:>50k"},
		{"value:<1m", "value:<1m"},
		{"value:<=1000000", "value:<=1m"},
		{"value:50k..2m", "value:50k..2m"},
		{"value:50K..2M", "value:50k..2m"},
		{"value:≥50k", "value:>=50k"},
		{"value:50k..", "value:>=50k"},
		{"value:..2m", "value:<=2m"},
		{"value:>=50kEUR", "value:>=50kEUR"},
		{"value:>=eur50k", "value:>=50kEUR"},
		{"value:€50k..2m", "value:50k..2mEUR"},
		{"value:50kGBP..2m", "value:50k..2mGBP"},
		{"value:>=50MKD", "value:>=50MKD"},
		{"value:1.5m..2.25m", "value:1.5m..2.25m"},
		{"value:>=1250", "value:>=1.25k"},
		{"value:>=1234", "value:>=1234"},
		{"value:>=1234000", "value:>=1234k"},
		{"value:>=0", "value:>=0"},
		{"kind:early,tender", "kind:early,tender"},
		{"kind:Tender,PIN,tenders", "kind:early,tender"},
		{"kind:award,change,other", "kind:award,change,other"},
		{"deadline:>=7d", "deadline:>=7d"},
		{"deadline:>=2w", "deadline:>=14d"},
		{"deadline:<30", "deadline:<30d"},
		{"deadline:7..30d", "deadline:7d..30d"},
		{"country:nl", "country:NL"},
		{"country:NL,BE,nl", "country:BE,NL"},
		{"country:UK,GR", "country:GB,GR"},
		{"country:EL", "country:GR"},
		{`buyer:"Gemeente Almelo"`, `buyer:"gemeente almelo"`},
		{`buyer: "Gemeente Almelo"`, `buyer:"gemeente almelo"`},
		{"buyer:Almelo", "buyer:almelo"},
		{`title:"Groen dak"`, `title:"groen dak"`},
		{"TITLE:renovat*", "title:renovat*"},
		{"description:e-mail", `description:"e mail"`},
		{`-title:sloop renovatie`, "-title:sloop renovatie"},
		{"nuts:NL33", "nuts:NL33"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q := mustCompile(t, tt.query)
			if got := q.String(); got != tt.want {
				t.Errorf("Compile(%q).String() = %q, want %q", tt.query, got, tt.want)
			}
			if again := mustCompile(t, q.String()); again.String() != q.String() {
				t.Errorf("canonical form is not a fixed point: Compile(%q).String() = %q", q.String(), again.String())
			}
		})
	}
}

func TestFilterErrors(t *testing.T) {
	tests := []struct {
		query string
		want  []string
	}{
		{"value:50k", []string{"value:50k —", "value:>=50k", "value:50k..2m"}},
		{"value:2m..50k", []string{"put the lower amount first"}},
		{"value:>=50.000", []string{"without thousands separators"}},
		{"value:>=1,5m", []string{"no commas"}},
		{"value:>=50kXYZ", []string{`"XYZ" is no currency`, "EUR"}},
		{"value:50kEUR..2mGBP", []string{"two currencies", "never converted"}},
		{"value:>", []string{"the amount is missing"}},
		{"value:..", []string{"the range is empty"}},
		{"value:>=1.2345k", []string{"more decimals"}},
		{"value:>=9999999999999999", []string{"too large"}},
		{"value:>=abc", []string{"no amount"}},
		{"kind:awrd", []string{"no kind awrd", "Did you mean kind:award?"}},
		{"kind:", []string{"which kinds", "kind:early,tender"}},
		{"deadline:7d", []string{"deadline:>=7d", "7d..30d"}},
		{"deadline:30d..7d", []string{"put the smaller first"}},
		{"deadline:>=9999d", []string{"more than 3650 days"}},
		{"deadline:>=7x", []string{"no number of days", "2w"}},
		{"country:NLD", []string{"2-letter code"}},
		{"country:", []string{"which country"}},
		{"title:", []string{"which words", `title:"groen dak"`}},
		{`buyer:"Gemeente`, []string{`buyer:"Gemeente`, "never closed"}},
		{`title:"a * b"`, []string{"at the end of a word"}},
		{"title:&", []string{"which words"}},
		{"cpv:46", []string{"no CPV division 46", "cpv:45 (Construction work)"}},
		{"cpv:01", []string{"no CPV division 01", "cpv:03"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			_, err := Compile(tt.query)
			var e *bot.Error
			if !errors.As(err, &e) || e.Code != bot.EINVALID {
				t.Fatalf("Compile(%q) error = %v, want an EINVALID *bot.Error", tt.query, err)
			}
			for _, frag := range tt.want {
				if !strings.Contains(e.Message, frag) {
					t.Errorf("Compile(%q) message = %q, want it to contain %q", tt.query, e.Message, frag)
				}
			}
		})
	}
}

func TestFilterMatch(t *testing.T) {
	money := func(a float64, c string) *bot.Money { return &bot.Money{Amount: a, Currency: c} }
	tender := &bot.Notice{Title: "Onderhoud", Kind: bot.KindTender, Country: "NL", Buyer: "Gemeente Almelo",
		Value: money(450000, "EUR"), Deadline: filterNow.Add(12*day + time.Hour)}
	bare := &bot.Notice{Title: "Onderhoud", Kind: bot.KindEarly}
	soon := &bot.Notice{Title: "x", Kind: bot.KindTender, Deadline: filterNow.Add(6*day + 23*time.Hour), Value: money(1234.5, "GBP")}
	passed := &bot.Notice{Title: "x", Deadline: filterNow.Add(-time.Hour), Value: money(20, "")}
	greek := &bot.Notice{Title: "x", Country: "gr"}
	tests := []struct {
		name, query string
		notice      *bot.Notice
		wantOK      bool
		wantReasons []string
	}{
		{"value at least", "value:>=50k", tender, true, []string{"value 450,000 EUR, at least 50k"}},
		{"value below", "value:>=500k", tender, false, nil},
		{"value range", "value:50k..2m", tender, true, []string{"value 450,000 EUR, between 50k and 2m"}},
		{"value range ends included", "value:450k..450k", tender, true, []string{"value 450,000 EUR, between 450k and 450k"}},
		{"value less than excludes the bound", "value:<450k", tender, false, nil},
		{"value more than", "value:>449999", tender, true, []string{"value 450,000 EUR, more than 449999"}},
		{"value not stated passes", "value:>=50k", bare, true, []string{"value not stated"}},
		{"value in its own currency", "value:<2k", soon, true, []string{"value 1,234.50 GBP, less than 2k"}},
		{"value currency must agree", "value:<2kEUR", soon, false, nil},
		{"value currency any case", "value:<2kgbp", soon, true, []string{"value 1,234.50 GBP, less than 2k"}},
		{"value currency not stated", "value:<2kEUR", passed, false, nil},
		{"value currency not stated, any currency", "value:<2k", passed, true, []string{"value 20 (currency not stated), less than 2k"}},
		{"excluded value filter excludes a notice without value", "-value:>=1m", bare, false, nil},
		{"kind gives no reason", "kind:tender", tender, true, nil},
		{"kind list", "kind:early,tender", bare, true, nil},
		{"kind other", "kind:award", tender, false, nil},
		{"kind unknown is other", "kind:other", &bot.Notice{Kind: "weird"}, true, nil},
		{"deadline far enough", "deadline:>=7d", tender, true, []string{"deadline in 12 days, at least 7 days"}},
		{"deadline a little short", "deadline:>=7d", soon, false, nil},
		{"deadline at most", "deadline:<=7d", soon, true, []string{"deadline in 6 days, at most 7 days"}},
		{"deadline not stated passes", "deadline:>=7d", bare, true, []string{"deadline not stated"}},
		{"deadline passed", "deadline:<=1d", passed, false, nil},
		{"deadline passed, still open", "deadline:>=0d", passed, false, nil},
		{"country", "country:NL", tender, true, []string{"country NL"}},
		{"country other", "country:BE", tender, false, nil},
		{"country greece by either code", "country:EL", greek, true, []string{"country GR"}},
		{"country missing", "country:NL", bare, false, nil},
		{"buyer phrase", `buyer:"gemeente almelo"`, tender, true, []string{`"gemeente almelo" in buyer`}},
		{"buyer word elsewhere", "buyer:onderhoud", tender, false, nil},
		{"title word", "title:onderhoud", tender, true, []string{`"onderhoud" in title`}},
		{"description word not in description", "description:onderhoud", tender, false, nil},
		{"title prefix", "title:onder*", tender, true, []string{`"onder*" in title (onderhoud)`}},
		{"twente in title only", "title:renovatie description:zonne*", twente, true,
			[]string{`"renovatie" in title`, `"zonne*" in description (zonnepanelen)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reasons, ok := compileAt(t, tt.query).Match(tt.notice)
			if ok != tt.wantOK || !slices.Equal(reasons, tt.wantReasons) {
				t.Errorf("Compile(%q).Match() = %q, %v; want %q, %v", tt.query, reasons, ok, tt.wantReasons, tt.wantOK)
			}
		})
	}
}

// TestRenamedRegions checks that NUTS 2021 codes renamed in 2024 match
// both ways.
func TestRenamedRegions(t *testing.T) {
	notice := func(code string) *bot.Notice { return &bot.Notice{NUTS: []string{code}, Country: "NL"} }
	tests := []struct {
		query, code string
		want        []string // nil: no match
	}{
		{"nuts:NL33", "NL361", []string{"region NL361 (NL332 in NUTS 2021) under NL33"}},
		{"nuts:NL332", "NL361", []string{"region NL361 (NL332 in NUTS 2021)"}},
		{"nuts:NL36", "NL332", []string{"region NL332 (NL361 in NUTS 2024) under NL36"}},
		{"nuts:NL361", "NL332", []string{"region NL332 (NL361 in NUTS 2024)"}},
		{"nuts:NL36", "NL33", []string{"region NL33 (NL36 in NUTS 2024)"}},
		{"nuts:NL32B", "nl329", []string{"region NL329 (NL32B in NUTS 2024)"}},
		{"nuts:NL36", "NL36", []string{"region NL36"}},
		{"nuts:NL361", "NL33", nil}, // the notice's region is wider
		{"nuts:NL21", "NL361", nil}, // unrelated
		{"nuts:NL3", "NL332", []string{"region NL332 under NL3"}},
	}
	for _, tt := range tests {
		t.Run(tt.query+" "+tt.code, func(t *testing.T) {
			reasons, ok := mustCompile(t, tt.query).Match(notice(tt.code))
			if ok != (tt.want != nil) || !slices.Equal(reasons, tt.want) {
				t.Errorf("Compile(%q).Match(region %s) = %q, %v; want %q", tt.query, tt.code, reasons, ok, tt.want)
			}
		})
	}
}

func TestAmounts(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		cur  string
	}{
		{"50000", 50000, ""}, {"50k", 50000, ""}, {"1.5m", 1500000, ""}, {"2.25M", 2250000, ""},
		{"1.25k", 1250, ""}, {"50kEUR", 50000, "EUR"}, {"EUR50k", 50000, "EUR"}, {"€50k", 50000, "EUR"},
		{"£1m", 1000000, "GBP"}, {"50MKD", 50, "MKD"}, {"50mkd", 50, "MKD"}, {"0", 0, ""},
	}
	for _, tt := range tests {
		n, cur, err := parseMoney(tt.in)
		if err != nil || n != tt.want || cur != tt.cur {
			t.Errorf("parseMoney(%q) = %d, %q, %v; want %d, %q", tt.in, n, cur, err, tt.want, tt.cur)
		}
	}
	for _, n := range []int64{0, 1, 999, 1000, 1250, 1234, 50000, 999999, 1000000, 1500000, 1234000, 12345678, 1e15} {
		s := formatAmount(n)
		back, _, err := parseMoney(s)
		if err != nil || back != n {
			t.Errorf("parseMoney(formatAmount(%d) = %q) = %d, %v; want %d", n, s, back, err, n)
		}
	}
}

func FuzzAmount(f *testing.F) {
	for _, s := range []string{"50k", "1.5m", "EUR50k", "€1.25k", "50.000", "1,5m", "", "k", "9999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, cur, err := parseMoney(s)
		if err != nil {
			return
		}
		if n < 0 || n > maxAmount {
			t.Fatalf("parseMoney(%q) = %d, out of range", s, n)
		}
		back, cur2, err := parseMoney(formatAmount(n) + cur)
		if err != nil || back != n || cur2 != cur {
			t.Fatalf("parseMoney(%q) = %d %q, but its canonical form %q reads as %d %q, %v", s, n, cur, formatAmount(n)+cur, back, cur2, err)
		}
	})
}
