package profileform

import (
	"reflect"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]string
		want   bot.ProfileForm
		query  string
	}{
		{"nothing", map[string]string{}, bot.ProfileForm{}, ""},
		{"typed lists and a range",
			map[string]string{bot.FieldName: " Bouw ", bot.FieldWords: "renovatie", bot.FieldCPV: "45000000 Construction work, 45210000", bot.FieldRegions: "NL21;\nNL213", bot.FieldValue: "50k..2m", bot.FieldKinds: "early engagement, tender"},
			bot.ProfileForm{Name: "Bouw", Words: "renovatie", CPV: []string{"45000000 Construction work", "45210000"}, Regions: []string{"NL21", "NL213"}, ValueMin: "50k", ValueMax: "2m", Kinds: []bot.Kind{bot.KindEarly, bot.KindTender}},
			"renovatie cpv:45000000,45210000 nuts:NL21,NL213 value:50k..2m kind:early,tender"},
		{"a single amount is a minimum", map[string]string{bot.FieldValue: "50k"}, bot.ProfileForm{ValueMin: "50k"}, "value:>=50k"},
		{"an open range", map[string]string{bot.FieldValue: "..2m"}, bot.ProfileForm{ValueMax: "2m"}, "value:<=2m"},
		{"delivery and an unknown kind", map[string]string{bot.FieldDelivery: " Daily ", bot.FieldKinds: "Tender,nonsense"},
			bot.ProfileForm{Delivery: bot.DeliverDaily, Kinds: []bot.Kind{bot.KindTender, "nonsense"}}, "kind:tender,nonsense"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.values)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if q := got.Query(); q != tt.query {
				t.Errorf("query: got %q, want %q", q, tt.query)
			}
		})
	}
}

func TestFieldsFitChatForms(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Fields() {
		if f.Key == "" || seen[f.Key] || len([]rune(f.Label)) > 45 || len([]rune(f.Placeholder)) > 100 {
			t.Errorf("field %q: a key given once, a label of at most 45 and a placeholder of at most 100 characters, got %+v", f.Key, f)
		}
		seen[f.Key] = true
		picks := f.Input == PickOne || f.Input == PickAny
		if picks != (len(f.Choices) > 0) || (f.Input == Codes) != (f.Vocabulary != "") {
			t.Errorf("field %q of input %s: choices %v, vocabulary %q", f.Key, f.Input, f.Choices, f.Vocabulary)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("renovatie", "45, 45210000", "NL21", "50k..2m", "early, tender", "daily")
	f.Add("", ";;", "\n", "..", ",", "")
	f.Fuzz(func(t *testing.T, words, cpv, regions, value, kinds, delivery string) {
		form := Parse(map[string]string{bot.FieldWords: words, bot.FieldCPV: cpv, bot.FieldRegions: regions, bot.FieldValue: value, bot.FieldKinds: kinds, bot.FieldDelivery: delivery})
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
