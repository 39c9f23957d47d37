package matching

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// maxAmount bounds the amounts value: accepts, so they stay exact as
// float64 and int64.
const maxAmount = 1e15

// valueNode matches a notice whose value lies within bounds, in the
// notice's own currency or, when the node names one, in that currency
// only: amounts are never converted. A notice that states no value passes,
// with the reason "value not stated", so that a filter on value does not
// hide the many notices that leave it out.
type valueNode struct {
	bounds
	currency string // ISO 4217, upper case; "" for any
	said     string // bounds in words, "at least 50k"
}

// compileValue compiles the value of value:.
func compileValue(_ *compiler, value string, _ bool) (node, int, error) {
	currency := ""
	num := func(s string) (int64, error) {
		n, cur, err := parseMoney(s)
		if err != nil {
			return 0, err
		}
		if cur != "" {
			if currency != "" && cur != currency {
				return 0, unreadable(text.M("two currencies, %s and %s; amounts are never converted, so give one", currency, cur))
			}
			currency = cur
		}
		return n, nil
	}
	b, err := parseBounds(value, num)
	if lo, hi, dashed := strings.Cut(strings.ReplaceAll(value, "–", "-"), "-"); err != nil && dashed {
		if _, _, err := parseMoney(lo); err == nil {
			if _, _, err := parseMoney(hi); err == nil {
				return nil, 0, bot.Errorf(bot.EINVALID, "value:%s — a range is written with two dots: value:%s..%s", value, lo, hi)
			}
		}
	}
	switch {
	case errors.Is(err, errNoComparison):
		return nil, 0, bot.Errorf(bot.EINVALID, "value:%s — say how the value compares: value:>=%[1]s (at least), value:<%[1]s (less than), or a range like value:50k..2m", value)
	case err != nil:
		return nil, 0, bot.Errorf(bot.EINVALID, "value:%s — %v. Write amounts like 50000, 50k or 1.5m, optionally with a currency: value:>=50kEUR", value, why(err))
	case b.empty():
		return nil, 0, bot.Errorf(bot.EINVALID, "value:%s — no amount lies in that range; put the lower amount first, like value:50k..2m", value)
	}
	return &valueNode{bounds: b, currency: currency, said: b.words(formatAmount)}, 1, nil
}

// parseMoney reads an amount with an optional currency before or after it:
// 50000, 50k, 1.5m, 50kEUR, EUR50k, €50k. The amount is in whole units.
func parseMoney(s string) (int64, string, error) {
	if s == "" {
		return 0, "", unreadable(text.M("the amount is missing"))
	}
	before := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' })
	if before < 0 {
		return 0, "", unreadable(text.M("%q is no amount", s))
	}
	currency, err := parseCurrency(s[:before])
	if err != nil {
		return 0, "", err
	}
	s = s[before:]
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || s[end] == ',') {
		end++
	}
	digits, rest := s[:end], s[end:]
	scale := int64(1)
	if _, err := parseCurrency(rest); err != nil || rest == "" {
		switch {
		case strings.HasPrefix(rest, "k"), strings.HasPrefix(rest, "K"):
			scale, rest = 1e3, rest[1:]
		case strings.HasPrefix(rest, "m"), strings.HasPrefix(rest, "M"):
			scale, rest = 1e6, rest[1:]
		}
	}
	after, err := parseCurrency(rest)
	if err != nil {
		return 0, "", err
	}
	if currency != "" && after != "" {
		return 0, "", unreadable(text.M("the currency is written twice"))
	}
	n, err := parseAmount(digits, scale)
	if err != nil {
		return 0, "", err
	}
	return n, currency + after, nil
}

// currencySymbols are the currency signs value: reads as codes.
var currencySymbols = map[string]string{"€": "EUR", "£": "GBP", "$": "USD"}

// parseCurrency reads "" (none), a three-letter code in any case, or a
// currency sign.
func parseCurrency(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if c, ok := currencySymbols[s]; ok {
		return c, nil
	}
	if c := strings.ToUpper(s); currencies[c] {
		return c, nil
	}
	return "", unreadable(text.M("%q is no currency I know; use a code such as EUR, GBP or PLN", s))
}

