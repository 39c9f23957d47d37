package feeds

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// Reading codes from structured formats (eForms, OCDS, the TED API, CODICE).
// Unlike feed text, a structured field says what it holds; these helpers
// only check the shape and normalise, with the same rules as the text
// extractors in extract.go.

// cpvCode returns s as an 8-digit CPV code without check digit
// ("45210000-2" → "45210000"), or "" when s is no CPV code.
func cpvCode(s string) string {
	s = strings.TrimSpace(s)
	if m := cpvCandidates(s); len(m) == 1 && m[0] == [2]int{0, len(s)} {
		return s[:8]
	}
	return ""
}

// nutsCode returns s as a NUTS code ("nl213" → "NL213"), or "" when s does
// not have the shape of one. Beyond the first level, codes have a digit
// ("UKD1") or are extra-regio ("NLZZZ"): a region named in a field meant
// for a code ("Essex", "Devon") is none.
func nutsCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) < 2 || nutsCodeRe.FindString(s) != s || !isNUTSCountry(s[:2]) {
		return ""
	}
	if len(s) > 3 && !strings.ContainsAny(s, "0123456789") && strings.Trim(s[2:], "Z") != "" {
		return ""
	}
	return s
}

// maxCodes is the most codes of one kind a notice keeps. A notice lists a
// handful; a document listing thousands is broken, and must not cost
// quadratic time.
const maxCodes = 500

// addCode appends code to codes unless it is empty, there already, or
// codes is full.
func addCode(codes []string, code string) []string {
	if code == "" || len(codes) >= maxCodes || slices.Contains(codes, code) {
		return codes
	}
	return append(codes, code)
}

// dropNUTSAncestors removes the codes that are a prefix of another code in
// the list ("FI1", "FI1C" next to "FI1C1"): sources that list a region with
// all its parents say no more than the region itself, since a region is
// matched by its parents anyway.
func dropNUTSAncestors(codes []string) []string {
	return slices.DeleteFunc(slices.Clone(codes), func(c string) bool {
		return slices.ContainsFunc(codes, func(o string) bool { return len(o) > len(c) && strings.HasPrefix(o, c) })
	})
}

// dropCPVAncestors removes the CPV codes that are an ancestor of another code
// in the list (92000000 next to 92610000), for the same reason.
func dropCPVAncestors(codes []string) []string {
	return slices.DeleteFunc(slices.Clone(codes), func(c string) bool {
		prefix := strings.TrimRight(c, "0")
		return slices.ContainsFunc(codes, func(o string) bool { return o != c && strings.HasPrefix(o, prefix) })
	})
}

// newMoney returns amount in currency, or nil when the amount is not a
// positive number or the currency no ISO 4217 code.
func newMoney(amount float64, currency string) *bot.Money {
	cur := strings.ToUpper(strings.TrimSpace(currency))
	if amount <= 0 || amount >= 1e13 || math.IsNaN(amount) || len(cur) != 3 || strings.IndexFunc(cur, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return nil
	}
	return &bot.Money{Amount: amount, Currency: cur}
}

// parseMoney reads an amount written as a plain number ("80000000",
// "20000000.00").
func parseMoney(amount, currency string) *bot.Money {
	f, err := strconv.ParseFloat(strings.TrimSpace(amount), 64)
	if err != nil {
		return nil
	}
	return newMoney(f, currency)
}

// countryFromCode returns the NUTS country code (so "UK" and "EL") for a
// country written as an ISO 3166 alpha-2 or alpha-3 code or a name, or ""
// for a country outside the NUTS area.
func countryFromCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 3 {
		return iso3Countries[strings.ToUpper(s)]
	}
	if len(s) == 2 {
		s = strings.ToUpper(s)
	}
	return countryCode(s)
}

