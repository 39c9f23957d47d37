package matching

import (
	"maps"
	"slices"
	"strings"

	"github.com/tenderbot/tenderbot/bot/text"
)

// fieldCompiler compiles the value of a field word (what follows "name:");
// quoted says the value was typed in quotes. size is how many terms the
// value counts for against maxTerms. Errors are EINVALID and quote the
// field as typed.
type fieldCompiler func(c *compiler, value string, quoted bool) (n node, size int, err error)

// fields are the field words of the query language, by lower-case name. A
// new field word is a new entry here and a node type that evaluates it.
var fields map[string]fieldCompiler

func init() {
	// In init: compileCPV's error messages list the fields.
	fields = map[string]fieldCompiler{
		"buyer":       compileBuyer,
		"country":     compileCountry,
		"cpv":         compileCPV,
		"deadline":    compileDeadline,
		"description": compileDescription,
		"kind":        compileKind,
		"nuts":        compileNUTS,
		"title":       compileTitle,
		"value":       compileValue,
	}
}

// fieldAliases are the Dutch names of fields, which a query may use for
// the English ones: regio:NL213 is nuts:NL213.
var fieldAliases = map[string]string{
	"regio":         "nuts",
	"waarde":        "value",
	"soort":         "kind",
	"sluiting":      "deadline",
	"koper":         "buyer",
	"opdrachtgever": "buyer",
	"land":          "country",
	"titel":         "title",
	"omschrijving":  "description",
}

// fieldCompilerOf returns the compiler of the field named name, in English
// or by its Dutch alias.
func fieldCompilerOf(name string) (fieldCompiler, bool) {
	if canonical, ok := fieldAliases[name]; ok {
		name = canonical
	}
	compile, ok := fields[name]
	return compile, ok
}

// fieldList names the fields for an error message, joined in the
// reader's language: "buyer:, … and value:".
func fieldList() text.Items {
	var names []any
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		names = append(names, name+":")
	}
	return text.And(names...)
}

// nearestField returns the field whose name is one typo from name (a letter
// added, dropped, changed, or two swapped: cvp, cpvs, nust), or "".
func nearestField(name string) string {
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		if oneTypo(name, f) {
			return f
		}
	}
	return ""
}

// oneTypo reports whether a and b differ by exactly one edit: an inserted,
// deleted or replaced byte, or two adjacent bytes swapped.
func oneTypo(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if a == b || len(a)-len(b) > 1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if len(a) > len(b) {
		return a[i+1:] == b[i:] // one inserted
	}
	return a[i+1:] == b[i+1:] || // one replaced
		(i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]) // two swapped
}

// splitList splits a comma-separated list of codes, dropping empty items
// ("cpv:45," is cpv:45).
func splitList(value string) []string {
	var items []string
	for item := range strings.SplitSeq(value, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}

// dropCovered sorts codes, removes duplicates and every code another one
// covers by being its prefix: "45", "4521" and "45" become "45".
func dropCovered(codes []string) []string {
	slices.Sort(codes)
	kept := codes[:0]
	for _, c := range codes {
		// Sorted, a covering code comes right before everything it covers,
		// and whatever lies between is covered by it too.
		if len(kept) > 0 && strings.HasPrefix(c, kept[len(kept)-1]) {
			continue
		}
		kept = append(kept, c)
	}
	return kept
}