// currencies are the ISO 4217 codes value: accepts: those of the countries
// TED and UK Contracts Finder publish for, and a few more.
var currencies = func() map[string]bool {
	m := map[string]bool{}
	for c := range strings.FieldsSeq("EUR GBP USD CHF SEK NOK DKK ISK PLN CZK HUF RON BGN HRK RSD MKD ALL BAM MDL TRY UAH GEL JPY CAD AUD NZD CNY") {
		m[c] = true
	}
	return m
}()

// parseAmount reads whole digits, or a decimal before a k or m scale.
func parseAmount(digits string, scale int64) (int64, error) {
	if strings.Contains(digits, ",") {
		return 0, unreadable(text.M("an amount has no commas"))
	}
	whole, frac, _ := strings.Cut(digits, ".")
	if whole == "" || strings.Contains(frac, ".") {
		return 0, unreadable(text.M("%q is no amount", digits))
	}
	if frac != "" && scale == 1 {
		return 0, unreadable(text.M("amounts are whole numbers without thousands separators"))
	}
	fracScale := int64(1)
	for range frac {
		fracScale *= 10
	}
	if fracScale > scale {
		return 0, unreadable(text.M("%s has more decimals than its k or m allows", digits))
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > maxAmount/scale {
		return 0, unreadable(text.M("%s is too large", digits))
	}
	var f int64
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
	}
	return w*scale + f*(scale/fracScale), nil
}

// formatAmount writes an amount in canonical form: with k or m where that
// takes at most two decimals (50k, 1.5m, 1.25k), else in digits.
func formatAmount(n int64) string {
	for _, s := range []struct {
		scale  int64
		suffix string
	}{{1e6, "m"}, {1e3, "k"}} {
		if n < s.scale || n%(s.scale/100) != 0 {
			continue
		}
		str := strconv.FormatInt(n/s.scale, 10)
		if frac := n % s.scale; frac != 0 {
			str += "." + strings.TrimRight(fmt.Sprintf("%0*d", len(strconv.FormatInt(s.scale, 10))-1, frac), "0")
		}
		return str + s.suffix
	}
	return strconv.FormatInt(n, 10)
}

func (n *valueNode) match(e *evaluation) bool {
	v := e.d.value
	if v == nil {
		e.reason("value not stated")
		return true
	}
	if n.currency != "" && !strings.EqualFold(strings.TrimSpace(v.Currency), n.currency) {
		return false
	}
	if !n.contains(v.Amount) {
		return false
	}
	start := e.begin()
	e.say("value ")
	e.text = appendMoney(e.text, v.Amount, v.Currency)
	e.say(", ")
	e.say(n.said)
	e.end(start)
	return true
}

func (n *valueNode) missing(d *document) string {
	v := d.value
	money := string(appendMoney(nil, v.Amount, v.Currency))
	if n.currency != "" && !strings.EqualFold(strings.TrimSpace(v.Currency), n.currency) {
		return "value " + money + ", not in " + n.currency
	}
	return "value " + money + ", not " + n.said
}

// appendMoney appends an amount with thousands separators, and its
// currency: "450,000 EUR", "1,234.50 GBP".
func appendMoney(dst []byte, amount float64, currency string) []byte {
	if math.IsNaN(amount) || math.IsInf(amount, 0) || math.Abs(amount) >= maxAmount {
		dst = strconv.AppendFloat(dst, amount, 'g', -1, 64)
	} else {
		if amount < 0 {
			dst = append(dst, '-')
			amount = -amount
		}
		var buf [24]byte
		prec := 2
		if amount == math.Trunc(amount) {
			prec = 0
		}
		digits := strconv.AppendFloat(buf[:0], amount, 'f', prec, 64)
		whole, frac, _ := bytes.Cut(digits, []byte("."))
		for i := 0; i < len(whole); i++ {
			if i > 0 && (len(whole)-i)%3 == 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, whole[i])
		}
		if len(frac) > 0 {
			dst = append(dst, '.')
			dst = append(dst, frac...)
		}
	}
	if c := strings.TrimSpace(currency); c != "" {
		dst = append(dst, ' ')
		dst = append(dst, c...)
	} else {
		dst = append(dst, " (currency not stated)"...)
	}
	return dst
}

func (n *valueNode) keywords() []string { return nil }

func (n *valueNode) format(b *strings.Builder) {
	b.WriteString("value:")
	b.WriteString(n.bounds.format(formatAmount))
	b.WriteString(n.currency)
}

func (n *valueNode) precedence() int { return precAtom }
