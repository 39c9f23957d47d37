package matching

import (
	"maps"
	"slices"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

var _ bot.Suggester = (*Vocabulary)(nil)

// Suggest completes a code for a chat's autocomplete; it implements
// bot.Suggester. Field is "cpv" or "nuts". Codes that start with the typed
// text come first, then codes whose label (in any language, folded) holds
// it, each in code order, up to limit. Without the full CPV list the 45
// division names are searched.
func (v *Vocabulary) Suggest(field, text, language string, limit int) []bot.CodeName {
	text = strings.TrimSpace(text)
	if limit <= 0 || text == "" {
		return nil
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	var codes []string
	var labels func(code string) []string
	var label func(code string) string
	switch field {
	case "cpv":
		text, _, _ = strings.Cut(text, "-") // a check digit
		codes = v.cpvList
		labels = func(c string) []string { return slices.Collect(maps.Values(v.cpv[c])) }
		if len(codes) == 0 {
			for d := range divisions {
				codes = append(codes, d+"000000")
			}
			slices.Sort(codes)
			labels = func(c string) []string { return []string{divisions[c[:2]]} }
		}
		label = func(c string) string {
			if l := pick(v.cpv[c], language); l != "" {
				return l
			}
			return divisions[c[:2]]
		}
	case "nuts":
		text = strings.ToUpper(text)
		codes = v.nutsList
		labels = func(c string) []string { return slices.Collect(maps.Values(v.nuts[c])) }
		label = func(c string) string { return pick(v.nuts[c], language) }
	default:
		return nil
	}
	var byCode, byLabel []bot.CodeName
	folded := fold(text)
	for _, c := range codes {
		if strings.HasPrefix(c, strings.ToUpper(text)) {
			byCode = append(byCode, bot.CodeName{Code: c, Label: label(c)})
			if len(byCode) == limit {
				return byCode
			}
			continue
		}
		if len(byLabel) < limit && slices.ContainsFunc(labels(c), func(l string) bool { return strings.Contains(fold(l), folded) }) {
			byLabel = append(byLabel, bot.CodeName{Code: c, Label: label(c)})
		}
	}
	return append(byCode, byLabel[:min(len(byLabel), limit-len(byCode))]...)
}
