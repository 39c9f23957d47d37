package matching

import (
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// CPV (Common Procurement Vocabulary) codes are eight digits, plus a check
// digit after a dash that carries no meaning for matching. The hierarchy is
// in the digits: 45000000 (construction work) covers 45200000, which covers
// 45210000. A code's significant digits are the code without its trailing
// zeros, but never fewer than the two of its division (30000000 is "30").

const cpvDigits = 8

// cpvNode matches a notice with a CPV code, its own or a lot's, under any of
// its prefixes.
type cpvNode struct {
	prefixes []string // significant digits, sorted, none covering another
}

// compileCPV compiles the value of cpv:, a comma-separated list of codes.
// With a CPV list loaded, a code no listed code starts with is refused with
// the nearest listed codes; without one, a code outside the 45 divisions is
// refused with the nearest divisions.
func compileCPV(c *compiler, value string, _ bool) (node, int, error) {
	items := splitList(value)
	if len(items) == 0 {
		return nil, 0, bot.Errorf(bot.EINVALID, "cpv:%s — say which CPV code, like cpv:45 or cpv:45210000", value)
	}
	prefixes := make([]string, 0, len(items))
	for _, item := range items {
		p, err := cpvPrefix(item)
		if err != nil {
			return nil, 0, err
		}
		if err := c.checkCPV(item, p); err != nil {
			return nil, 0, err
		}
		prefixes = append(prefixes, p)
	}
	prefixes = dropCovered(prefixes)
	return &cpvNode{prefixes: prefixes}, len(prefixes), nil
}

// cpvPrefix returns the significant digits of a code typed in a query: 2 to
// 8 digits, then optionally a check digit (45210000-2) or a * (4521*), which
// adds nothing since a code covers its descendants anyway.
func cpvPrefix(code string) (string, error) {
	digits := code
	if d, check, ok := strings.Cut(code, "-"); ok {
		if len(d) != cpvDigits || len(check) != 1 || !isDigits(check) {
			return "", errCPV(code)
		}
		digits = d
	} else {
		digits = strings.TrimSuffix(digits, "*")
	}
	if len(digits) < 2 || len(digits) > cpvDigits || !isDigits(digits) {
		return "", errCPV(code)
	}
	if digits[:2] == "00" {
		return "", bot.Errorf(bot.EINVALID, "cpv:%s — no CPV code starts with 00; divisions run from 03 to 98, like cpv:45 or cpv:45210000", code)
	}
	return significantCPV(digits), nil
}

func errCPV(code string) error {
	return bot.Errorf(bot.EINVALID, "cpv:%s — a CPV code is 2 to 8 digits, like cpv:45 or cpv:45210000", code)
}

// significantCPV returns digits without trailing zeros, keeping at least
// the two of the division.
func significantCPV(digits string) string {
	s := strings.TrimRight(digits, "0")
	if len(s) < 2 {
		return digits[:2]
	}
	return s
}

// normalizeNoticeCPV returns a notice's CPV code without spaces or check
// digit, "" when nothing is left.
func normalizeNoticeCPV(code string) string {
	code, _, _ = strings.Cut(strings.TrimSpace(code), "-")
	return strings.TrimSpace(code)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// match gives one reason: the first code, the notice's own before its lots',
// under one of the prefixes.
func (n *cpvNode) match(e *evaluation) bool {
	for _, c := range e.d.cpv {
		for _, p := range n.prefixes {
			if strings.HasPrefix(c.code, p) {
				cpvReason(e, c, p)
				return true
			}
		}
	}
	return false
}

// cpvReason says "cpv 45210000 under 45", or "cpv 45210000" when the code is
// the one asked for, and names the lot the code came from.
func cpvReason(e *evaluation, c noticeCode, prefix string) {
	start := e.begin()
	e.say("cpv ")
	e.say(c.code)
	if !isCPVCode(c.code, prefix) {
		e.say(" under ")
		e.say(prefix)
	}
	if c.lot != "" {
		e.say(" in lot ")
		e.say(c.lot)
	}
	e.end(start)
}

// isCPVCode reports whether code is the 8-digit code of the significant
// digits prefix.
func isCPVCode(code, prefix string) bool {
	if len(code) != cpvDigits || !strings.HasPrefix(code, prefix) {
		return false
	}
	for i := len(prefix); i < cpvDigits; i++ {
		if code[i] != '0' {
			return false
		}
	}
	return true
}

// missing names the codes asked for and the notice's own.
func (n *cpvNode) missing(d *document) string {
	var b strings.Builder
	b.WriteString("no cpv code under ")
	b.WriteString(strings.Join(n.prefixes, " or "))
	if len(d.cpv) == 0 {
		b.WriteString(" (the notice states no cpv code)")
		return b.String()
	}
	b.WriteString(" (the notice has ")
	for i, c := range d.cpv {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.code)
	}
	b.WriteString(")")
	return b.String()
}

// keywords is nil: a code is not a word of the text.
func (n *cpvNode) keywords() []string { return nil }

func (n *cpvNode) format(b *strings.Builder) {
	b.WriteString("cpv:")
	b.WriteString(strings.Join(n.prefixes, ","))
}

func (n *cpvNode) precedence() int { return precAtom }
