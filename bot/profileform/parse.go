package profileform

import (
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// Parse reads a filled-in profile form, its values by field
// key: lists (codes, kinds) split at commas, semicolons and line ends; a
// value range "50k..2m" into its bounds, a single amount being a minimum;
// kinds by name or label. Whether the values make sense is for PreviewForm
// and SubscribeForm to say, field by field.
func Parse(values map[string]string) bot.ProfileForm {
	f := bot.ProfileForm{
		Name:     strings.TrimSpace(values[bot.FieldName]),
		Words:    strings.TrimSpace(values[bot.FieldWords]),
		CPV:      splitList(values[bot.FieldCPV]),
		Regions:  splitList(values[bot.FieldRegions]),
		Delivery: bot.DeliveryMode(strings.ToLower(strings.TrimSpace(values[bot.FieldDelivery]))),
	}
	if v := strings.TrimSpace(values[bot.FieldValue]); v != "" {
		lo, hi, found := strings.Cut(v, "..")
		if !found {
			lo = v
		}
		f.ValueMin, f.ValueMax = strings.TrimSpace(lo), strings.TrimSpace(hi)
	}
	for _, word := range splitList(values[bot.FieldKinds]) {
		f.Kinds = append(f.Kinds, kindNamed(word))
	}
	return f
}

// kindNamed reads a notice kind from its name or label; an unknown word
// stays as it is, for validate to refuse.
func kindNamed(word string) bot.Kind {
	word = strings.ToLower(strings.TrimSpace(word))
	for _, k := range []bot.Kind{bot.KindEarly, bot.KindTender, bot.KindAward, bot.KindChange} {
		if word == string(k) || word == k.Label() {
			return k
		}
	}
	return bot.Kind(word)
}

// splitList splits a list typed or chosen in a form.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
