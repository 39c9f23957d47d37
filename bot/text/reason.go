package text

import "strings"

// Reason says why a notice matched a profile, as the matcher worded it in
// English ("cpv 45212225 under 45000000", `"renovatie" in title`, "value
// EUR 450,000, at least 50k"), in p's language. The matcher words its
// reasons once for every reader, from the phrases dutchReasons translates;
// what a person typed, in quotes, is kept as typed.
func (p Printer) Reason(reason string) string {
	if p.Language() != Dutch {
		return reason
	}
	parts := strings.Split(reason, `"`)
	for i := 0; i < len(parts); i += 2 { // outside the quotes
		parts[i] = dutchReasons.Replace(parts[i])
	}
	return strings.Join(parts, `"`)
}

// Reasons is Reason of each of reasons, joined as a card shows them.
func (p Printer) Reasons(reasons []string) string {
	said := make([]string, len(reasons))
	for i, r := range reasons {
		said[i] = p.Reason(r)
	}
	return strings.Join(said, "; ")
}

// dutchReasons translates the phrases of the matcher's reasons (package
// matching: the holds and reason methods of its nodes), the longest
// first where one starts another.
var dutchReasons = strings.NewReplacer(
	"deadline not stated", "sluiting niet vermeld",
	"deadline passed", "sluiting verstreken",
	"deadline in less than a day", "sluit binnen een dag",
	"deadline in ", "sluit over ",
	"value not stated", "waarde niet vermeld",
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
