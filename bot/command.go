package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Command is one line a person typed to the bot, on any platform, in the
// same grammar: a command word and its arguments ("subscribe cpv:45 nuts:NL21").
type Command struct {
	// From is the person who typed it (User set): their profiles are the
	// ones the command sees.
	From Subscriber
	// Channel is where it was typed, "" in a direct message or the console;
	// "here" in a command means this channel ("subscribe here cpv:45").
	Channel string
	Text    string
}

// command is one entry of the grammar.
type command struct {
	usage   string // how to call it, shown in help
	summary string // one line on what it does
	run     func(b *Bot, ctx context.Context, c Command, args string) (Message, error)
}

// commands is the grammar every chat adapter shares. It is filled in init
// because help reads it.
var commands map[string]command

func init() {
	commands = map[string]command{
		"help": {
			usage:   "help [command]",
			summary: "list the commands, or explain one",
			run:     (*Bot).help,
		},
		"subscribe": {
			usage:   `subscribe [here] [name="my name"] <query>`,
			summary: "save a profile and get alerts for notices that match it (here: for this channel); shows what already matches",
			run:     (*Bot).subscribe,
		},
		"profiles": {
			usage:   "profiles [here]",
			summary: "list your profiles (here: this channel's)",
			run:     (*Bot).profiles,
		},
		"unsubscribe": {
			usage:   "unsubscribe [here] <name|number>",
			summary: "delete a profile (the number is its place in `profiles`)",
			run:     (*Bot).unsubscribe,
		},
		"follow": {
			usage:   "follow <ref>",
			summary: "follow a tender (the ref is shown on each notice); it is listed in `home`",
			run:     (*Bot).follow,
		},
		"home": {
			usage:   "home",
			summary: "your profiles and the tenders you follow",
			run:     func(b *Bot, ctx context.Context, c Command, _ string) (Message, error) { return b.home(ctx, c.From) },
		},
		"digest": {
			usage:   "digest [here] [<profile> instant|daily|weekly]",
			summary: "show or change how a profile's matches come: one by one, or in a daily or weekly digest",
			run:     (*Bot).digestCommand,
		},
		"quiet": {
			usage:   "quiet [here] [22:00-07:00|off]",
			summary: "show or set quiet hours: instant alerts in them wait until they end",
			run:     (*Bot).quiet,
		},
		"deliveries": {
			usage:   "deliveries failed",
			summary: "the messages I could not deliver, and why (admins see everyone's)",
			run:     (*Bot).deliveries,
		},
		"role": {
			usage:   "role [grant|revoke <user> admin|partner|staff]",
			summary: "your roles; admins grant and revoke them",
			run:     (*Bot).roleCommand,
		},
		"feed": {
			usage:   "feed add <url> [name] [confirm] | list | pause|resume|remove|stats <id>",
			summary: "partners: propose a feed (a preview first), manage your feeds, see their reach",
			run:     (*Bot).feedCommand,
		},
		"my": {
			usage:   "my data",
			summary: "everything I hold about you, as a JSON file",
			run: func(b *Bot, ctx context.Context, c Command, args string) (Message, error) {
				if !strings.EqualFold(strings.TrimSpace(args), "data") {
					return Message{}, Errorf(EINVALID, "Write `my data` for everything I hold about you.")
				}
				return b.myData(ctx, c, args)
			},
		},
		"forget": {
			usage:   "forget me [confirm]",
			summary: "erase everything I hold about you (asks first)",
			run:     (*Bot).forgetMe,
		},
		"roles": {
			usage:   "roles",
			summary: "admins and staff: who holds which role",
			run:     (*Bot).roles,
		},
		"events": {
			usage:   "events",
			summary: "upcoming market consultations, supplier days and other events, with their numbers",
			run: func(b *Bot, ctx context.Context, c Command, _ string) (Message, error) {
				return b.withEvents(func(e Engagement) (Message, error) { return e.Events(ctx, c) })
			},
		},
		"event": {
			usage:   EventUsage,
			summary: "see an event, register (going, maybe, no), ask a question anonymously; staff post and run events",
			run: func(b *Bot, ctx context.Context, c Command, args string) (Message, error) {
				return b.withEvents(func(e Engagement) (Message, error) { return e.Event(ctx, c, args) })
			},
		},
		"feeds": {
			usage:   "feeds",
			summary: "list the feeds I read and how their last reads went",
			run:     (*Bot).feeds,
		},
		"search": {
			usage:   "search <query>",
			summary: "search the notices the bot has already read",
			run:     (*Bot).search,
		},
		"why": {
			usage:   "why [here] <ref>",
			summary: "why a notice matches each of your profiles, or why not (the ref is shown on each notice)",
			run:     (*Bot).why,
		},
	}
}

