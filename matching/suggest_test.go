package matching

import (
	"os"
	"strings"
	"testing"
)

func TestSuggestDivisionsWithoutTheList(t *testing.T) {
	v := NewVocabulary()
	got := v.Suggest("cpv", "45", "", 5)
	if len(got) != 1 || got[0].Code != "45000000" || got[0].Label != "Construction work" {
		t.Errorf("Suggest(cpv, 45): %+v", got)
	}
	byWord := v.Suggest("cpv", "construct", "", 5)
	if len(byWord) == 0 || byWord[0].Code != "43000000" && byWord[0].Code != "44000000" && byWord[0].Code != "45000000" {
		t.Errorf("Suggest(cpv, construct): %+v", byWord)
	}
	if got := v.Suggest("nuts", "NL", "", 5); got != nil {
		t.Errorf("NUTS without a list: %+v, want none", got)
	}
	if got := v.Suggest("colour", "x", "", 5); got != nil {
		t.Errorf("an unknown field: %+v", got)
	}
}

func TestSuggestFromTheReferenceLists(t *testing.T) {
	cpv, nuts := "../../shared/reference/cpv_2008_en_nl.csv", "../../shared/reference/nuts_eforms_en_nl.csv"
	if _, err := os.Stat(cpv); err != nil {
		t.Skipf("reference lists not found beside the project: %v", err)
	}
	v := NewVocabulary()
	if err := v.LoadFile(cpv, nuts); err != nil {
		t.Fatal(err)
	}
	if got := v.Suggest("cpv", "4521", "nl", 3); len(got) != 3 || !strings.HasPrefix(got[0].Code, "4521") {
		t.Errorf("Suggest(cpv, 4521): %+v", got)
	}
	if got := v.Suggest("cpv", "zonnepan", "nl", 3); len(got) == 0 || got[0].Code != "09331000" {
		t.Errorf("Suggest(cpv, zonnepan): %+v, want 09331000 (Zonnepanelen) first", got)
	}
	twente := v.Suggest("nuts", "twente", "nl", 3)
	if len(twente) != 1 || twente[0].Code != "NL213" {
		t.Errorf("Suggest(nuts, twente): %+v", twente)
	}
}
