package matching

import (
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// NUTS codes name regions: a two-letter country code, then one character
// per level (NL, NL2, NL21, NL213). A code covers the codes it prefixes.

const maxNUTS = 5

// countryAliases maps the ISO 3166 codes of the two countries whose NUTS
// code differs to their NUTS code, so that nuts:GR and a notice from
// country GR meet nuts:EL regions.
var countryAliases = map[string]string{
	"GR": "EL",
	"GB": "UK",
}

// nutsNode matches a notice with a NUTS code under any of its codes, or,
// for a country code, a notice from that country.
type nutsNode struct {
	codes []string // upper case, sorted, none covering another
}

// renamedNUTS pairs the NUTS 2021 codes renamed in NUTS 2024 with their new
// codes, both ways, so a profile written in either version matches a notice
// written in either. Only the Netherlands' changes are listed (see
// ../shared/reference/SOURCES.md): Noord-Holland's NL324 and NL329, and
// Zuid-Holland, NL33 with its regions, which became NL36.
var renamedNUTS = func() map[string]string {
	pairs := [][2]string{
		{"NL324", "NL32A"}, {"NL329", "NL32B"},
		{"NL33", "NL36"},
		{"NL332", "NL361"}, {"NL333", "NL362"}, {"NL337", "NL363"},
		{"NL33A", "NL364"}, {"NL33B", "NL365"}, {"NL33C", "NL366"},
	}
	m := make(map[string]string, 2*len(pairs))
	for _, p := range pairs {
		m[p[0]], m[p[1]] = p[1], p[0]
	}
	return m
}()

// nuts2021 holds the NUTS 2021 codes of renamedNUTS, to say which version
// a code is from.
var nuts2021 = map[string]bool{
	"NL324": true, "NL329": true, "NL33": true, "NL332": true, "NL333": true,
	"NL337": true, "NL33A": true, "NL33B": true, "NL33C": true,
}

// compileNUTS compiles the value of nuts:, a comma-separated list of codes.
// With a NUTS list loaded, a code that is not on it (nor a NUTS 2021 code
// renamed in 2024, nor a UK code, which TED no longer lists) is refused with
// the nearest listed codes.
func compileNUTS(c *compiler, value string, _ bool) (node, int, error) {
	items := splitList(value)
	if len(items) == 0 {
		return nil, 0, bot.Errorf(bot.EINVALID, "nuts:%s — say which region, like nuts:NL or nuts:NL213", value)
	}
	codes := make([]string, 0, len(items))
	for _, item := range items {
		if named, err, ok := c.nutsByName(strings.TrimSuffix(item, "*")); ok {
			if err != nil {
				return nil, 0, err
			}
			codes = append(codes, named...)
			continue
		}
		code := strings.ToUpper(strings.TrimSuffix(item, "*"))
		if !validNUTS(code) {
			return nil, 0, bot.Errorf(bot.EINVALID, "nuts:%s — a NUTS code is a 2-letter country code and up to 3 more letters or digits, like nuts:NL, nuts:NL21 or nuts:NL213", item)
		}
		code = normalizeCountry(code)
		if err := c.checkNUTS(item, code); err != nil {
			return nil, 0, err
		}
		codes = append(codes, code)
	}
	codes = dropCovered(codes)
	return &nutsNode{codes: codes}, len(codes), nil
}

// validNUTS reports whether c matches ^[A-Z]{2}[0-9A-Z]{0,3}$.
func validNUTS(c string) bool {
	if len(c) < 2 || len(c) > maxNUTS {
		return false
	}
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; {
		case 'A' <= ch && ch <= 'Z':
		case '0' <= ch && ch <= '9' && i >= 2:
		default:
			return false
		}
	}
	return true
}

// normalizeCountry replaces the ISO country code at the start of an
// upper-case NUTS or country code by its NUTS code (GR30 becomes EL30).
func normalizeCountry(c string) string {
	if len(c) >= 2 {
		if nuts, ok := countryAliases[c[:2]]; ok {
			return nuts + c[2:]
		}
	}
	return c
}

// normalizeNoticeNUTS returns a notice's NUTS code in upper case, "" when
// it is empty.
func normalizeNoticeNUTS(c string) string {
	return normalizeCountry(strings.ToUpper(strings.TrimSpace(c)))
}

// match gives one reason: the first region, or its other-version name,
// under one of the codes, else the country.
func (n *nutsNode) match(e *evaluation) bool {
	d := e.d
	for _, r := range d.nuts {
		for _, q := range n.codes {
			if strings.HasPrefix(r.code, q) {
				nutsReason(e, r.code, "", q)
				return true
			}
		}
		if r.alias == "" {
			continue
		}
		for _, q := range n.codes {
			if strings.HasPrefix(r.alias, q) {
				nutsReason(e, r.code, r.alias, q)
				return true
			}
		}
	}
	if d.country == "" {
		return false
	}
	for _, q := range n.codes {
		if len(q) == 2 && q == d.country {
			e.reason("country " + q)
			return true
		}
	}
	return false
}

// nutsReason says "region NL213 under NL21", and for a renamed region by
// which name it matched: "region NL361 (NL332 in NUTS 2021) under NL33".
func nutsReason(e *evaluation, code, alias, q string) {
	start := e.begin()
	e.say("region ")
	e.say(code)
	matched := code
	if alias != "" {
		matched = alias
		e.say(" (")
		e.say(alias)
		if nuts2021[alias] {
			e.say(" in NUTS 2021)")
		} else {
			e.say(" in NUTS 2024)")
		}
	}
	if matched != q {
		e.say(" under ")
		e.say(q)
	}
	e.end(start)
}

// missing names the regions asked for and the notice's own.
func (n *nutsNode) missing(d *document) string {
	var b strings.Builder
	b.WriteString("no region in ")
	b.WriteString(strings.Join(n.codes, " or "))
	switch {
	case len(d.nuts) > 0:
		b.WriteString(" (the notice is in ")
		for i, r := range d.nuts {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(r.code)
		}
		b.WriteString(")")
	case d.country != "":
		b.WriteString(" (the notice names no region, only country " + d.country + ")")
	default:
		b.WriteString(" (the notice names no region)")
	}
	return b.String()
}

// keywords is nil: a code is not a word of the text.
func (n *nutsNode) keywords() []string { return nil }

func (n *nutsNode) format(b *strings.Builder) {
	b.WriteString("nuts:")
	b.WriteString(strings.Join(n.codes, ","))
}

func (n *nutsNode) precedence() int { return precAtom }
