package feeds

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// langLabel is a label and the language it is written in, "" when it reads
// the same in several. The language of the label decides how the text after
// it is read (decimal comma or point, time zone), which copes with English
// items in a feed that says it is Dutch.
type langLabel struct {
	pattern string // regexp fragment
	lang    string
}

// valueLabels introduce a contract value. More specific labels come first:
// at the same position the first alternative wins.
var valueLabels = []langLabel{
	{`geraamde (?:totale )?(?:opdracht)?waarde`, "nl"},
	{`geschatte (?:totale )?(?:opdracht)?waarde`, "nl"},
	{`(?:totale |verwachte )?opdrachtwaarde`, "nl"},
	{`totale waarde`, "nl"},
	{`raming`, "nl"},
	{`waarde`, "nl"},
	{`estimated (?:total )?(?:contract )?value`, "en"},
	{`(?:total |contract |approximate )?value`, "en"},
	{`budget`, ""},
	{`geschätzter (?:gesamt)?wert`, "de"},
	{`auftragswert`, "de"},
}

var (
	valueLabelRe = langLabelRe(valueLabels)

	// moneyRe reads an amount with its currency before or after it and an
	// optional multiplier: "€ 450.000", "EUR 1.250.000,00", "£1.2m",
	// "€ 2,5 mln", "450 000 €", "3,2 miljoen euro".
	moneyRe = regexp.MustCompile(`(?i)(€|£|\$|\b(?:eur|gbp|usd|chf|sek|dkk|nok|pln))?\s*` +
		`(\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)(?:,[-–])?` +
		`(?:\s*(k|mln|mio|miljoen|millions?|m|bn|mrd|miljard|billions?)\b)?` +
		`(?:\s*(€|\b(?:eur|euros?|gbp|usd|chf|sek|dkk|nok|pln|pounds?)\b))?`)
)

// langLabelRe compiles labels into one regexp with a group per label, so a
// match tells which label it was. A label ends where a word ends.
func langLabelRe(labels []langLabel) *regexp.Regexp {
	alts := make([]string, len(labels))
	for i, l := range labels {
		alts[i] = "(" + l.pattern + ")"
	}
	return regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(?:` + strings.Join(alts, "|") + `)(?:[^\p{L}\p{N}]|$)`)
}

// labelPatterns returns the fragments of labels.
func labelPatterns(labels []langLabel) []string {
	p := make([]string, len(labels))
	for i, l := range labels {
		p[i] = l.pattern
	}
	return p
}

// matchLang returns the language of the label that matched in m, a match of
// langLabelRe(labels), or fallback when the label has none.
func matchLang(labels []langLabel, m []int, fallback string) string {
	for i, l := range labels {
		if m[2+2*i] >= 0 {
			if l.lang != "" {
				return l.lang
			}
			break
		}
	}
	return fallback
}

// maxLabelGap is how far after its label a value or date may start: room for
// "(excl. btw):", "van circa", "to register interest:".
const maxLabelGap = 40

// value reads the first amount stated after a value label. An amount needs a
// currency: "Waarde: 60% kwaliteit" states no value. lang is the item's
// language, used when the label does not tell.
func value(lines []string, lang string) *bot.Money {
	for _, line := range lines {
		for _, m := range valueLabelRe.FindAllStringSubmatchIndex(line, -1) {
			window := line[m[1]:valueEnd(line, m[1])]
			if v := money(window, matchLang(valueLabels, m, lang)); v != nil {
				return v
			}
		}
	}
	return nil
}

// money reads the first amount with a currency near the start of s.
func money(s, lang string) *bot.Money {
	for _, m := range moneyRe.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > maxLabelGap {
			return nil
		}
		group := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		num, mult, cur := group(2), group(3), currency(group(1))
		if m[5] < len(s) && isDigit(s[m[5]]) {
			// "€ 450.000 2027": a space taken for a thousands separator.
			i := strings.LastIndexByte(num, ' ')
			if i < 0 {
				continue
			}
			num, mult = num[:i], ""
		} else if cur == "" {
			cur = currency(group(4))
		}
		if cur == "" {
			continue
		}
		amount, ok := parseAmount(num, mult != "", lang)
		if !ok {
			continue
		}
		amount *= multiplier(mult)
		if amount <= 0 || amount >= 1e13 || math.IsInf(amount, 0) || math.IsNaN(amount) {
			continue
		}
		return &bot.Money{Amount: amount, Currency: cur}
	}
	return nil
}

// parseAmount reads a number written with thousands separators and a
// decimal separator. Where the text alone cannot tell ("1.250" or "1,250"),
// a plain amount is thousands (money has no three decimals), and an amount
// with a multiplier ("€ 1,250 mln") is read the language's way: a decimal
// point in English, a decimal comma in Dutch, German and the rest.
func parseAmount(num string, scaled bool, lang string) (float64, bool) {
	num = strings.NewReplacer(" ", "", "'", "").Replace(num)
	dots, commas := strings.Count(num, "."), strings.Count(num, ",")
	var dec byte // the decimal separator, 0 for none
	switch {
	case dots > 0 && commas > 0:
		dec = num[strings.LastIndexAny(num, ".,")]
	case dots+commas == 1:
		i := strings.IndexAny(num, ".,")
		switch {
		case len(num)-i-1 != 3:
			dec = num[i]
		case scaled && (lang == "en") == (num[i] == '.'):
			dec = num[i]
		}
	}
	var b strings.Builder
	for i := 0; i < len(num); i++ {
		switch c := num[i]; {
		case c == dec:
			b.WriteByte('.')
		case isDigit(c):
			b.WriteByte(c)
		}
	}
	f, err := strconv.ParseFloat(b.String(), 64)
	return f, err == nil
}

func multiplier(suffix string) float64 {
	switch strings.ToLower(suffix) {
	case "k":
		return 1e3
	case "m", "mln", "mio", "miljoen", "million", "millions":
		return 1e6
	case "bn", "mrd", "miljard", "billion", "billions":
		return 1e9
	}
	return 1
}

// currency returns the ISO 4217 code for a symbol, code or word, "" for none.
func currency(s string) string {
	switch strings.ToLower(s) {
	case "":
		return ""
	case "€", "eur", "euro", "euros":
		return "EUR"
	case "£", "gbp", "pound", "pounds":
		return "GBP"
	case "$", "usd":
		return "USD"
	}
	return strings.ToUpper(s)
}
