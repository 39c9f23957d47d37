package matching

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

const (
	cpvList  = "../../shared/reference/cpv_2008_en_nl.csv"
	nutsList = "../../shared/reference/nuts_eforms_en_nl.csv"
)

// openReference opens a reference list, skipping the test when the shared
// folder is not there (the lists are not copied into the repository).
func openReference(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("reference list %s not found; it lives in the shared folder next to the repository", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestVocabularyBuiltIn(t *testing.T) {
	v := NewVocabulary()
	tests := []struct {
		name, code, lang, want string
	}{
		{"division", "45000000", "en", "Construction work"},
		{"division with check digit", "45000000-7", "en", "Construction work"},
		{"division by its digits", "45", "en", "Construction work"},
		{"division ending in zero", "30000000", "en", "Office and computing machinery, equipment and supplies except furniture and software packages"},
		{"other language falls back to English", "45000000", "nl", "Construction work"},
		{"deeper code is unknown", "45210000", "en", ""},
		{"not a division", "01000000", "en", ""},
		{"malformed", "45x", "en", ""},
		{"empty", "", "en", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := v.CPVLabel(tt.code, tt.lang); got != tt.want {
				t.Errorf("CPVLabel(%q, %q) = %q, want %q", tt.code, tt.lang, got, tt.want)
			}
		})
	}
	if got := v.NUTSLabel("NL213", "en"); got != "" {
		t.Errorf("NUTSLabel(NL213) without a loaded list = %q, want \"\"", got)
	}
	if !v.KnownCPV("45000000") || v.KnownCPV("45210000") {
		t.Errorf("KnownCPV(45000000), KnownCPV(45210000) = %v, %v; want true, false", v.KnownCPV("45000000"), v.KnownCPV("45210000"))
	}
	if got := len(divisions); got != 45 {
		t.Errorf("len(divisions) = %d, want 45", got)
	}
}

// TestDivisionsMatchReference keeps the built-in names equal to the
// reference list's.
func TestDivisionsMatchReference(t *testing.T) {
	r := csv.NewReader(openReference(t, cpvList))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, row := range rows[1:] { // code,division,significant_digits,label_en,label_nl
		if row[2] != "2" {
			continue
		}
		seen++
		if got := divisions[row[1]]; got != row[3] {
			t.Errorf("divisions[%q] = %q, want %q", row[1], got, row[3])
		}
	}
	if seen != len(divisions) {
		t.Errorf("the reference list has %d divisions, the built-in list %d", seen, len(divisions))
	}
}

func TestVocabularyLoadReference(t *testing.T) {
	cpv, nuts := openReference(t, cpvList), openReference(t, nutsList)
	v := NewVocabulary()
	if err := v.LoadCPV(cpv); err != nil {
		t.Fatalf("LoadCPV: %v", err)
	}
	if err := v.LoadNUTS(nuts); err != nil {
		t.Fatalf("LoadNUTS: %v", err)
	}
	tests := []struct {
		name       string
		label      func(code, lang string) string
		code, lang string
		want       string
	}{
		{"cpv english", v.CPVLabel, "45210000", "en", "Building construction work"},
		{"cpv dutch", v.CPVLabel, "45210000-2", "nl", "Bouwen van gebouwen"},
		{"cpv dutch with region", v.CPVLabel, "45210000", "nl-NL", "Bouwen van gebouwen"},
		{"cpv unknown language", v.CPVLabel, "45210000", "de", "Building construction work"},
		{"cpv division dutch", v.CPVLabel, "45000000", "nl", "Bouwwerkzaamheden"},
		{"cpv unknown code", v.CPVLabel, "45219999", "en", ""},
		{"nuts region", v.NUTSLabel, "NL213", "en", "Twente"},
		{"nuts lower case", v.NUTSLabel, "nl21", "nl", "Overijssel"},
		{"nuts country", v.NUTSLabel, "NL", "en", "Nederland"},
		{"nuts 2021 code not in the list", v.NUTSLabel, "NL329", "en", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.label(tt.code, tt.lang); got != tt.want {
				t.Errorf("label(%q, %q) = %q, want %q", tt.code, tt.lang, got, tt.want)
			}
		})
	}
	if !v.KnownCPV("45210000") {
		t.Error("KnownCPV(45210000) = false after loading the list, want true")
	}
}

func TestVocabularyLoadFile(t *testing.T) {
	openReference(t, cpvList)
	v := NewVocabulary()
	if err := v.LoadFile(cpvList, ""); err != nil {
		t.Fatalf("LoadFile(cpv, \"\"): %v", err)
	}
	if got := v.CPVLabel("45210000", "nl"); got != "Bouwen van gebouwen" {
		t.Errorf("CPVLabel(45210000, nl) = %q, want %q", got, "Bouwen van gebouwen")
	}
	if err := v.LoadFile("", "testdata/no-such-file.csv"); err == nil {
		t.Error("LoadFile with a missing file: no error, want one")
	}
}

func TestVocabularyLoadMalformed(t *testing.T) {
	tests := []struct {
		name string
		load func(*Vocabulary, io.Reader) error
		csv  string
		want string // a fragment of the error
	}{
		{"cpv bad code", (*Vocabulary).LoadCPV, "code,label_en\n45210000,Building\n4521x000,Bad\n", "line 3"},
		{"cpv short code", (*Vocabulary).LoadCPV, "code,label_en\n4521,Building\n", "line 2"},
		{"cpv missing column", (*Vocabulary).LoadCPV, "code,label_en\n45210000\n", "line 2"},
		{"cpv bad quote", (*Vocabulary).LoadCPV, "code,label_en\n45210000,\"Building\n", "line"},
		{"cpv no label_en", (*Vocabulary).LoadCPV, "code,label_nl\n45210000,Bouw\n", "line 1"},
		{"cpv empty", (*Vocabulary).LoadCPV, "", "header"},
		{"nuts bad code", (*Vocabulary).LoadNUTS, "code,level,label_en\nNL,0,Nederland\nN1,1,Bad\n", "line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := NewVocabulary()
			err := tt.load(v, strings.NewReader(tt.csv))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("load(%q) error = %v, want one containing %q", tt.csv, err, tt.want)
			}
			if got := v.CPVLabel("45210000", "en"); got != "" {
				t.Errorf("after a failed load, CPVLabel(45210000) = %q, want \"\": nothing is added", got)
			}
			if got := v.NUTSLabel("NL", "en"); got != "" {
				t.Errorf("after a failed load, NUTSLabel(NL) = %q, want \"\": nothing is added", got)
			}
		})
	}
}
