package text

import (
	"fmt"
	"strings"
)

// Msg is a message given as an argument of another message, kept as its
// id and arguments until the sentence is said, and then said in the same
// language: the suggestion " Did you mean kind:tender?" after an error.
// Make it with M.
type Msg struct {
	Format string
	Args   []any
}

// M marks format as a message id said as an argument of another message,
// with its own arguments.
func M(format string, args ...any) Msg { return Msg{Format: format, Args: args} }

// String is the message in English.
func (m Msg) String() string { return Printer{}.Sprintf(m.Format, m.Args...) }

// Labelled is a code as a person types it, with its label in English and
// in Dutch ("" where unknown): "cpv:45 (Construction work)", "cpv:45
// (Bouwwerkzaamheden)", or the code alone without a label.
type Labelled struct {
	Code, English, Dutch string
}

// String is the code with its English label.
func (l Labelled) String() string { return Printer{}.labelled(l) }

func (p Printer) labelled(l Labelled) string {
	label := l.English
	if p.Language() == Dutch && l.Dutch != "" {
		label = l.Dutch
	}
	if label == "" {
		return l.Code
	}
	return l.Code + " (" + label + ")"
}

// Items is a list given as an argument of a message, joined as the
// message's language joins it: "a, b and c", "a, b en c"; with Or, as
// alternatives: "a, b or c", "a, b of c". An item is a string, a Phrase,
// a Msg or a Labelled. Make it with And or Or.
type Items struct {
	List []any
	Or   bool
}

// And lists items that all hold.
func And(items ...any) Items { return Items{List: items} }

// Or lists items of which one holds.
func Or(items ...any) Items { return Items{List: items, Or: true} }

// String is the list in English.
func (l Items) String() string { return Printer{}.items(l) }

func (p Printer) items(l Items) string {
	said := make([]string, len(l.List))
	for i, item := range l.List {
		said[i] = p.say(item)
	}
	if l.Or && len(said) > 1 {
		return strings.Join(said[:len(said)-1], ", ") + p.Sprintf(" or ") + said[len(said)-1]
	}
	return p.List(said)
}

// sayLater is an argument of a message in p's language when it is one of
// the kinds said only then (Phrase, Msg, Labelled, Items); ok is false for
// any other value.
func (p Printer) sayLater(a any) (string, bool) {
	switch a := a.(type) {
	case Phrase:
		return p.Text(string(a)), true
	case Msg:
		return p.Sprintf(a.Format, a.Args...), true
	case Labelled:
		return p.labelled(a), true
	case Items:
		return p.items(a), true
	}
	return "", false
}

// say is an item of a list in p's language.
func (p Printer) say(a any) string {
	if s, ok := p.sayLater(a); ok {
		return s
	}
	if s, ok := a.(string); ok {
		return s
	}
	return fmt.Sprint(a)
}
