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
	got := fieldList()
	for name := range fields {
		if !strings.Contains(got, name+":") {
			t.Errorf("fieldList() = %q, want %s: named", got, name)
		}
	}
	if !strings.HasSuffix(got, " and value:") {
		t.Errorf("fieldList() = %q, want it to end with \" and value:\"", got)
	}
}
