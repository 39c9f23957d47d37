package text

import "strings"

// Language is a language the bot speaks, by its ISO 639-1 code.
type Language string

// The languages the bot speaks. English is the language of the message
// ids, and the fallback for anything else.
const (
	English Language = "en"
	Dutch   Language = "nl"
)

// Languages are the languages the bot speaks, in the order choices list
// them.
var Languages = []Language{English, Dutch}

// Parse reads a language as people and platforms write it: "nl", "NL",
// "nl-NL", "nl_BE.UTF-8", "en-GB", "dutch", "nederlands", "english",
// "engels". ok is false for anything else, such as "de" or "".
func Parse(s string) (l Language, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_.@"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "nl", "nld", "dut", "dutch", "nederlands", "vlaams":
		return Dutch, true
	case "en", "eng", "english", "engels":
		return English, true
	}
	return "", false
}

// Pick is the first of locales that names a language the bot speaks, or
// English when none does: pass them most specific first (what a person
// chose, what their platform says, the workspace's default).
func Pick(locales ...string) Language {
	for _, s := range locales {
		if l, ok := Parse(s); ok {
			return l
		}
	}
	return English
}

// FromAcceptLanguage is the language an HTTP Accept-Language header
// prefers among those the bot speaks ("nl-NL,nl;q=0.9,en;q=0.8"), or
// fallback when it names none of them. Entries with q=0 are refused.
func FromAcceptLanguage(header string, fallback Language) Language {
	best, bestQ := fallback, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			q = parseQuality(v)
		}
		l, ok := Parse(tag)
		if !ok || q <= 0 || q <= bestQ {
			continue
		}
		best, bestQ = l, q
	}
	return best
}

// parseQuality reads an Accept-Language weight ("0.8"); anything
// malformed weighs nothing.
func parseQuality(v string) float64 {
	whole, frac, _ := strings.Cut(strings.TrimSpace(v), ".")
	if whole != "0" && whole != "1" || len(frac) > 3 {
		return 0
	}
	q, scale := float64(whole[0]-'0'), 0.1
	for _, r := range frac {
		if r < '0' || r > '9' {
			return 0
		}
		q += float64(r-'0') * scale
		scale /= 10
	}
	return min(q, 1)
}

// Name is the language's name in itself, as a switch between languages
// offers it: "English", "Nederlands".
func (l Language) Name() string {
	if l == Dutch {
		return "Nederlands"
	}
	return "English"
}
