package feeds

import (
	"regexp"
	"slices"
	"strings"
)

// Reading a notice from feed text.
//
// Feeds carry a title, some HTML and perhaps categories; portals write the
// rest as "Label: value" lines. The extractors below read those lines. Each
// value is taken from the text after its label up to the next label on the
// same line, so a description squeezed onto one line still reads right.
//
// A value also ends where its sentence does ("Opdrachtgever: Gemeente
// Almelo. Renovatie van …" names the buyer Gemeente Almelo), but not at an
// abbreviation ("Gemeente St. Michielsgestel").
//
// Label lists are regexp fragments, matched case-insensitively at the start
// of a word.

var (
	buyerLabels = []string{`opdrachtgever`, `aanbestedende (?:dienst|instantie)`, `aanbesteder`,
		`buyer`, `contracting (?:authority|entity)`, `procuring entity`, `(?:öffentlicher )?auftraggeber`}
	referenceLabels = []string{`kenmerk`, `referentie(?:nummer)?`, `reference(?: number| no\.?)?`, `ref\.?`,
		`procedure(?:nummer| ?id| number)`, `dossiernummer`, `aktenzeichen`, `vergabenummer`}
	countryLabels = []string{`land`, `country`, `lidstaat`}
	cpvLabels     = []string{`cpv(?:[- ]?codes?)?`}
	// NUTS labels: "NUTS" and the place of performance need no colon, the
	// generic words do ("Regio Twente" is a buyer, "Regio: NL213" a place).
	nutsLabels = []string{`nuts(?:[- ]?(?:codes?|regio|region))?(?:\s*\(s\))?\s*:?`,
		`(?:plaats|locatie|regio) van uitvoering\s*:?`, `uitvoeringsplaats\s*:?`,
		`place of (?:performance|delivery)\s*:?`, `erfüllungsort\s*:?`,
		`(?:regio|region|location|locatie|ort der leistung)\s*:`}
)

var (
	buyerRe     = labelRe(buyerLabels, `\s*:`)
	referenceRe = labelRe(referenceLabels, `\s*:`)
	countryRe   = labelRe(countryLabels, `\s*:`)
	cpvLabelRe  = labelRe(cpvLabels, "")
	nutsLabelRe = labelRe(nutsLabels, "")
	// nextLabelRe finds where the next "Label:" on a line starts: the end of
	// the value before it.
	nextLabelRe = labelRe(slices.Concat(buyerLabels, referenceLabels, countryLabels, cpvLabels,
		[]string{`nuts(?:[- ]?codes?)?`, `(?:plaats|locatie|regio) van uitvoering`, `place of (?:performance|delivery)`, `regio`, `region`, `location`},
		labelPatterns(valueLabels), labelPatterns(deadlineLabels)), `\s*(?:\([^)]{0,40}\)\s*)?:`)

	cpvCandidateRe   = regexp.MustCompile(`\d{8}(?:-\d)?`)
	nutsCodeRe       = regexp.MustCompile(`\b[A-Z]{2}[0-9A-Z]{0,3}\b`)
	referenceTokenRe = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._/\-]{0,63}`)
)

// labelRe compiles label alternatives that start a word, followed by suffix.
func labelRe(alternatives []string, suffix string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(?:` + strings.Join(alternatives, "|") + `)` + suffix)
}

// labelled calls f with the value after each match of label in lines (the
// text up to the next label, trimmed), in order, until f returns false.
func labelled(lines []string, label *regexp.Regexp, f func(value string) bool) {
	for _, line := range lines {
		for _, m := range label.FindAllStringIndex(line, -1) {
			if !f(strings.TrimSpace(line[m[1]:valueEnd(line, m[1])])) {
				return
			}
		}
	}
}

// valueEnd is where the value starting at from ends: at the next label on
// the line, at a "|" or "·" separating fields, or at the line's end.
func valueEnd(line string, from int) int {
	end := len(line)
	if m := nextLabelRe.FindStringIndex(line[from:]); m != nil && m[0] > 0 {
		end = from + m[0]
	}
	if i := strings.IndexAny(line[from:end], "|·"); i >= 0 {
		end = from + i
	}
	if i := sentenceEnd(line[from:end]); i >= 0 {
		end = from + i
	}
	return end
}

