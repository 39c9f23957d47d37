package feeds

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
)

var (
	scriptRe   = regexp.MustCompile(`(?is)<(?:script|style)\b[^>]*>.*?</(?:script|style)\s*>`)
	blockTagRe = regexp.MustCompile(`(?i)<(?:br|hr|/?(?:p|div|li|ul|ol|tr|table|h[1-6]|dl|dt|dd|blockquote|section|article|header|footer))\b[^>]*>`)
	cellTagRe  = regexp.MustCompile(`(?i)</t[dh]\s*>`)
	// tagRe wants a letter, '/', '!' or '?' after '<', so "waarde < € 50.000"
	// in plain text survives.
	tagRe = regexp.MustCompile(`<[a-zA-Z/!?][^>]*>`)
)

// plainLines turns an HTML fragment or plain text into lines of plain text:
// tags stripped (block elements end a line), entities unescaped, whitespace
// collapsed, empty lines dropped. Lines matter: portals put one
// "Label: value" per line, and a value never runs past its line.
func plainLines(s string) []string {
	s = strings.ToValidUTF8(s, "")
	for i := range 2 {
		// A second round only for descriptions escaped twice, whose tags
		// appear once the entities are unescaped.
		if i > 0 && !tagRe.MatchString(s) {
			break
		}
		if strings.Contains(s, "<") {
			s = scriptRe.ReplaceAllString(s, " ")
			s = blockTagRe.ReplaceAllString(s, "\n")
			s = cellTagRe.ReplaceAllString(s, " ")
			s = tagRe.ReplaceAllString(s, "")
		}
		s = html.UnescapeString(s)
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r < ' ', r == 0x7f, r == '\u2028', r == '\u2029':
			return ' '
		}
		return r
	}, bot.StripBidi(s)) // the core strips them from cards too; a notice's text need never hold them
	var lines []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// plainText is plainLines on one line.
func plainText(s string) string {
	return strings.Join(plainLines(s), " ")
}

// languageCode returns the ISO 639-1 part of a language tag ("nl-NL",
// "en_GB", "EN"), lower case, or "" when s does not start with one.
func languageCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 2 || (len(s) > 2 && s[2] != '-' && s[2] != '_') {
		return ""
	}
	a, b := s[0]|0x20, s[1]|0x20
	if a < 'a' || a > 'z' || b < 'a' || b > 'z' {
		return ""
	}
	return string([]byte{a, b})
}

// guessLanguage says "nl", "en", "es", "de" or "fr" when common words of
// one language clearly outnumber the others', and "" otherwise. It runs
// per item, before the feed's stated language (multilingual feeds state
// one), and only has to tell the languages the portals we know write in:
// Dutch and English, Spanish for PLACSP, German and French for the
// neighbours. Words common to two languages ("de", "en", "die") count
// towards enough words, not towards telling the languages apart.
func guessLanguage(text string) string {
	total, distinct := map[string]int{}, map[string]int{}
	for w := range strings.FieldsFuncSeq(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		langs := strings.Fields(languageWords[w])
		for _, lang := range langs {
			total[lang]++
			if len(langs) == 1 {
				distinct[lang]++
			}
		}
	}
	for _, lang := range []string{"nl", "en", "es", "de", "fr"} {
		clear := total[lang] >= 3 && distinct[lang] > 0
		for other, n := range distinct {
			clear = clear && (other == lang || distinct[lang] > 2*n)
		}
		if clear {
			return lang
		}
	}
	return ""
}

// languageWords are common words by the languages they are common in.
var languageWords = func() map[string]string {
	words := map[string]string{"de": "nl es fr", "en": "nl es fr", "die": "nl de", "des": "de fr", "la": "es fr",
		"dienst": "nl de"}
	for lang, list := range map[string]string{
		"nl": "het een van voor met op wordt zijn deze opdracht gemeente naar bij aan waarde inschrijving",
		"en": "the and of for with to is are will be this contract council services value by",
		"es": "el los las del y para por con una servicio contratación obras suministro",
		"de": "der das und für mit wird eine einer zur von auf nicht vergabe leistungen auftrag ausschreibung",
		"fr": "le les et pour avec une du est sur dans marché travaux fourniture",
	} {
		for w := range strings.FieldsSeq(list) {
			words[w] = lang
		}
	}
	return words
}()

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// plainParagraphs is plainLines joined into one text, a line each.
func plainParagraphs(s string) string {
	return strings.Join(plainLines(s), "\n")
}

// containsFold reports whether list holds s, ignoring case.
func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(l string) bool { return strings.EqualFold(l, s) })
}

// firstNonEmpty returns the first of values that is not empty.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}