// iso3Countries maps ISO 3166 alpha-3 codes, as eForms and the TED API
// write countries, to NUTS country codes.
var iso3Countries = map[string]string{
	"AUT": "AT", "BEL": "BE", "BGR": "BG", "CYP": "CY", "CZE": "CZ", "DEU": "DE", "DNK": "DK",
	"EST": "EE", "GRC": "EL", "ESP": "ES", "FIN": "FI", "FRA": "FR", "HRV": "HR", "HUN": "HU",
	"IRL": "IE", "ITA": "IT", "LTU": "LT", "LUX": "LU", "LVA": "LV", "MLT": "MT", "NLD": "NL",
	"POL": "PL", "PRT": "PT", "ROU": "RO", "SWE": "SE", "SVN": "SI", "SVK": "SK", "GBR": "UK",
	"CHE": "CH", "NOR": "NO", "ISL": "IS", "LIE": "LI", "ALB": "AL", "MNE": "ME", "MKD": "MK",
	"SRB": "RS", "TUR": "TR",
}

// languageFromCode returns the ISO 639-1 code for a language written as a
// tag ("nl", "nl-NL") or an ISO 639-2 code in either form ("NLD", "dut"), as
// eForms and the TED API write them; "" when it is neither.
func languageFromCode(s string) string {
	s = strings.TrimSpace(s)
	if alias, ok := languageAliases[strings.ToLower(s)]; ok {
		return alias
	}
	if len(s) == 3 {
		return iso3Languages[strings.ToUpper(s)]
	}
	return languageCode(s)
}

// languageAliases are languages publishers write otherwise than as ISO
// codes: Moldova's OCDS "md" (a country code; Moldovan, "mo" in ISO 639-1
// until 2008, is Romanian), and languages written as their names, in
// English and in the language itself.
var languageAliases = map[string]string{
	"md": "ro", "mo": "ro", "mol": "ro",
	"english": "en", "dutch": "nl", "nederlands": "nl", "flemish": "nl", "vlaams": "nl",
	"german": "de", "deutsch": "de", "french": "fr", "français": "fr", "francais": "fr",
	"spanish": "es", "español": "es", "espanol": "es", "castellano": "es", "italian": "it", "italiano": "it",
	"portuguese": "pt", "português": "pt", "polish": "pl", "polski": "pl", "romanian": "ro", "română": "ro",
	"welsh": "cy", "cymraeg": "cy", "irish": "ga", "gaeilge": "ga", "danish": "da", "dansk": "da",
	"swedish": "sv", "svenska": "sv", "finnish": "fi", "suomi": "fi", "czech": "cs", "čeština": "cs",
	"greek": "el", "hungarian": "hu", "magyar": "hu", "bulgarian": "bg", "croatian": "hr", "hrvatski": "hr",
	"estonian": "et", "eesti": "et", "latvian": "lv", "lithuanian": "lt", "slovak": "sk", "slovenian": "sl",
	"maltese": "mt", "norwegian": "no", "norsk": "no", "catalan": "ca", "català": "ca",
}

// iso3Languages maps ISO 639-2 codes (terminology and bibliographic forms)
// of the languages notices in Europe are written in to ISO 639-1.
var iso3Languages = map[string]string{
	"BUL": "bg", "CES": "cs", "CZE": "cs", "DAN": "da", "DEU": "de", "GER": "de", "ELL": "el",
	"GRE": "el", "ENG": "en", "EST": "et", "FIN": "fi", "FRA": "fr", "FRE": "fr", "GLE": "ga",
	"HRV": "hr", "HUN": "hu", "ITA": "it", "LAV": "lv", "LIT": "lt", "MLT": "mt", "NLD": "nl",
	"DUT": "nl", "POL": "pl", "POR": "pt", "RON": "ro", "RUM": "ro", "SLK": "sk", "SLO": "sk",
	"SLV": "sl", "SPA": "es", "SWE": "sv", "NOR": "no", "NOB": "no", "NNO": "no", "ISL": "is",
	"ICE": "is", "CAT": "ca", "EUS": "eu", "BAQ": "eu", "GLG": "gl", "LTZ": "lb", "SQI": "sq",
	"ALB": "sq", "MKD": "mk", "MAC": "mk", "SRP": "sr", "TUR": "tr", "UKR": "uk",
}
