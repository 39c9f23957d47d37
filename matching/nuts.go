package matching

import (
	"strings"
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

// compileNUTS compiles the value of nuts:, a comma-separated list of codes.
func compileNUTS(value string) (node, int, error) {
	items := splitList(value)
	if len(items) == 0 {
		return nil, 0, invalid("nuts:%s — say which region, like nuts:NL or nuts:NL213", value)
	}
	codes := make([]string, 0, len(items))
	for _, item := range items {
		c := strings.ToUpper(strings.TrimSuffix(item, "*"))
		if !validNUTS(c) {
			return nil, 0, invalid("nuts:%s — a NUTS code is a 2-letter country code and up to 3 more letters or digits, like nuts:NL, nuts:NL21 or nuts:NL213", item)
		}
		codes = append(codes, normalizeCountry(c))
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

// match gives one reason: the first region under one of the codes, else
// the country.
func (n *nutsNode) match(d *document, why *[]string) bool {
	for _, c := range d.nuts {
		for _, q := range n.codes {
			if strings.HasPrefix(c, q) {
				r := "region " + c
				if c != q {
					r += " under " + q
				}
				*why = append(*why, r)
				return true
			}
		}
	}
	if d.country == "" {
		return false
	}
	for _, q := range n.codes {
		if len(q) == 2 && q == d.country {
			*why = append(*why, "country "+q)
			return true
		}
	}
	return false
}

// keywords is nil: a code is not a word of the text.
func (n *nutsNode) keywords() []string { return nil }

func (n *nutsNode) format(b *strings.Builder) {
	b.WriteString("nuts:")
	b.WriteString(strings.Join(n.codes, ","))
}

func (n *nutsNode) precedence() int { return precAtom }
