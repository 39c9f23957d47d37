package engage

import (
	"strings"
	"unicode"

	"github.com/tenderbot/tenderbot/bot"
)

// field is one key=value pair of an event command line.
type field struct {
	Key   string
	Value string
}

// parseFields reads key=value pairs: `title="Zonnedaken Almelo" capacity=30`.
// A value is a word, or quoted with straight or curly double quotes (chat
// apps often turn " into “ ”), in which \" is a quote. Keys are lower-cased.
// Anything that is not a pair is an error that shows what would work.
func parseFields(s string) ([]field, error) {
	var out []field
	rest := strings.TrimSpace(s)
	for rest != "" {
		eq := strings.IndexByte(rest, '=')
		sp := strings.IndexFunc(rest, unicode.IsSpace)
		if eq <= 0 || (sp >= 0 && sp < eq) {
			word := rest
			if sp >= 0 {
				word = rest[:sp]
			}
			return nil, bot.Errorf(bot.EINVALID, "%q is not key=value; write fields as title=\"Supplier day\" capacity=30.", word)
		}
		key := strings.ToLower(rest[:eq])
		rest = rest[eq+1:]
		var value string
		if open, size := quoteAt(rest); open {
			v, after, ok := readQuoted(rest[size:])
			if !ok {
				return nil, bot.Errorf(bot.EINVALID, "The value of %s has no closing quote.", key)
			}
			value, rest = v, after
		} else {
			end := strings.IndexFunc(rest, unicode.IsSpace)
			if end < 0 {
				end = len(rest)
			}
			value, rest = rest[:end], rest[end:]
		}
		out = append(out, field{Key: key, Value: strings.TrimSpace(value)})
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
	}
	return out, nil
}

// quoteAt reports whether s starts with an opening double quote, and its size.
func quoteAt(s string) (bool, int) {
	for _, q := range []string{`"`, "“", "”", "„"} {
		if strings.HasPrefix(s, q) {
			return true, len(q)
		}
	}
	return false, 0
}

// readQuoted reads up to the closing quote, unescaping \", and returns the
// value and what follows the quote.
func readQuoted(s string) (value, rest string, ok bool) {
	var sb strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == '"' {
			sb.WriteByte('"')
			i += 2
			continue
		}
		if open, size := quoteAt(s[i:]); open {
			return sb.String(), s[i+size:], true
		}
		sb.WriteByte(s[i])
		i++
	}
	return "", "", false
}
