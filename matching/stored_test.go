package matching

import (
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

// A code list loaded after a profile was saved must not stop its alerts:
// stored queries are checked for syntax only.
func TestStoredQueriesSurviveANewCodeList(t *testing.T) {
	v := NewVocabulary()
	list := "code,division,significant_digits,label_en,label_nl\n45000000,45,2,Construction work,Bouwwerkzaamheden\n"
	if err := v.LoadCPV(strings.NewReader(list)); err != nil {
		t.Fatal(err)
	}
	matchers := map[string]bot.Matcher{"index": NewIndex(Options{Vocabulary: v}), "scan": NewScanWith(Options{Vocabulary: v})}
	for name, m := range matchers {
		t.Run(name, func(t *testing.T) {
			if _, err := m.Compile("cpv:45219999"); err == nil {
				t.Fatal("a code the list does not know compiled as new input")
			}
			q, err := m.CompileStored("cpv:45219999")
			if err != nil {
				t.Fatalf("CompileStored: %v", err)
			}
			m.Put(1, q)
			hits := m.Match(&bot.Notice{ID: "n", CPV: []string{"45219999"}, Kind: bot.KindTender})
			if len(hits) != 1 {
				t.Errorf("hits: got %d, want the stored profile to match", len(hits))
			}
			if _, err := m.CompileStored("cpv:4x"); err == nil {
				t.Error("CompileStored accepted bad syntax")
			}
		})
	}
}
