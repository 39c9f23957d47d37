package matching

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tenderbot/tenderbot/bot"
)

// tokenKind is the kind of a lexical token of the query language.
type tokenKind int

const (
	tokWord   tokenKind = iota // a bare word: renovatie, dak*, e-mail
	tokPhrase                  // a quoted phrase; text is what is between the quotes
	tokField                   // name:value; name is lower-cased
	tokMinus                   // - directly before what it excludes
	tokOr                      // OR
	tokLParen                  // (
	tokRParen                  // )
	tokEOF
)

// token is one lexical token. pos and end are byte offsets of the whole
// token in the query, for pointing at it in an error message.
type token struct {
	kind   tokenKind
	text   string // a word, a phrase's content, a field's value
	name   string // a field's name
	quoted bool   // a field's value was typed in quotes: title:"groen dak"
	pos    int
	end    int
}

// isQuote reports whether r opens or closes a phrase. Chat clients turn
// straight quotes into typographic ones, so those count too.
func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„':
		return true
	}
	return false
}

// endsBareWord reports whether r ends a bare word (or a field value).
func endsBareWord(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || isQuote(r)
}

// lexer splits a query into tokens.
type lexer struct {
	src  string
	pos  int
	toks []token
}

// lex returns the tokens of src, ending with tokEOF. It fails on what no
// parse can repair: an unclosed quote, a - that stands alone.
func lex(src string) ([]token, error) {
	l := &lexer{src: src}
	for {
		l.skipSpace()
		if l.pos >= len(l.src) {
			l.toks = append(l.toks, token{kind: tokEOF, pos: l.pos, end: l.pos})
			return l.toks, nil
		}
		start := l.pos
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		switch {
		case r == '(':
			l.pos += size
			l.emit(token{kind: tokLParen}, start)
		case r == ')':
			l.pos += size
			l.emit(token{kind: tokRParen}, start)
		case isQuote(r):
			if err := l.phrase(size); err != nil {
				return nil, err
			}
		case r == '-':
			l.pos += size
			next, _ := utf8.DecodeRuneInString(l.src[l.pos:])
			if l.pos >= len(l.src) || unicode.IsSpace(next) || next == ')' {
				l.skipSpace()
				l.readBare() // quote what the - stands before, if anything
				return nil, bot.Errorf(bot.EINVALID, "%s — a - on its own leaves nothing out; put it directly before what to leave out, like -sloop",
					excerptTail(l.src, l.pos))
			}
			l.emit(token{kind: tokMinus}, start)
		default:
			if err := l.bare(); err != nil {
				return nil, err
			}
		}
	}
}

func (l *lexer) emit(t token, start int) {
	t.pos, t.end = start, l.pos
	l.toks = append(l.toks, t)
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		l.pos += size
	}
}

// readBare reads a bare word from the current position.
func (l *lexer) readBare() string {
	start := l.pos
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if endsBareWord(r) {
			break
		}
		l.pos += size
	}
	return l.src[start:l.pos]
}

// phrase reads a quoted phrase; the opening quote is quoteSize bytes long.
func (l *lexer) phrase(quoteSize int) error {
	start := l.pos
	l.pos += quoteSize
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if isQuote(r) {
			text := l.src[start+quoteSize : l.pos]
			l.pos += size
			l.emit(token{kind: tokPhrase, text: text}, start)
			return nil
		}
		l.pos += size
	}
	return bot.Errorf(bot.EINVALID, "%s — this quote is never closed; add a \" where the phrase ends", excerpt(l.src, start, l.pos))
}

// quotedValue reads a quoted field value, after spaces, if one follows.
func (l *lexer) quotedValue(fieldStart int) (text string, ok bool, err error) {
	save := l.pos
	l.skipSpace()
	open, openSize := utf8.DecodeRuneInString(l.src[l.pos:])
	if l.pos >= len(l.src) || !isQuote(open) {
		l.pos = save
		return "", false, nil
	}
	start := l.pos
	l.pos += openSize
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if isQuote(r) {
			text = l.src[start+openSize : l.pos]
			l.pos += size
			return text, true, nil
		}
		l.pos += size
	}
	return "", false, bot.Errorf(bot.EINVALID, "%s — this quote is never closed; add a \" where the phrase ends", excerpt(l.src, fieldStart, l.pos))
}

// bare reads a bare word: the OR operator, a field (name:value) or a word.
func (l *lexer) bare() error {
	start := l.pos
	word := l.readBare()
	if word == "OR" {
		l.emit(token{kind: tokOr}, start)
		return nil
	}
	name, value, ok := strings.Cut(word, ":")
	if !ok || !isFieldName(name) {
		l.emit(token{kind: tokWord, text: word}, start)
		return nil
	}
	// A quoted value is a phrase: buyer:"Gemeente Almelo".
	if value == "" {
		if text, ok, err := l.quotedValue(start); err != nil {
			return err
		} else if ok {
			l.emit(token{kind: tokField, name: strings.ToLower(name), text: text, quoted: true}, start)
			return nil
		}
	}
	// Be lenient about spaces people put in lists: "cpv: 45" and
	// "cpv:45, 09331200" mean cpv:45 and cpv:45,09331200.
	if value == "" {
		value = l.continuation()
	}
	for strings.HasSuffix(value, ",") {
		more := l.continuation()
		if more == "" {
			break
		}
		value += more
	}
	l.emit(token{kind: tokField, name: strings.ToLower(name), text: value}, start)
	return nil
}

// continuation reads the next bare word when it can continue a field value:
// it is neither OR nor a field of its own. Otherwise it reads nothing.
func (l *lexer) continuation() string {
	save := l.pos
	l.skipSpace()
	if l.pos < len(l.src) {
		if r, _ := utf8.DecodeRuneInString(l.src[l.pos:]); r != '-' && !endsBareWord(r) {
			w := l.readBare()
			if w != "OR" && !strings.Contains(w, ":") {
				return w
			}
		}
	}
	l.pos = save
	return ""
}

// isFieldName reports whether s can name a field: ASCII letters only, so
// that "10:30" or ":)" stay words.
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
