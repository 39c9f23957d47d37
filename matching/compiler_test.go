package matching

import (
	"errors"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestCompileProfileAddsDefaultKinds(t *testing.T) {
	c := newCompiler(Options{})
	tests := []struct{ query, want string }{
		{"cpv:45 nuts:NL21", "cpv:45 nuts:NL21 kind:early,tender"},
		{"renovatie OR dak", "(renovatie OR dak) kind:early,tender"},
		{"-asbest", "-asbest kind:early,tender"},
		{"kind:award cpv:45", "kind:award cpv:45"},
		{"cpv:45 -kind:change", "cpv:45 -kind:change"},
		{"(kind:award OR renovatie)", "kind:award OR renovatie"},
		{"cpv:45 kind:early,tender", "cpv:45 kind:early,tender"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := c.compileProfile(tt.query)
			if err != nil {
				t.Fatalf("compileProfile(%q): %v", tt.query, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("compileProfile(%q).String() = %q, want %q", tt.query, got, tt.want)
			}
			if again, _ := c.compileProfile(q.String()); again.String() != q.String() {
				t.Errorf("compileProfile(%q) = %q: not a fixed point", q.String(), again.String())
			}
		})
	}
	if _, err := c.compileProfile("cpv:"); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("compileProfile(cpv:) error = %v, want EINVALID", err)
	}
	// The scan and the index offer it to the bot.
	for _, m := range []interface {
		CompileProfile(string) (bot.Query, error)
	}{NewScan(), NewIndex(Options{})} {
		if q, err := m.CompileProfile("cpv:45"); err != nil || q.String() != "cpv:45 kind:early,tender" {
			t.Errorf("%T.CompileProfile(cpv:45) = %v, %v; want cpv:45 kind:early,tender", m, q, err)
		}
		if q, err := m.CompileProfile("cpv:"); q != nil || err == nil {
			t.Errorf("%T.CompileProfile(cpv:) = %#v, %v; want a nil interface and an error", m, q, err)
		}
	}
}

// loadedCompiler returns a compiler with the reference code lists loaded,
// skipping the test when they are absent.
func loadedCompiler(t *testing.T) *compiler {
	t.Helper()
	v := NewVocabulary()
	if err := v.LoadCPV(openReference(t, cpvList)); err != nil {
		t.Fatal(err)
	}
	if err := v.LoadNUTS(openReference(t, nutsList)); err != nil {
		t.Fatal(err)
	}
	return newCompiler(Options{Vocabulary: v})
}

func TestCompileChecksCodesAgainstTheLists(t *testing.T) {
	c := loadedCompiler(t)
	accepted := []string{
		"cpv:45", "cpv:4521", "cpv:45210000-2", "cpv:331", "cpv:45,09331200", "nuts:NL21", "nuts:NL213", "nuts:NL",
		"nuts:NL33", "nuts:NL332", "nuts:UKD11", "nuts:GR", "nuts:EL30", "country:NL", "country:GR", "country:GB",
	}
	for _, q := range accepted {
		if _, err := c.compile(q); err != nil {
			t.Errorf("compile(%q) with the lists loaded: %v", q, err)
		}
	}
	refused := []struct {
		query string
		want  []string
	}{
		{"cpv:45219", []string{"no CPV code 45219000", "cpv:45216 (", "cpv:45217 ("}},
		{"cpv:46", []string{"no CPV code 46000000", "cpv:45 (Construction work)"}},
		{"cpv:45,46", []string{"cpv:46 —"}},
		{"nuts:NL99", []string{"no NUTS region NL99", "NL42 (Limburg (NL))"}},
		{"nuts:XY", []string{"no NUTS region XY"}},
		{"country:XX", []string{"no country XX"}},
	}
	for _, tt := range refused {
		_, err := c.compile(tt.query)
		var e *bot.Error
		if !errors.As(err, &e) || e.Code != bot.EINVALID {
			t.Errorf("compile(%q) error = %v, want EINVALID", tt.query, err)
			continue
		}
		for _, frag := range tt.want {
			if !strings.Contains(e.Message, frag) {
				t.Errorf("compile(%q) message = %q, want it to contain %q", tt.query, e.Message, frag)
			}
		}
	}
}

func TestCompileWithoutListsChecksDivisions(t *testing.T) {
	c := newCompiler(Options{Vocabulary: NewVocabulary()})
	for _, q := range []string{"cpv:45219", "cpv:4521999", "nuts:NL99", "nuts:XY", "country:XX"} {
		if _, err := c.compile(q); err != nil {
			t.Errorf("compile(%q) without lists: %v; want only syntax checked", q, err)
		}
	}
	if _, err := c.compile("cpv:46"); err == nil || !strings.Contains(err.Error(), "no CPV division 46") {
		t.Errorf("compile(cpv:46) error = %v, want no CPV division 46", err)
	}
}
