package bot

import (
	"reflect"
	"testing"
)

func TestParseProfileForm(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]string
		want   ProfileForm
		query  string
	}{
		{"nothing", map[string]string{}, ProfileForm{}, ""},
		{"typed lists and a range",
			map[string]string{FieldName: " Bouw ", FieldWords: "renovatie", FieldCPV: "45000000 Construction work, 45210000", FieldRegions: "NL21;\nNL213", FieldValue: "50k..2m", FieldKinds: "early engagement, tender"},
			ProfileForm{Name: "Bouw", Words: "renovatie", CPV: []string{"45000000 Construction work", "45210000"}, Regions: []string{"NL21", "NL213"}, ValueMin: "50k", ValueMax: "2m", Kinds: []Kind{KindEarly, KindTender}},
			"renovatie cpv:45000000,45210000 nuts:NL21,NL213 value:50k..2m kind:early,tender"},
		{"a single amount is a minimum", map[string]string{FieldValue: "50k"}, ProfileForm{ValueMin: "50k"}, "value:>=50k"},
		{"an open range", map[string]string{FieldValue: "..2m"}, ProfileForm{ValueMax: "2m"}, "value:<=2m"},
		{"delivery and an unknown kind", map[string]string{FieldDelivery: " Daily ", FieldKinds: "Tender,nonsense"},
			ProfileForm{Delivery: DeliverDaily, Kinds: []Kind{KindTender, "nonsense"}}, "kind:tender,nonsense"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseProfileForm(tt.values)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if q := got.Query(); q != tt.query {
				t.Errorf("query: got %q, want %q", q, tt.query)
			}
		})
	}
}

func TestProfileFormFieldsFitChatForms(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range ProfileFormFields() {
		if f.Key == "" || seen[f.Key] || len([]rune(f.Label)) > 45 || len([]rune(f.Placeholder)) > 100 {
			t.Errorf("field %q: a key given once, a label of at most 45 and a placeholder of at most 100 characters, got %+v", f.Key, f)
		}
		seen[f.Key] = true
		picks := f.Input == FormPickOne || f.Input == FormPickAny
		if picks != (len(f.Choices) > 0) || (f.Input == FormCodes) != (f.Vocabulary != "") {
			t.Errorf("field %q of input %s: choices %v, vocabulary %q", f.Key, f.Input, f.Choices, f.Vocabulary)
		}
	}
}

func FuzzParseProfileForm(f *testing.F) {
	f.Add("renovatie", "45, 45210000", "NL21", "50k..2m", "early, tender", "daily")
	f.Add("", ";;", "\n", "..", ",", "")
	f.Fuzz(func(t *testing.T, words, cpv, regions, value, kinds, delivery string) {
		form := ParseProfileForm(map[string]string{FieldWords: words, FieldCPV: cpv, FieldRegions: regions, FieldValue: value, FieldKinds: kinds, FieldDelivery: delivery})
		for _, list := range [][]string{form.CPV, form.Regions} {
			for _, item := range list {
				if item == "" {
					t.Errorf("an empty item in %q", list)
				}
			}
		}
		_ = form.Query()
	})
}
