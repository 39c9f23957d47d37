package bot

import (
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot/text"
)

// ValueText writes a notice's value for people, as every chat shows it, in
// p's language: "EUR 1,250,000.50", "€ 1.250.000,50", never converted, or
// "value not stated".
func ValueText(p text.Printer, v *Money) string {
	if v == nil {
		return p.Sprintf("value not stated")
	}
	return p.Amount(v.Amount, v.Currency)
}

// CodesText writes classification codes with their labels in p's language
// where known: "45212225 Construction work for sports facilities; 45453000".
func CodesText(p text.Printer, codes []CodeName) string {
	parts := make([]string, len(codes))
	for i, cn := range codes {
		parts[i] = cn.Text(p)
	}
	return strings.Join(parts, "; ")
}

// Text writes a code with its label in p's language, or the code alone
// when its label is not known: "45212225 Construction work for sports
// facilities", "45212225 Bouwwerkzaamheden voor sportvoorzieningen".
func (cn CodeName) Text(p text.Printer) string { return p.Code(cn.Code, cn.Label, cn.Dutch) }

// ShortTime writes t in loc, with the date unless it is the day of now, in
// p's language: "15:04", "2 Jan 15:04", "2 jan 15:04".
func ShortTime(p text.Printer, t, now time.Time, loc *time.Location) string {
	return p.ShortTime(t, now, loc)
}

// formatTime writes t in the bot's zone, with the date unless it is today.
func (b *Bot) formatTime(p text.Printer, t time.Time) string {
	return ShortTime(p, t, b.clock.Now(), b.location)
}
