package text

import (
	"fmt"
	"strings"
	"time"
)

// Format writes t by a time.Format layout, with the names of months and
// days in p's language: "Mon 2 Jan 2006 15:04 MST" writes "Fri 15 Jan 2027
// 12:00 CET" in English and "vr 15 jan 2027 12:00 CET" in Dutch.
func (p Printer) Format(t time.Time, layout string) string {
	if p.Language() == English {
		return t.Format(layout)
	}
	var sb strings.Builder
	for layout != "" {
		name, rest, found := cutName(layout)
		sb.WriteString(t.Format(rest))
		if !found {
			break
		}
		switch name {
		case "January":
			sb.WriteString(dutchMonths[t.Month()-1])
		case "Jan":
			sb.WriteString(dutchShortMonths[t.Month()-1])
		case "Monday":
			sb.WriteString(dutchDays[t.Weekday()])
		case "Mon":
			sb.WriteString(dutchDays[t.Weekday()][:2])
		}
		layout = layout[len(rest)+len(name):]
	}
	return sb.String()
}

// cutName finds the first name of a month or a day in layout, returning
// it and the layout before it.
func cutName(layout string) (name, before string, found bool) {
	for i := range layout {
		for _, n := range []string{"January", "Jan", "Monday", "Mon"} {
			if strings.HasPrefix(layout[i:], n) {
				return n, layout[:i], true
			}
		}
	}
	return "", layout, false
}

var (
	dutchMonths = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
	// Dutch abbreviates March as mrt, the other months by their first
	// three letters.
	dutchShortMonths = [...]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
	dutchDays        = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
)

// Weekday is the name of a day of the week, as a sentence writes it:
// "Monday", "maandag".
func (p Printer) Weekday(d time.Weekday) string {
	if p.Language() == Dutch {
		return dutchDays[d]
	}
	return d.String()
}

// Date writes the day of t as p's language writes it in a sentence: "10
// February 2027", "10 februari 2027".
func (p Printer) Date(t time.Time) string { return p.Format(t, "2 January 2006") }

// Int writes n with the thousands separator of p's language: "3,000",
// "3.000".
func (p Printer) Int(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	digits := fmt.Sprintf("%d", n)
	var sb strings.Builder
	sb.WriteString(sign)
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			sb.WriteString(p.thousands())
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// Amount writes a sum of money as p's language writes it, never
// converted, with its cents only when there are any: "EUR 1,250,000.50" in
// English, "€ 1.250.000,50" in Dutch (which writes other currencies by
// their code: "GBP 450.000").
func (p Printer) Amount(amount float64, currency string) string {
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	text := sign + p.Int(int64(amount))
	if cents := int64(amount*100+0.5) % 100; cents > 0 {
		text += fmt.Sprintf("%s%02d", p.decimal(), cents)
	}
	if p.Language() == Dutch && currency == "EUR" {
		currency = "€"
	}
	return strings.TrimSpace(currency + " " + text)
}

func (p Printer) thousands() string {
	if p.Language() == Dutch {
		return "."
	}
	return ","
}

func (p Printer) decimal() string {
	if p.Language() == Dutch {
		return ","
	}
	return "."
}

// DaysLeft says how many days were left until a deadline: "(49 days
// left)", "(1 day left)", "(closes within a day)" for 0, "(closed)" for
// fewer.
func (p Printer) DaysLeft(days int) string {
	switch {
	case days < 0:
		return p.Sprintf("(closed)")
	case days == 0:
		return p.Sprintf("(closes within a day)")
	case days == 1:
		return p.Sprintf("(1 day left)")
	}
	return p.Sprintf("(%d days left)", days)
}

// ShortTime writes t in loc, with the date unless it is the day of now:
// "15:04", "2 Jan 15:04", "2 jan 15:04".
func (p Printer) ShortTime(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return p.Format(t, "2 Jan 15:04")
}

// LocalTime writes moments as people read them in loc, with the zone's
// abbreviation: "Fri 15 Jan 2027 12:00 CET", "vr 15 jan 2027 12:00 CET".
func (p Printer) LocalTime(loc *time.Location) func(time.Time) string {
	return func(t time.Time) string { return p.Format(t.In(loc), "Mon 2 Jan 2006 15:04 MST") }
}

// Code writes a classification code with its label in p's language, given
// in English and in Dutch ("" where unknown), or the code alone when it
// has no label: "45212225 Construction work for sports facilities",
// "45212225 Bouwwerkzaamheden voor sportvoorzieningen".
func (p Printer) Code(code, english, dutch string) string {
	label := english
	if p.Language() == Dutch && dutch != "" {
		label = dutch
	}
	if label == "" {
		return code
	}
	return code + " " + label
}