// Handle runs one command and returns the reply for the person who typed it.
// Bad input gets a reply that says what was wrong and what would work; an
// internal failure is logged and answered with an apology, never with detail.
func (b *Bot) Handle(ctx context.Context, c Command) Message {
	if b.events != nil {
		if reply, ok := b.events.Continue(ctx, c); ok {
			return reply
		}
	}
	name, args := SplitCommand(c.Text)
	if name == "" {
		return Message{Text: "Type `help` to see what I can do."}
	}
	cmd, ok := commands[name]
	if !ok {
		return Message{Text: fmt.Sprintf("I don't know the command %q. %s", name, suggestCommand(name))}
	}
	if err := c.From.Validate(); err != nil {
		b.log.Error("command from invalid subscriber", "err", err)
		return Message{Text: ErrorMessage(err)}
	}
	reply, err := cmd.run(b, ctx, c, args)
	if err != nil {
		if ErrorCode(err) == EINTERNAL {
			b.log.Error("command failed", "command", name, "subscriber", c.From.Key(), "err", err)
		}
		return Message{Text: ErrorMessage(err)}
	}
	return reply
}

// SplitCommand splits a line into its lower-cased command word and the rest.
func SplitCommand(text string) (name, args string) {
	text = strings.TrimSpace(text)
	text = strings.TrimPrefix(text, "/tender ")
	i := strings.IndexFunc(text, unicode.IsSpace)
	if i < 0 {
		return strings.ToLower(text), ""
	}
	return strings.ToLower(text[:i]), strings.TrimSpace(text[i:])
}

// suggestCommand names the closest known command, or points at help.
func suggestCommand(name string) string {
	best, bestDist := "", 3
	for known := range commands {
		if d := editDistance(name, known); d < bestDist || (d == bestDist && known < best) {
			best, bestDist = known, d
		}
	}
	if best != "" {
		return fmt.Sprintf("Did you mean `%s`? Type `help` for all commands.", best)
	}
	return "Type `help` for all commands."
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

func (b *Bot) help(_ context.Context, c Command, args string) (Message, error) {
	if name := strings.ToLower(strings.TrimSpace(args)); name != "" {
		cmd, ok := commands[name]
		if !ok {
			return Message{}, Errorf(EINVALID, "There is no command %q. %s", name, suggestCommand(name))
		}
		text := fmt.Sprintf("`%s` — %s", cmd.usage, cmd.summary)
		if name == "subscribe" || name == "search" {
			text += "\n\n" + queryHelp
		}
		return Message{Text: text + platformHelp(c.From.Platform)}, nil
	}
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	var sb strings.Builder
	sb.WriteString("I find public tenders and market consultations that fit your business.\n\nCommands:\n")
	for _, name := range names {
		fmt.Fprintf(&sb, "  `%s` — %s\n", commands[name].usage, commands[name].summary)
	}
	sb.WriteString("\n" + queryHelp)
	return Message{Text: sb.String() + platformHelp(c.From.Platform)}, nil
}

// platformHelp says how the commands are typed where the person is, when
// that differs from writing them as they are shown.
func platformHelp(p Platform) string {
	switch p {
	case PlatformSlack:
		return "\n\nIn Slack, put /tender before a command (`/tender events`), or write it to me in a direct message."
	case PlatformDiscord:
		return "\n\nIn Discord, each command is a /tender subcommand with its options: `/tender search query:zonnepanelen`, " +
			"`/tender events`, and the event commands after do: — `/tender event do:rsvp 1 going`, `/tender event do:ask 1 <question>`."
	}
	return ""
}

// EventUsage lists the event subcommands, for help and for mistakes.
const EventUsage = "event <id> | new [key=value …] | publish <id> | update <id> key=value … | cancel <id> [reason] | " +
	"rsvp <id> going|maybe|no [name=\"…\" company=\"…\"] | ask <id> <question> | answer <id> <n> <text> | " +
	"material <id> <url> [title] | involve <id> <user> <note> | attendees <id> | export <id>"

// queryHelp explains the query language in a few lines.
const queryHelp = `Queries:
  renovatie sporthal   both words (any case, accents ignored)
  zonne*               words starting with "zonne"
  "openbare verlichting"  the exact phrase
  -asbest              without this word
  groen OR bomen       either; use ( ) to group
  cpv:45               CPV code 45000000 and everything under it (cpv:45,09331200 = either)
  nuts:NL21            region NL21 (Overijssel) and its parts; nuts:NL = the Netherlands
  value:>=50k          value at least 50,000 (value:<1m, value:50k..2m; value:>=50kEUR only in euros)
  deadline:>=7d        at least 7 days left to respond
  kind:early,tender    early engagement and tenders (what a new profile gets unless you say)
  buyer:"Gemeente Almelo"  title:renovatie  country:NL   words in one field; the buyer's country
Example: subscribe cpv:45 nuts:NL21 -asbest value:>=50k`

// target is whose profiles a command works on: the person's, or with a
// leading "here" the channel's it was typed in. It returns the arguments
// without "here".
func (c Command) target(args string) (Subscriber, string, error) {
	word, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	if !strings.EqualFold(word, "here") {
		return c.From, args, nil
	}
	if c.Channel == "" {
		return Subscriber{}, "", Errorf(EINVALID, "`here` means the channel you type it in; in a direct message, leave it out to work on your own profiles.")
	}
	return Subscriber{Platform: c.From.Platform, Workspace: c.From.Workspace, Channel: c.Channel}, strings.TrimSpace(rest), nil
}
