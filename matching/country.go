package matching

import (
	"slices"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// countryNode matches a notice whose Country is one of its countries: the
// country the source gives for the notice (usually the buyer's), which
// nuts: does not look at beyond a country code of its own.
type countryNode struct {
	codes []string // NUTS form (EL for Greece, UK for the United Kingdom), sorted by ISO code
}

// isoCountry returns the ISO 3166 code of a country's NUTS code: GR for EL,
// GB for UK.
func isoCountry(nuts string) string {
	for iso, n := range countryAliases {
		if n == nuts {
			return iso
		}
	}
	return nuts
}

// compileCountry compiles the value of country:, a comma-separated list of
// two-letter country codes.
func compileCountry(c *compiler, value string, _ bool) (node, int, error) {
	items := splitList(value)
	if len(items) == 0 {
		return nil, 0, bot.Errorf(bot.EINVALID, "country:%s — say which country, like country:NL or country:NL,BE", value)
	}
	codes := make([]string, 0, len(items))
	for _, item := range items {
		code := strings.ToUpper(item)
		if len(code) != 2 || !validNUTS(code) {
			return nil, 0, bot.Errorf(bot.EINVALID, "country:%s — a country is a 2-letter code, like country:NL or country:BE", item)
		}
		code = normalizeCountry(code)
		if err := c.checkCountry(item, code); err != nil {
			return nil, 0, err
		}
		codes = append(codes, code)
	}
	slices.SortFunc(codes, func(a, b string) int { return strings.Compare(isoCountry(a), isoCountry(b)) })
	codes = slices.Compact(codes)
	return &countryNode{codes: codes}, len(codes), nil
}

func (n *countryNode) match(e *evaluation) bool {
	if e.d.country == "" || !slices.Contains(n.codes, e.d.country) {
		return false
	}
	start := e.begin()
	e.say("country ")
	e.say(isoCountry(e.d.country))
	e.end(start)
	return true
}

func (n *countryNode) missing(d *document) string {
	want := make([]string, len(n.codes))
	for i, c := range n.codes {
		want[i] = isoCountry(c)
	}
	if d.country == "" {
		return "the notice names no country, not " + joinOr(want)
	}
	return "country " + isoCountry(d.country) + ", not " + joinOr(want)
}

func (n *countryNode) keywords() []string { return nil }

func (n *countryNode) format(b *strings.Builder) {
	b.WriteString("country:")
	for i, c := range n.codes {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(isoCountry(c))
	}
}

func (n *countryNode) precedence() int { return precAtom }
