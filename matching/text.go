package matching

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldSpecial spells the lower-case letters that carry a diacritic or are a
// ligature but do not decompose under NFD, so they would survive removing
// the combining marks.
var foldSpecial = map[rune]string{
	'ø': "o",
	'ß': "ss",
	'æ': "ae",
	'œ': "oe",
	'ł': "l",
	'đ': "d",
	'ð': "d",
	'ı': "i",
	'þ': "th",
	'ħ': "h",
	'ŧ': "t",
	'ŀ': "l",
}

// fold returns s lower-cased and without diacritics, so that words compare
// equal however they were typed: "Dializatorów" and "dializatorow" fold to
// the same string. fold(fold(s)) == fold(s).
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var f folder
	return string(f.appendFold(nil, s))
}

// folder folds text into buffers it keeps, so that preparing notice after
// notice with the same folder does not allocate once its buffers have grown.
type folder struct {
	lower []byte
	nfd   []byte
	iter  norm.Iter // kept, as Form.Append allocates its buffer every call
}

// appendFold appends fold(s) to dst.
func (f *folder) appendFold(dst []byte, s string) []byte {
	if isASCII(s) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	// Lower-case first: NFD then decomposes what lower-casing produced, and
	// the result needs no second pass. Ranging over s turns invalid UTF-8
	// into U+FFFD, as strings.ToLower does.
	f.lower = f.lower[:0]
	for _, r := range s {
		f.lower = utf8.AppendRune(f.lower, unicode.ToLower(r))
	}
	f.nfd = f.nfd[:0]
	f.iter.Init(norm.NFD, f.lower)
	for !f.iter.Done() {
		f.nfd = append(f.nfd, f.iter.Next()...)
	}
	for i := 0; i < len(f.nfd); {
		r, size := utf8.DecodeRune(f.nfd[i:])
		i += size
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if rep, ok := foldSpecial[r]; ok {
			dst = append(dst, rep...)
			continue
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isWordRune reports whether r belongs to a word: words are maximal runs of
// letters and digits.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// A term is one word of a query: the folded word, and whether it is a
// prefix (typed with a trailing *).
type term struct {
	text   string
	prefix bool
}

// String returns the term as typed in canonical form.
func (t term) String() string {
	if t.prefix {
		return t.text + "*"
	}
	return t.text
}

// matches reports whether a notice's word satisfies the term.
func (t term) matches(word string) bool {
	if t.prefix {
		return strings.HasPrefix(word, t.text)
	}
	return word == t.text
}

// splitTerms folds query text and splits it into terms the way tokenize
// splits a notice, except that a * directly after a word makes it a prefix.
// It reports false when a * stands anywhere else ("*bouw", "a * b", "a**"):
// that is a typing mistake better pointed out than guessed at.
func splitTerms(s string) ([]term, bool) {
	var terms []term
	f := fold(s)
	start := -1 // start of the word being read, -1 between words
	for i, r := range f {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			terms = append(terms, term{text: f[start:i], prefix: r == '*'})
			start = -1
			if r == '*' {
				continue // taken by the word before it
			}
		}
		if r == '*' {
			return nil, false
		}
	}
	if start >= 0 {
		terms = append(terms, term{text: f[start:]})
	}
	return terms, true
}
