package text

import (
	"regexp"
	"strconv"
	"strings"
)

// Reason says why a notice matched a profile, as the matcher worded it in
// English ("cpv 45212225 under 45000000", `"renovatie" in title`, "value
// 450,000 EUR, at least 50k"), in p's language. The matcher words its
// reasons once for every reader, from the phrases dutchReasons translates,
// and a notice's value as English writes it, which p writes anew as
// Amount does ("€ 450.000"); what a person typed, in quotes, is kept as
// typed.
func (p Printer) Reason(reason string) string {
	if p.Language() != Dutch {
		return reason
	}
	parts := strings.Split(reason, `"`)
	for i := 0; i < len(parts); i += 2 { // outside the quotes
		parts[i] = dutchReasons.Replace(p.amounts(parts[i]))
	}
	return strings.Join(parts, `"`)
}

// reasonValue finds a notice's value in a reason as the matcher writes
// it: "value 450,000 EUR", "value 1,234.50 GBP", "value EUR 450,000",
// "value 450,000 (currency not stated)".
var reasonValue = regexp.MustCompile(`\bvalue (?:([A-Z]{3}) )?(\d{1,3}(?:,\d{3})*(?:\.\d+)?)(?: ([A-Z]{3})\b)?`)

// amounts writes the values in a reason as p writes amounts.
func (p Printer) amounts(reason string) string {
	return reasonValue.ReplaceAllStringFunc(reason, func(said string) string {
		m := reasonValue.FindStringSubmatch(said)
		amount, err := strconv.ParseFloat(strings.ReplaceAll(m[2], ",", ""), 64)
		if err != nil {
			return said
		}
		return "value " + p.Amount(amount, m[1]+m[3])
	})
}

// Reasons is Reason of each of reasons, joined as a card shows them.
func (p Printer) Reasons(reasons []string) string {
	said := make([]string, len(reasons))
	for i, r := range reasons {
		said[i] = p.Reason(r)
	}
	return strings.Join(said, "; ")
}

// dutchReasons translates the phrases of the matcher's reasons and of
// its explanations (package matching: the holds, reason and missing
// methods of its nodes, and explain.go), the longest first where one
// starts another.
var dutchReasons = strings.NewReplacer(
	"✗ no cpv code under ", "✗ geen cpv-code onder ",
	"✗ no region in ", "✗ geen regio in ",
	"✗ no ", "✗ geen ",
	"✓ no ", "✓ geen ",
	" (the notice states no cpv code)", " (de aankondiging noemt geen cpv-code)",
	" (the notice names no region, only country ", " (de aankondiging noemt geen regio, alleen land ",
	" (the notice names no region)", " (de aankondiging noemt geen regio)",
	"the notice names no country, not ", "de aankondiging noemt geen land, niet ",
	" (the notice is in ", " (de aankondiging ligt in ",
	" (the notice has ", " (de aankondiging heeft ",
	"any of these:", "een van deze:",
	"all of these:", "al deze:",
	"none of these:", "geen van deze:",
	"excluded, because of these:", "uitgesloten, hierom:",
	"excluded by -", "uitgesloten door -",
	" in title, description or buyer", " in de titel, omschrijving of opdrachtgever",
	"early engagement", "vroege marktverkenning",
	"kind tender", "soort aanbesteding",
	"kind award", "soort gunning",
	"kind change", "soort wijziging",
	"kind notice", "soort overige",
	"deadline not stated", "sluitingsdatum niet vermeld",
	"deadline passed", "sluitingsdatum verstreken",
	"deadline in less than a day", "sluit binnen een dag",
	"deadline in ", "sluit over ",
	"value not stated", "waarde niet vermeld",
	"(currency not stated)", "(valuta niet vermeld)",
	"value ", "waarde ",
	"region ", "regio ",
	"country ", "land ",
	" under ", " valt onder ",
	" in lot ", " in perceel ",
	" in title", " in de titel",
	" in description", " in de omschrijving",
	" in buyer", " in de opdrachtgever",
	"between ", "tussen ",
	" and ", " en ",
	"more than ", "meer dan ",
	"at least ", "minstens ",
	"less than ", "minder dan ",
	"at most ", "hoogstens ",
	" days", " dagen",
	" day", " dag",
	"kind ", "soort ",
	", not ", ", niet ",
	" or ", " of ",
)
