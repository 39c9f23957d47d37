package workload

import (
	"fmt"
	"strings"
)

// Profiles returns n profile queries.
func (g *Generator) Profiles(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.Profile()
	}
	return out
}

// Profile returns one profile query, in the language people type: what
// they sell (CPV codes, words), where (NUTS regions, a country), and
// filters (kind, value, deadline, exclusions) in the mix below.
func (g *Generator) Profile() string {
	var parts []string
	add := func(s ...string) { parts = append(parts, s...) }
	switch g.pick(35, 12, 15, 10, 8, 5, 4, 3, 3, 1.5, 0.05) {
	case 0: // what and where
		add(g.cpvField(1), g.nutsField())
		if g.chance(0.2) {
			add(g.word())
		}
	case 1: // what, anywhere: a narrower what than with a region
		add("cpv:" + g.cpvCode(max(3, g.profileCPVDepth())))
		if g.chance(0.4) {
			add(g.word())
		}
	case 2: // words and where
		add(g.wordList(1+g.r.IntN(2)), g.nutsField())
	case 3: // words only
		add(g.wordList(1 + g.r.IntN(3)))
	case 4: // several codes, where
		add(g.cpvField(2+g.r.IntN(2)), g.nutsField())
	case 5: // a code or a word, where
		add("("+g.cpvField(1)+" OR "+g.word()+")", g.nutsField())
	case 6: // a code in a country
		c, _ := g.region(0)
		add("country:"+isoCountry(c.code), g.cpvField(1))
	case 7: // a buyer
		add(fmt.Sprintf("buyer:%q", g.buyer[g.r.IntN(len(g.buyer))]))
	case 8: // a word in the title
		add("title:"+g.words[profileSkip+g.zProf.draw(g.r)], g.cpvField(1))
	case 9: // everything in a small region
		_, code := g.region(2 + g.r.IntN(2))
		add("nuts:" + code)
	default: // exclusions only
		add("-"+g.word(), "-"+g.word())
	}
	if g.chance(0.2) {
		add("-" + g.word())
	}
	if g.chance(0.3) {
		add(g.valueField())
	}
	if g.chance(0.1) {
		add(fmt.Sprintf("deadline:>=%dd", []int{3, 7, 14, 21}[g.r.IntN(4)]))
	}
	switch g.pick(80, 5, 3, 12) {
	case 0:
		add("kind:early,tender")
	case 1:
		add("kind:tender")
	case 2:
		add("kind:award")
	}
	return strings.Join(parts, " ")
}

// cpvField returns cpv: with n codes.
func (g *Generator) cpvField(n int) string {
	codes := make([]string, n)
	for i := range codes {
		codes[i] = g.cpvCode(g.profileCPVDepth())
	}
	return "cpv:" + strings.Join(codes, ",")
}

// nutsField returns nuts: with a region of level 0 to 3.
func (g *Generator) nutsField() string {
	_, code := g.region([]int{0, 1, 2, 3}[g.pick(0.3, 0.2, 0.35, 0.15)])
	return "nuts:" + code
}

// valueField returns a value: filter, a fifth of them in a currency.
func (g *Generator) valueField() string {
	v := []string{">=50k", ">=100k", ">=250k", "<1m", "<500k", "50k..2m", "100k..5m", ">=1m"}[g.r.IntN(8)]
	if g.chance(0.2) {
		v += []string{"EUR", "GBP", "PLN"}[g.pick(0.8, 0.1, 0.1)]
	}
	return "value:" + v
}

// word returns a word a profile might look for: a whole word, mostly, else
// the start of one.
func (g *Generator) word() string {
	w := g.words[profileSkip+g.zProf.draw(g.r)]
	if r := []rune(w); len(r) > 6 && g.chance(0.15) {
		return string(r[:5+g.r.IntN(len(r)-5)]) + "*"
	}
	return w
}

// wordList returns n words, a phrase now and then, or alternatives.
func (g *Generator) wordList(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.word()
	}
	switch {
	case n >= 2 && g.chance(0.3):
		return "(" + strings.Join(ws, " OR ") + ")"
	case n == 2 && g.chance(0.2):
		return `"` + strings.TrimSuffix(ws[0], "*") + " " + ws[1] + `"`
	}
	return strings.Join(ws, " ")
}

// isoCountry returns the ISO code of a NUTS country code.
func isoCountry(nuts string) string {
	switch nuts {
	case "EL":
		return "GR"
	case "UK":
		return "GB"
	}
	return nuts
}

// BroadProfiles returns n broad profile queries.
func (g *Generator) BroadProfiles(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.BroadProfile()
	}
	return out
}

// BroadProfile returns one broad profile query: one or two CPV divisions,
// in a country or anywhere, the profile of a firm that wants everything in
// its trade. A notice matches several percent of such profiles, where it
// matches a quarter of a percent of Profile's: they load the fan-out from
// one notice to its alerts, not the matcher.
func (g *Generator) BroadProfile() string {
	divisions := []string{cpvDivisions[g.zDiv.draw(g.r)]}
	if g.chance(0.5) {
		if d := cpvDivisions[g.zDiv.draw(g.r)]; d != divisions[0] {
			divisions = append(divisions, d)
		}
	}
	q := "cpv:" + strings.Join(divisions, ",")
	if g.chance(0.3) {
		c, _ := g.region(0)
		q += " country:" + isoCountry(c.code)
	}
	return q
}
