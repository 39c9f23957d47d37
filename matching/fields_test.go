package matching

import (
	"slices"
	"strings"
	"testing"
)

func TestOneTypo(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"cpv", "cpv", false},
		{"cvp", "cpv", true},
		{"pcv", "cpv", true},
		{"cpvv", "cpv", true},
		{"cp", "cpv", true},
		{"pv", "cpv", true},
		{"cpx", "cpv", true},
		{"xyz", "cpv", false},
		{"vpc", "cpv", false},
		{"c", "cpv", false},
		{"nust", "nuts", true},
		{"valeu", "nuts", false},
		{"", "a", true},
	}
	for _, tt := range tests {
		t.Run(tt.a+"_"+tt.b, func(t *testing.T) {
			if got := oneTypo(tt.a, tt.b); got != tt.want {
				t.Errorf("oneTypo(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := oneTypo(tt.b, tt.a); got != tt.want {
				t.Errorf("oneTypo(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

func TestDropCovered(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"sorted", []string{"45", "09"}, []string{"09", "45"}},
		{"duplicates", []string{"45", "45"}, []string{"45"}},
		{"covered", []string{"4521", "45", "452", "46"}, []string{"45", "46"}},
		{"not a prefix", []string{"NL2", "NL21", "NL3"}, []string{"NL2", "NL3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dropCovered(slices.Clone(tt.in)); !slices.Equal(got, tt.want) {
				t.Errorf("dropCovered(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFieldList(t *testing.T) {
	got := fieldList().String()
	for name := range fields {
		if !strings.Contains(got, name+":") {
			t.Errorf("fieldList() = %q, want %s: named", got, name)
		}
	}
	if !strings.HasSuffix(got, " and value:") {
		t.Errorf("fieldList() = %q, want it to end with \" and value:\"", got)
	}
}

// TestDutchFieldNames checks that the Dutch names of fields and kinds read
// as the English ones: the same query, in canonical form.
func TestDutchFieldNames(t *testing.T) {
	for dutch, english := range map[string]string{
		"regio:NL213":                             "nuts:NL213",
		"waarde:>=50k":                            "value:>=50k",
		"soort:aanbesteding,marktverkenning":      "kind:early,tender",
		"sluiting:>=7d":                           "deadline:>=7d",
		"koper:almelo":                            "buyer:almelo",
		"opdrachtgever:almelo":                    "buyer:almelo",
		"titel:sporthal omschrijving:dak land:NL": "title:sporthal description:dak country:NL",
		"Regio:NL21 soort:gunning":                "nuts:NL21 kind:award",
	} {
		nl, err := Compile(dutch)
		if err != nil {
			t.Errorf("Compile(%q): %v", dutch, err)
			continue
		}
		en, err := Compile(english)
		if err != nil {
			t.Fatalf("Compile(%q): %v", english, err)
		}
		if nl.String() != en.String() {
			t.Errorf("%q reads as %q, want %q as %q does", dutch, nl.String(), en.String(), english)
		}
	}
	if _, err := Compile("streek:NL21"); err == nil {
		t.Error("a field that is neither English nor a Dutch alias compiled")
	}
}
