package matching

import (
	"errors"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// embeddedCompiler compiles against the code lists built into the binary.
func embeddedCompiler(t *testing.T) *compiler {
	t.Helper()
	v := NewVocabulary()
	if err := v.LoadEmbedded(); err != nil {
		t.Fatal(err)
	}
	return newCompiler(Options{Vocabulary: v})
}

func TestEmbeddedListsLabelAndCheckCodes(t *testing.T) {
	v := NewVocabulary()
	if err := v.LoadEmbedded(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ got, want string }{
		{v.CPVLabel("45210000", "nl"), "Bouwen van gebouwen"},
		{v.CPVLabel("45210000-2", "en"), "Building construction work"},
		{v.NUTSLabel("NL213", "en"), "Twente"},
	} {
		if tt.got != tt.want {
			t.Errorf("label: got %q, want %q", tt.got, tt.want)
		}
	}
	if _, err := embeddedCompiler(t).compile("nuts:NL99"); err == nil || !strings.Contains(err.Error(), "no NUTS region NL99") {
		t.Errorf("nuts:NL99 with the embedded lists: got %v, want it refused", err)
	}
}

func TestRegionNames(t *testing.T) {
	c := embeddedCompiler(t)
	for query, want := range map[string]string{
		"nuts:Overijssel":       "nuts:NL21",
		"nuts:twente":           "nuts:NL213",
		"nuts:Twente,Groningen": "nuts:NL11,NL213",
		"nuts:Luxembourg":       "nuts:LU",
	} {
		q, err := c.compile(query)
		if err != nil {
			t.Errorf("compile(%q): %v", query, err)
			continue
		}
		if q.String() != want {
			t.Errorf("compile(%q) = %q, want %q", query, q.String(), want)
		}
	}
	for query, frags := range map[string][]string{
		"nuts:Augsburg":   {"DE271", "DE276"},
		"nuts:Overijsel":  {"NL21 (Overijssel)"},
		"nuts:Twentestad": {"nuts:"},
	} {
		_, err := c.compile(query)
		var e *bot.Error
		if !errors.As(err, &e) {
			t.Errorf("compile(%q) = %v, want a message", query, err)
			continue
		}
		for _, f := range frags {
			if !strings.Contains(e.Message, f) {
				t.Errorf("compile(%q) message %q lacks %q", query, e.Message, f)
			}
		}
	}
}

func TestValueRangeWithADashSuggestsDots(t *testing.T) {
	_, err := newCompiler(Options{}).compile("value:50k-200k")
	if err == nil || !strings.Contains(err.Error(), "value:50k..200k") || strings.Contains(err.Error(), ">=") {
		t.Errorf("value:50k-200k: got %v, want value:50k..200k suggested", err)
	}
}