var (
	// sentenceStopRe finds punctuation that may end a sentence: followed by
	// a space and a capital, or by nothing ("15 jan. 2027" goes on).
	sentenceStopRe = regexp.MustCompile(`[.!?](?:\s+\p{Lu}|\s*$)`)
	// legalForms end a company's name with their dot kept ("Jansen B.V.").
	legalForms = map[string]bool{"bv": true, "nv": true, "vof": true, "cv": true, "ltd": true, "inc": true, "plc": true, "llc": true, "co": true}
	// abbreviations end no sentence ("Gemeente St. Michielsgestel").
	abbreviations = map[string]bool{"st": true, "dr": true, "mr": true, "mw": true, "nr": true, "jr": true, "sr": true,
		"ca": true, "bijv": true, "mrs": true, "ms": true, "prof": true, "ir": true, "ing": true, "drs": true, "no": true, "vs": true}
)

// sentenceEnd returns where the first sentence of value ends (the length of
// it, without a closing full stop unless an abbreviation needs it), or -1
// when it runs to the end of value.
func sentenceEnd(value string) int {
	for _, m := range sentenceStopRe.FindAllStringIndex(value, -1) {
		i := m[0]
		if value[i] != '.' {
			return i
		}
		word := value[strings.LastIndexAny(value[:i], " \t(")+1 : i]
		key := strings.ToLower(strings.ReplaceAll(word, ".", ""))
		switch {
		case legalForms[key]:
			if m[1] < len(value) || strings.TrimSpace(value[i+1:]) != "" {
				return i + 1
			}
			return -1 // the dot is the name's, and the value ends here anyway
		case abbreviations[key], strings.Contains(word, "."), len([]rune(word)) < 2:
			continue
		default:
			return i
		}
	}
	return -1
}

// firstLabelled returns the first non-empty value after label.
func firstLabelled(lines []string, label *regexp.Regexp) string {
	var v string
	labelled(lines, label, func(value string) bool {
		v = strings.TrimRight(value, " ,;:|·–—-")
		return v == ""
	})
	return truncate(v, 200)
}

// buyerFromText reads "Opdrachtgever: Gemeente Almelo" and the like.
func buyerFromText(lines []string) string {
	return firstLabelled(lines, buyerRe)
}

// procedureID reads "Kenmerk: ALM-2026-042" and the like: the first word
// after the label, when it has a digit in it ("Reference: see the tender
// documents" is no reference).
func procedureID(lines []string) string {
	var id string
	labelled(lines, referenceRe, func(value string) bool {
		w := strings.TrimRight(referenceTokenRe.FindString(value), "._/-")
		if strings.ContainsAny(w, "0123456789") {
			id = w
			return false
		}
		return true
	})
	return id
}

// cpvDivisions are the first two digits of every CPV 2008 code. A number
// outside them is no CPV code, whatever its label says. (Two digits in a row
// only occur as a whole entry, so strings.Contains is a set lookup.)
const cpvDivisions = "03 09 14 15 16 18 19 22 24 30 31 32 33 34 35 37 38 39 41 42 43 44 45 48 50 51 " +
	"55 60 63 64 65 66 70 71 72 73 75 76 77 79 80 85 90 92 98"

