package bot

import (
	"fmt"
	"strings"
	"time"
)

// ValueText writes a notice's value for people, as every chat shows it: the
// currency and the amount with thousands separators ("EUR 1,250,000.50"),
// never converted, or "value not stated".
func ValueText(v *Money) string {
	if v == nil {
		return "value not stated"
	}
	amount := v.Amount
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	digits := fmt.Sprintf("%d", int64(amount))
	var sb strings.Builder
	sb.WriteString(sign)
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(r)
	}
	if cents := int64(amount*100+0.5) % 100; cents > 0 {
		fmt.Fprintf(&sb, ".%02d", cents)
	}
	return strings.TrimSpace(v.Currency + " " + sb.String())
}

// CodesText writes classification codes with their labels where known:
// "45212225 Construction work for sports facilities; 45453000".
func CodesText(codes []CodeName) string {
	parts := make([]string, len(codes))
	for i, cn := range codes {
		parts[i] = cn.Text()
	}
	return strings.Join(parts, "; ")
}

// Text writes a code with its label, or the code alone when its label is
// not known: "45212225 Construction work for sports facilities".
func (cn CodeName) Text() string {
	if cn.Label == "" {
		return cn.Code
	}
	return cn.Code + " " + cn.Label
}

// ShortTime writes t in loc, with the date unless it is the day of now.
func ShortTime(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("2 Jan 15:04")
}

// formatTime writes t in the bot's zone, with the date unless it is today.
func (b *Bot) formatTime(t time.Time) string { return ShortTime(t, b.clock.Now(), b.location) }
