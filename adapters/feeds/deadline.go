package feeds

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // deadlines are local times; a slim container may have no zoneinfo
)

// deadlineLabels introduce the deadline for tenders, requests to participate
// or registrations. More specific labels come first.
var deadlineLabels = []langLabel{
	{`sluitingsdatum`, "nl"},
	{`sluitingstermijn`, "nl"},
	{`uiterste (?:inschrijf|indien|aanmeld)(?:datum|termijn)`, "nl"},
	{`uiterste datum(?: (?:van|voor))?(?: (?:inschrijving|indiening|aanmelding|ontvangst))?`, "nl"},
	{`(?:inschrijven|indienen|aanmelden|reageren|inschrijving|aanmelding)(?: kan)? (?:tot(?: en met)?|v[óo]{2}r|uiterlijk)`, "nl"},
	{`sluiting`, "nl"},
	{`deadline(?: for (?:receipt of )?(?:tenders|submissions?|responses|expressions of interest|requests to participate))?`, "en"},
	{`(?:tender|submission|response|registration) deadline`, "en"},
	{`closing date(?: for (?:tenders|responses|submissions))?`, "en"},
	{`(?:respond|register|apply) by`, "en"},
	{`(?:ablauf der )?angebotsfrist`, "de"},
	{`schlusstermin`, "de"},
	{`teilnahmefrist`, "de"},
}

// months maps month names and abbreviations in Dutch, English and German.
var months = map[string]time.Month{
	"januari": 1, "january": 1, "januar": 1, "jan": 1,
	"februari": 2, "february": 2, "februar": 2, "feb": 2,
	"maart": 3, "march": 3, "märz": 3, "mrt": 3, "mar": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5, "mai": 5,
	"juni": 6, "june": 6, "jun": 6,
	"juli": 7, "july": 7, "jul": 7,
	"augustus": 8, "august": 8, "aug": 8,
	"september": 9, "sept": 9, "sep": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10,
	"november": 11, "nov": 11,
	"december": 12, "dezember": 12, "dec": 12, "dez": 12,
}

// monthNames is the alternation of months' keys, longest first so "juni"
// is not read as "jun".
const monthNames = `januari|january|januar|februari|february|februar|maart|march|märz|april|augustus|august|` +
	`september|oktober|october|november|december|dezember|juni|june|juli|july|sept|jan|feb|mrt|mar|apr|mei|may|mai|` +
	`jun|jul|aug|sep|okt|oct|nov|dec|dez`

var (
	deadlineLabelRe = langLabelRe(deadlineLabels)

	// Dates: 15-01-2027, 15/01/2027, 15.01.2027; 2027-01-15; 15 januari 2027,
	// 15th January 2027; January 15, 2027.
	dmyDateRe  = regexp.MustCompile(`\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b`)
	isoDateRe  = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})(?:T|\b)`)
	textDateRe = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th|e|ste)?\.?\s+(` + monthNames + `)\.?,?\s+(\d{4})\b`)
	mdyDateRe  = regexp.MustCompile(`(?i)\b(` + monthNames + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)

	// A time after the date ("12:00", "om 12.00 uur", "at 5pm", "T10:00") or
	// before it ("12:00 uur op 15 januari 2027").
	timeAfterRe  = regexp.MustCompile(`(?i)^\s*(?:,|om|at|by|vanaf|uiterlijk|-|–)?\s*(\d{1,2})(?:[:.h](\d{2}))?(?::\d{2})?\s*(uur|u\b|h\b|hrs?\b|am\b|pm\b|a\.m\.|p\.m\.)?`)
	timeBeforeRe = regexp.MustCompile(`(?i)(\d{1,2})[:.](\d{2})\s*(?:uur|hrs?|h)?\s*(?:op|on|,)?\s*(?:\p{L}+,?\s+)?$`)
)

// Time zones deadlines are read in.
var (
	zoneAmsterdam = loadZone("Europe/Amsterdam", 3600)
	zoneBrussels  = loadZone("Europe/Brussels", 3600)
	zoneBerlin    = loadZone("Europe/Berlin", 3600)
	zoneParis     = loadZone("Europe/Paris", 3600)
	zoneMadrid    = loadZone("Europe/Madrid", 3600)
	zoneLondon    = loadZone("Europe/London", 0)
	zoneDublin    = loadZone("Europe/Dublin", 0)
)

// loadZone loads a zone, or falls back to its standard offset (no summer
// time) should the zone database be missing.
func loadZone(name string, offset int) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone(name, offset)
	}
	return loc
}

