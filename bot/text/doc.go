// Package text is what the bot says, in every language it speaks: the one
// message catalogue of the core, and the formats of dates and amounts per
// language.
//
// A message's id is its English text, a format as fmt reads it: code that
// speaks to a person writes p.Sprintf("Saved profile %d.", n) with the
// Printer of that person's language, and the catalogue holds the Dutch
// format for the same id. Strings declared in tables, to be said later,
// are marked with N so the catalogue's test finds them, and said with
// p.Text. That test reads every Go file of the module and fails when a
// message id has no Dutch translation, when a translation's verbs differ
// from its id's, or when the catalogue holds a translation nobody uses.
//
// What a message says inside another is kept as an id until the whole is
// said, so that it is said in the same language: a Phrase (an action in a
// refusal), a Msg made with M (a suggestion after an error), a list made
// with And or Or, a code with its labels (Labelled). Errors of the core
// keep their format and arguments for the same reason: they are said when
// the reply to the person is written, in that person's language.
//
// The package imports only the standard library, so the core and every
// adapter can say things in the same words.
package text
