package bot

import "slices"

// CommandInfo describes one command of the grammar, for the chats that
// list commands in menus (Discord's slash subcommands, Slack's manifest)
// and for help. Every chat offers exactly these commands.
type CommandInfo struct {
	// Name is the command as one word, as menus list it: "subscribe",
	// "my-data".
	Name string
	// Line is what the command's line starts with, the words a menu's
	// choice stands for: "subscribe", "my data", "deliveries failed".
	Line    string
	Usage   string // how to call it, as help shows it
	Summary string // what it does, in one line
	// Brief is the summary in at most 100 characters, for menus that hold
	// no more.
	Brief string
	// Options are the command's arguments as a form or menu asks for them,
	// in the order they follow Line.
	Options []CommandOption
	// TypedOnly commands are typed, and listed by help, but left out of
	// menus that cannot hold every command (Discord's 25 subcommands):
	// there, what they do is a button on each card already.
	TypedOnly bool
}

// OptionKind is what a command option takes.
type OptionKind string

// The kinds of option.
const (
	OptionText   OptionKind = "text"   // any text, as typed
	OptionFlag   OptionKind = "flag"   // on or off: when on, its name is a word of the line
	OptionChoice OptionKind = "choice" // one of Choices
	OptionUser   OptionKind = "user"   // a person on the chat, by the chat's id
	OptionCode   OptionKind = "code"   // a classification code, completed from Vocabulary
)

// CommandOption is one argument of a command. The options "here" (a flag:
// the channel's profiles) and "name" (a profile's name, written
// name="…") lead the line wherever they are declared; the others follow in
// order.
type CommandOption struct {
	Name        string
	Description string // at most 100 characters
	Kind        OptionKind
	Required    bool
	Choices     []string // for OptionChoice
	// Vocabulary is, for OptionCode, the field whose codes complete it
	// ("cpv", "nuts"); its value goes into the line as Vocabulary:value.
	Vocabulary string
	// MaxLength is the longest value the command takes, in characters; 0
	// leaves it to the chat's usual limit.
	MaxLength int
}

// Commands is the grammar's catalogue, in the order menus list it.
func Commands() []CommandInfo {
	out := make([]CommandInfo, len(commandTable))
	for i, c := range commandTable {
		out[i] = c.info()
	}
	return out
}

func (c command) info() CommandInfo {
	line := c.line
	if line == "" {
		line = c.name
	}
	options := slices.Clone(c.options)
	for i := range options {
		options[i].Choices = slices.Clone(options[i].Choices)
	}
	return CommandInfo{Name: c.name, Line: line, Usage: c.usage, Summary: c.summary, Brief: c.brief, Options: options, TypedOnly: c.typedOnly}
}