// cpvCodes returns the CPV codes in categories and lines, 8 digits without
// check digit, deduplicated in order of appearance (categories first: they
// are structured, so their first code is the likeliest main one).
//
// A number is a candidate when it has exactly 8 digits, stands alone (not
// part of "053-48123456" or "45.210.000,00") and is in a CPV division. A
// candidate counts when it has a check digit ("45210000-2"), follows a CPV
// label on its line ("CPV: 45210000"), or stands in a category.
func cpvCodes(lines, categories []string) []string {
	var codes []string
	add := func(code string) {
		if !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	for _, c := range categories {
		for _, m := range cpvCandidates(c) {
			add(c[m[0] : m[0]+8])
		}
	}
	for _, line := range lines {
		var windows [][2]int
		for _, m := range cpvLabelRe.FindAllStringIndex(line, -1) {
			windows = append(windows, [2]int{m[1], valueEnd(line, m[1])})
		}
		for _, m := range cpvCandidates(line) {
			inWindow := slices.ContainsFunc(windows, func(w [2]int) bool { return m[0] >= w[0] && m[0] < w[1] })
			if m[1]-m[0] == 10 || inWindow {
				add(line[m[0] : m[0]+8])
			}
		}
	}
	return codes
}

// cpvCandidates returns the spans of candidate CPV codes in s, check digit
// included when present.
func cpvCandidates(s string) [][2]int {
	var spans [][2]int
	for _, m := range cpvCandidateRe.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		if start > 0 {
			c := s[start-1]
			if isDigit(c) || strings.IndexByte(".,-/", c) >= 0 && start > 1 && isDigit(s[start-2]) {
				continue
			}
		}
		if end < len(s) {
			c := s[end]
			if isDigit(c) || strings.IndexByte(".,-/", c) >= 0 && end+1 < len(s) && isDigit(s[end+1]) {
				continue
			}
		}
		if !strings.Contains(cpvDivisions, s[start:start+2]) {
			continue
		}
		spans = append(spans, [2]int{start, end})
	}
	return spans
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// nutsCountries are the first two letters of NUTS codes (EU members, EFTA,
// candidates, and the UK's pre-2021 codes that UK notices still use); as
// with cpvDivisions, strings.Contains on two capitals is a set lookup.
const nutsCountries = "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK " +
	"UK CH NO IS LI AL ME MK RS TR"

// nutsCodes returns the NUTS codes that follow a place label ("NUTS: NL213",
// "Plaats van uitvoering: Almelo (NL213)"), deduplicated. A code must start
// with a country and contain a digit ("NOORD" is a word); a code without
// digit ("UKD", "NL") counts only after an explicit NUTS label or in
// brackets.
func nutsCodes(lines []string) []string {
	var codes []string
	for _, line := range lines {
		for _, m := range nutsLabelRe.FindAllStringIndex(line, -1) {
			explicit := strings.Contains(strings.ToLower(line[m[0]:m[1]]), "nuts")
			end := valueEnd(line, m[1])
			window := line[m[1]:end]
			for _, c := range nutsCodeRe.FindAllStringIndex(window, -1) {
				code := window[c[0]:c[1]]
				bracketed := c[0] > 0 && window[c[0]-1] == '(' && c[1] < len(window) && window[c[1]] == ')'
				switch {
				case !isNUTSCountry(code[:2]):
					continue
				case strings.ContainsAny(code, "0123456789"):
				case len(code) <= 3 && (explicit || bracketed):
				default:
					continue
				}
				if !slices.Contains(codes, code) {
					codes = append(codes, code)
				}
			}
		}
	}
	return codes
}

func isNUTSCountry(cc string) bool {
	return len(cc) == 2 && strings.Contains(nutsCountries, cc)
}

// country returns the notice's country as a NUTS country code (so "UK" and
// "EL", matching the NUTS prefixes profiles filter on): from the first NUTS
// code, else from a "Land: NL" / "Country: United Kingdom" line.
func country(nuts []string, lines []string) string {
	if len(nuts) > 0 {
		return nuts[0][:2]
	}
	var cc string
	labelled(lines, countryRe, func(value string) bool {
		cc = countryCode(value)
		return cc == ""
	})
	return cc
}

// countryCode reads a country written as a code or a name.
func countryCode(s string) string {
	if len(s) >= 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && (len(s) == 2 || !isLetter(s[2])) {
		switch cc := s[:2]; cc {
		case "GB":
			return "UK"
		case "GR":
			return "EL"
		default:
			if isNUTSCountry(cc) {
				return cc
			}
		}
	}
	name := strings.ToLower(strings.TrimRight(s, " .,;"))
	switch {
	case hasAnyPrefix(name, "nederland", "netherlands", "the netherlands", "holland"):
		return "NL"
	case hasAnyPrefix(name, "duitsland", "germany", "deutschland"):
		return "DE"
	case hasAnyPrefix(name, "belgië", "belgie", "belgium", "belgique"):
		return "BE"
	case hasAnyPrefix(name, "united kingdom", "verenigd koninkrijk", "england", "engeland", "scotland", "wales", "great britain"):
		return "UK"
	case hasAnyPrefix(name, "ireland", "ierland"):
		return "IE"
	case hasAnyPrefix(name, "france", "frankrijk"):
		return "FR"
	}
	return ""
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
