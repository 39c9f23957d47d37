package workload

import (
	"strconv"
	"strings"
)

// cpvDivisions are the 45 CPV divisions, the most frequent in TED first.
var cpvDivisions = []string{
	"45", "72", "71", "79", "33", "90", "50", "34", "48", "30",
	"39", "80", "85", "44", "09", "15", "60", "55", "92", "77",
	"42", "31", "32", "35", "38", "73", "64", "66", "98", "22",
	"18", "24", "70", "63", "75", "43", "51", "14", "19", "37",
	"03", "16", "41", "65", "76",
}

// cpvCode draws a CPV code as significant digits, depth digits long (2 to
// 8): a division, then one digit per level, each Zipf-weighted so that the
// same codes recur.
func (g *Generator) cpvCode(depth int) string {
	return g.cpvUnder(cpvDivisions[g.zDiv.draw(g.r)], depth)
}

// cpvUnder draws a code of depth digits under the significant digits p.
func (g *Generator) cpvUnder(p string, depth int) string {
	var b strings.Builder
	b.WriteString(p)
	for b.Len() < depth {
		b.WriteByte(byte('1' + g.zDig.draw(g.r)))
	}
	return b.String()[:depth]
}

// pad returns the 8-digit code of significant digits.
func pad(p string) string { return p + strings.Repeat("0", 8-len(p)) }

// noticeCPVDepth draws how deep a notice's code goes: group, class,
// category or finer.
func (g *Generator) noticeCPVDepth() int {
	return []int{3, 4, 5, 6, 8}[g.pick(0.1, 0.35, 0.3, 0.15, 0.1)]
}

// profileCPVDepth draws how deep a profile's code goes: mostly division,
// group or class.
func (g *Generator) profileCPVDepth() int {
	return []int{2, 3, 4, 5, 6}[g.pick(0.15, 0.25, 0.3, 0.18, 0.12)]
}

// country is a NUTS country with its share of TED notices, how many NUTS 1
// regions it has, and its currency.
type country struct {
	code     string
	share    float64
	regions  int
	currency string
}

var countries = []country{
	{"FR", 20, 9, "EUR"}, {"DE", 15, 9, "EUR"}, {"PL", 12, 7, "PLN"}, {"ES", 8, 7, "EUR"},
	{"IT", 7, 5, "EUR"}, {"NL", 5, 4, "EUR"}, {"SE", 4, 3, "SEK"}, {"CZ", 4, 1, "CZK"},
	{"RO", 3, 4, "RON"}, {"BE", 3, 3, "EUR"}, {"AT", 3, 3, "EUR"}, {"UK", 2, 9, "GBP"},
	{"DK", 2, 1, "DKK"}, {"FI", 2, 2, "EUR"}, {"PT", 2, 3, "EUR"}, {"HU", 2, 3, "HUF"},
	{"SK", 1.5, 1, "EUR"}, {"BG", 1.5, 2, "BGN"}, {"LT", 1, 1, "EUR"}, {"LV", 1, 1, "EUR"},
	{"EE", 1, 1, "EUR"}, {"IE", 1, 1, "EUR"}, {"HR", 1, 1, "EUR"}, {"SI", 1, 1, "EUR"},
	{"EL", 1, 4, "EUR"}, {"NO", 1, 1, "NOK"}, {"LU", 0.5, 1, "EUR"}, {"CY", 0.3, 1, "EUR"},
}

func countryWeights() []float64 {
	w := make([]float64, len(countries))
	for i, c := range countries {
		w[i] = c.share
	}
	return w
}

// renamedNL are NUTS 2021 codes of the Netherlands renamed in 2024 and
// their new codes, which notices still carry both of.
var renamedNL = []string{"NL332", "NL361", "NL333", "NL362", "NL329", "NL32B", "NL33", "NL36"}

// region draws a country and a NUTS code in it of level 0 (the country) to
// 3, Zipf-weighted within each level.
func (g *Generator) region(level int) (country, string) {
	c := countries[g.zCtry.draw(g.r)]
	if c.code == "NL" && level >= 2 && g.chance(0.15) {
		return c, renamedNL[g.r.IntN(len(renamedNL))]
	}
	code := c.code
	if level >= 1 {
		code += strconv.Itoa(1 + g.zReg.draw(g.r)%c.regions)
	}
	for l := 2; l <= level; l++ {
		code += strconv.Itoa(1 + g.zReg.draw(g.r))
	}
	return c, code
}
