package text

import (
	"fmt"
	"slices"
	"strings"
)

// Printer says things in one language. The zero Printer speaks English.
type Printer struct {
	lang Language
}

// For returns the Printer of language l; a language the bot does not
// speak gets English.
func For(l Language) Printer {
	if l != Dutch {
		l = English
	}
	return Printer{lang: l}
}

// Language is the language p speaks.
func (p Printer) Language() Language {
	if p.lang == "" {
		return English
	}
	return p.lang
}

// Sprintf formats the message whose id is format, in p's language: the
// catalogue's translation of format, or format itself in English. A
// translation may reorder its arguments with explicit indexes (%[2]s).
// An argument of type Phrase, Msg, Labelled or Items is said in p's
// language too.
func (p Printer) Sprintf(format string, args ...any) string {
	return fmt.Sprintf(p.lookup(format), p.phrases(args)...)
}

// phrases returns args with each Phrase, Msg, Labelled and Items said in
// p's language; args is copied only when it holds one.
func (p Printer) phrases(args []any) []any {
	copied := false
	for i, a := range args {
		said, ok := p.sayLater(a)
		if !ok {
			continue
		}
		if !copied {
			args, copied = slices.Clone(args), true
		}
		args[i] = said
	}
	return args
}

// Phrase is a message id given as an argument of another message: the
// action in "Only people with the staff role can %s", kept as an id until
// the sentence is said, and then said in the same language. Mark the
// phrase with N where it is written.
type Phrase string

// Text is the message whose id is s, in p's language, taken as it is
// rather than as a format: for the strings marked with N.
func (p Printer) Text(s string) string { return p.lookup(s) }

// lookup is the translation of id in p's language, id itself when there is
// none (English, or a translation missing, which the catalogue's test
// does not let pass).
func (p Printer) lookup(id string) string {
	if p.lang == Dutch {
		if t, ok := dutch[id]; ok {
			return t
		}
	}
	return id
}

// N marks s as a message id to translate later, with Printer.Text, where
// it is said: a command's summary in a table, a button's label in a
// constant. It returns s unchanged.
func N(s string) string { return s }

// List joins items as p's language writes a list: "a, b and c", "a, b en
// c".
func (p Printer) List(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + p.Sprintf(" and ") + items[len(items)-1]
}