// zone is where a notice's local times are meant: its country's zone, else
// its language's.
func zone(country, lang string) *time.Location {
	switch country {
	case "NL":
		return zoneAmsterdam
	case "BE":
		return zoneBrussels
	case "DE":
		return zoneBerlin
	case "FR":
		return zoneParis
	case "ES":
		return zoneMadrid
	case "UK":
		return zoneLondon
	case "IE":
		return zoneDublin
	}
	switch lang {
	case "en":
		return zoneLondon
	case "de":
		return zoneBerlin
	case "fr":
		return zoneParis
	}
	return zoneAmsterdam
}

// deadline reads the first date after a deadline label, in the zone of
// country (or of the label's language, or lang), returned in UTC. A date
// without time means the end of that day, 23:59 local.
func deadline(lines []string, country, lang string) time.Time {
	for _, line := range lines {
		for _, m := range deadlineLabelRe.FindAllStringSubmatchIndex(line, -1) {
			window := line[m[1]:valueEnd(line, m[1])]
			loc := zone(country, matchLang(deadlineLabels, m, lang))
			if t, ok := parseDateTime(window, loc); ok {
				return t.UTC()
			}
		}
	}
	return time.Time{}
}

// parseDateTime reads the first date (and time) near the start of s.
func parseDateTime(s string, loc *time.Location) (time.Time, bool) {
	type found struct {
		start, end int
		y, d       int
		mo         time.Month
	}
	var best *found
	try := func(re *regexp.Regexp, read func(g []string) (y int, mo time.Month, d int, ok bool)) {
		m := re.FindStringSubmatchIndex(s)
		if m == nil || m[0] > maxLabelGap || best != nil && best.start <= m[0] {
			return
		}
		g := make([]string, len(m)/2)
		for i := range g {
			g[i] = s[m[2*i]:m[2*i+1]]
		}
		if y, mo, d, ok := read(g); ok {
			best = &found{start: m[0], end: m[1], y: y, mo: mo, d: d}
		}
	}
	try(dmyDateRe, func(g []string) (int, time.Month, int, bool) {
		d, mo, y := atoi(g[1]), atoi(g[2]), atoi(g[3])
		if !validDate(y, time.Month(mo), d) && validDate(y, time.Month(d), mo) {
			d, mo = mo, d // 01/15/2027: only a month-first date makes sense
		}
		return y, time.Month(mo), d, validDate(y, time.Month(mo), d)
	})
	try(isoDateRe, func(g []string) (int, time.Month, int, bool) {
		y, mo, d := atoi(g[1]), time.Month(atoi(g[2])), atoi(g[3])
		return y, mo, d, validDate(y, mo, d)
	})
	try(textDateRe, func(g []string) (int, time.Month, int, bool) {
		y, mo, d := atoi(g[3]), months[strings.ToLower(g[2])], atoi(g[1])
		return y, mo, d, validDate(y, mo, d)
	})
	try(mdyDateRe, func(g []string) (int, time.Month, int, bool) {
		y, mo, d := atoi(g[3]), months[strings.ToLower(g[1])], atoi(g[2])
		return y, mo, d, validDate(y, mo, d)
	})
	if best == nil {
		return time.Time{}, false
	}
	hour, minute, ok := timeAfter(s[best.end:])
	if !ok {
		hour, minute, ok = timeBefore(s[:best.start])
	}
	if !ok {
		hour, minute = 23, 59
	}
	return time.Date(best.y, best.mo, best.d, hour, minute, 0, 0, loc), true
}

// timeAfter reads a time of day at the start of s. A bare number is no time:
// it needs minutes or a word that makes it one ("12 uur", "5pm").
func timeAfter(s string) (hour, minute int, ok bool) {
	m := timeAfterRe.FindStringSubmatch(s)
	if m == nil || m[2] == "" && m[3] == "" {
		return 0, 0, false
	}
	return clock(m[1], m[2], strings.ToLower(m[3]))
}

// timeBefore reads a time of day at the end of s.
func timeBefore(s string) (hour, minute int, ok bool) {
	m := timeBeforeRe.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	return clock(m[1], m[2], "")
}

func clock(h, m, suffix string) (hour, minute int, ok bool) {
	hour, minute = atoi(h), atoi(m)
	switch suffix {
	case "pm", "p.m.":
		if hour < 12 {
			hour += 12
		}
	case "am", "a.m.":
		if hour == 12 {
			hour = 0
		}
	}
	if hour == 24 && minute == 0 {
		return 23, 59, true // "24:00" is the end of the day
	}
	if hour > 23 || minute > 59 {
		return 0, 0, false
	}
	return hour, minute, true
}

// validDate reports whether the date exists and is a plausible deadline
// year.
func validDate(y int, mo time.Month, d int) bool {
	if y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 {
		return false
	}
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Day() == d
}

// atoi reads a short run of digits; the regexps guarantee digits.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
