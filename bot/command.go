package bot

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/tenderbot/tenderbot/bot/text"
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
	// Mentions are the users the chat found behind the mentions in Text,
	// for chats that can look them up (Slack); nil when it looked up none.
	Mentions *Mentions
	// Groups maps each mention of a group in Text (a Slack user group, a
	// Discord role), as written ("<!subteam^S0123|@team>", "<@&123>"), to
	// its id; nil when the chat has no groups or the text mentions none.
	Groups map[string]string
	// ChannelManager is what the platform says of From in Channel: that
	// they manage it (Slack: a channel manager, workspace admin or owner;
	// Discord: Manage Channels or Manage Server). The adapter reports it;
	// the core decides what it allows: changing the channel's profiles.
	ChannelManager bool
	// Locale is the language the chat reports for From, as it writes it
	// ("nl", "en-GB", "nl_NL.UTF-8"), "" when it reports none. The core
	// remembers it for the alerts it writes them later.
	Locale string
	// Language is the language the reply is written in: what From chose,
	// else Locale, else the workspace's default. Handle sets it; the
	// commands say everything through Printer.
	Language text.Language
}

// Printer speaks the command's language, as Handle chose it.
func (c Command) Printer() text.Printer { return text.For(c.Language) }

// Mentions maps each mention in a command's text, as written ("<@U123|jan>",
// "@jan", "U123"), to the user id it names, or to "" when it names nobody
// in the workspace.
type Mentions map[string]string

// command is one entry of the grammar.
type command struct {
	name    string // the command as one word, as menus list it; "" for the first word of line
	line    string // the words its line starts with; "" for name
	usage   string // how to call it, shown in help
	summary string // one line on what it does
	brief   string // the summary in at most 100 characters, for menus
	options []CommandOption
	// typedOnly: see CommandInfo.TypedOnly.
	typedOnly bool
	run       func(b *Bot, ctx context.Context, c Command, args string) (Message, error)
}

// Options several commands take.
var (
	cpvOption  = CommandOption{Name: "cpv", Description: text.N("A CPV code: type words or digits to pick one"), Kind: OptionCode, Vocabulary: "cpv"}
	nutsOption = CommandOption{Name: "region", Description: text.N("A region (NUTS code): type a name or code to pick one"), Kind: OptionCode, Vocabulary: "nuts"}
	refOption  = CommandOption{Name: "ref", Description: text.N("The notice's ref, e.g. 3f2a9c0d1e4b5a6f"), Kind: OptionText, Required: true}
	// profileOption leads: the profile is the line's first word.
	profileOption = CommandOption{Name: "profile", Description: text.N("The profile's number in /tender profiles, or its name"), Kind: OptionText, Required: true}
)

func hereOption(description string) CommandOption {
	return CommandOption{Name: "here", Description: description, Kind: OptionFlag}
}

func textOption(name, description string) CommandOption {
	return CommandOption{Name: name, Description: description, Kind: OptionText}
}

func queryOption(description string, required bool) CommandOption {
	return CommandOption{Name: "query", Description: description, Kind: OptionText, Required: required}
}

// commandTable is the grammar every chat adapter shares, in the order
// menus list it. It is filled in init because help reads it.
var commandTable []command

// commands are the entries of commandTable by their command word.
var commands map[string]command

func init() {
	commandTable = []command{
		{
			name:    "subscribe",
			usage:   text.N(`subscribe [here] [name="my name"] <query>`),
			summary: text.N("save a profile and get alerts for notices that match it (here: for this channel); shows what already matches"),
			brief:   text.N("Get alerts for notices that match a profile; without a query a form opens"),
			options: []CommandOption{
				queryOption(text.N("What to look for, e.g. renovatie sporthal cpv:45 nuts:NL21"), false),
				textOption("name", text.N("A name for the profile")),
				cpvOption, nutsOption,
				hereOption(text.N("For this channel rather than for you")),
			},
			run: (*Bot).subscribe,
		},
		{
			name:    "profiles",
			usage:   "profiles [here]",
			summary: text.N("list your profiles (here: this channel's)"),
			brief:   text.N("List your profiles"),
			options: []CommandOption{hereOption(text.N("This channel's profiles rather than yours"))},
			run:     (*Bot).profiles,
		},
		{
			name:    "unsubscribe",
			usage:   text.N("unsubscribe [here] <name|number>"),
			summary: text.N("delete a profile (the number is its place in `profiles`)"),
			brief:   text.N("Delete a profile"),
			options: []CommandOption{
				{Name: "which", Description: text.N("Its number in /tender profiles, or its name"), Kind: OptionText, Required: true},
				hereOption(text.N("One of this channel's profiles")),
			},
			run: (*Bot).unsubscribe,
		},
		{
			name:    "pause",
			usage:   text.N("pause [here] <profile>"),
			summary: text.N("stop a profile's alerts for now; it keeps its query and settings until `resume`"),
			brief:   text.N("Stop a profile's alerts for now, keeping its settings"),
			options: []CommandOption{profileOption, hereOption(text.N("One of this channel's profiles"))},
			run:     (*Bot).pause,
		},
		{
			name:    "resume",
			usage:   text.N("resume [here] <profile>"),
			summary: text.N("start a paused profile's alerts again"),
			brief:   text.N("Start a paused profile's alerts again"),
			options: []CommandOption{profileOption, hereOption(text.N("One of this channel's profiles"))},
			run:     (*Bot).resume,
		},
		{
			name:    "rename",
			usage:   text.N(`rename [here] <profile> <name>`),
			summary: text.N("give a profile another name"),
			brief:   text.N("Give a profile another name"),
			options: []CommandOption{profileOption, {Name: "to", Description: text.N("The new name"), Kind: OptionText, Required: true, MaxLength: MaxProfileNameLength}, hereOption(text.N("One of this channel's profiles"))},
			run:     (*Bot).rename,
		},
		{
			name:    "edit",
			usage:   text.N("edit [here] <profile> <query>"),
			summary: text.N("change a profile's query, keeping its name, delivery and muted buyers; shows what the new query matches"),
			brief:   text.N("Change a profile's query, keeping its settings; shows what it matches"),
			options: []CommandOption{profileOption, queryOption(text.N("The new query, e.g. cpv:45 nuts:NL21"), true), hereOption(text.N("One of this channel's profiles"))},
			run:     (*Bot).edit,
		},
		{
			name:    "search",
			usage:   text.N("search <query>"),
			summary: text.N("search the notices the bot has already read"),
			brief:   text.N("Search the notices I have read"),
			options: []CommandOption{queryOption(text.N("What to look for, e.g. zonnepanelen nuts:NL21"), true), cpvOption, nutsOption},
			run:     (*Bot).search,
		},
		{
			name:    "home",
			usage:   "home",
			summary: text.N("your profiles and the tenders you follow"),
			brief:   text.N("Your profiles and the tenders you follow"),
			run:     func(b *Bot, ctx context.Context, c Command, _ string) (Message, error) { return b.home(ctx, c.From) },
		},
		{
			name:    "follow",
			usage:   "follow <ref>",
			summary: text.N("follow a tender (the ref is shown on each notice); it is listed in `home`"),
			brief:   text.N("Follow a tender by the ref shown on its notice"),
			options: []CommandOption{refOption},
			run:     (*Bot).follow,
		},
		{
			name:    "unfollow",
			usage:   "unfollow <ref>",
			summary: text.N("stop following a tender: no more changes or reminders about it"),
			brief:   text.N("Stop following a tender"),
			options: []CommandOption{refOption},
			run:     (*Bot).unfollow,
		},
		{
			name:      "not-relevant",
			usage:     "not-relevant [here] <ref>",
			summary:   text.N("tell me a notice was not relevant to your profiles that matched it (as the button does)"),
			brief:     text.N("Tell me a notice was not relevant to your profiles"),
			options:   []CommandOption{refOption, hereOption(text.N("This channel's profiles rather than yours"))},
			typedOnly: true, // the card's Not relevant button
			run: func(b *Bot, ctx context.Context, c Command, args string) (Message, error) {
				return b.feedbackByRef(ctx, c, args, ActionNotRelevant)
			},
		},
		{
			name:      "mute",
			usage:     "mute [here] <ref>",
			summary:   text.N("never alert your matching profiles about this notice's buyer again (as the button does)"),
			brief:     text.N("Never alert your matching profiles about this notice's buyer again"),
			options:   []CommandOption{refOption, hereOption(text.N("This channel's profiles rather than yours"))},
			typedOnly: true, // the card's Mute buyer button
			run: func(b *Bot, ctx context.Context, c Command, args string) (Message, error) {
				return b.feedbackByRef(ctx, c, args, ActionMuteBuyer)
			},
		},
		{
			name:    "why",
			usage:   "why [here] <ref>",
			summary: text.N("why a notice matches each of your profiles, or why not (the ref is shown on each notice)"),
			brief:   text.N("Why a notice matches each of your profiles, or why not"),
			options: []CommandOption{refOption, hereOption(text.N("This channel's profiles rather than yours"))},
			run:     (*Bot).why,
		},
		{
			name:    "events",
			usage:   "events",
			summary: text.N("upcoming market consultations, supplier days and other events, with their numbers"),
			brief:   text.N("Upcoming engagement events (staff see their drafts too)"),
			run: func(b *Bot, ctx context.Context, c Command, _ string) (Message, error) {
				return b.withEvents(func(e Engagement) (Message, error) { return e.Events(ctx, c) })
			},
		},
		{
			name:    "event",
			usage:   EventUsage,
			summary: text.N("see an event, register (going, maybe, no), ask a question anonymously; staff post and run events"),
			brief:   text.N("An engagement event: new (a form), publish, update, rsvp, ask, answer…"),
			options: []CommandOption{{Name: "do", Description: text.N("e.g. new, 1, rsvp 1 going, ask 1 <question>, publish 1, update 1 capacity=30"), Kind: OptionText, MaxLength: 4000}},
			run: func(b *Bot, ctx context.Context, c Command, args string) (Message, error) {
				return b.withEvents(func(e Engagement) (Message, error) { return e.Event(ctx, c, args) })
			},
		},
		{
			name:    "digest",
			usage:   text.N("digest [here] [<profile> instant|daily|weekly]"),
			summary: text.N("show or change how a profile's matches come: one by one, or in a daily or weekly digest"),
			brief:   text.N("Show or change how a profile's matches come: one by one, daily or weekly"),
			options: []CommandOption{
				textOption("profile", text.N("The profile's number or name")),
				{Name: "mode", Description: text.N("How its matches come"), Kind: OptionChoice, Choices: []string{"instant", "daily", "weekly"}},
				hereOption(text.N("One of this channel's profiles")),
			},
			run: (*Bot).digestChecked,
		},
		{
			name:    "quiet",
			usage:   "quiet [here] [22:00-07:00|off]",
			summary: text.N("show or set quiet hours: instant alerts in them wait until they end"),
			brief:   text.N("Show or set quiet hours: instant alerts in them wait until they end"),
			options: []CommandOption{textOption("hours", text.N("From-to, e.g. 22:00-07:00, or off")), hereOption(text.N("This channel's quiet hours"))},
			run:     (*Bot).quiet,
		},
		{
			name:    "language",
			usage:   "language [here] [nl|en]",
			summary: text.N("show or choose the language I speak to you (here: in this channel): nl (Nederlands) or en (English)"),
			brief:   text.N("Show or choose the language I speak: nl (Nederlands) or en (English)"),
			options: []CommandOption{{Name: "language", Description: text.N("nl (Nederlands) or en (English)"), Kind: OptionChoice, Choices: []string{"nl", "en"}}, hereOption(text.N("The language of this channel's alerts"))},
			run:     (*Bot).languageCommand,
		},
		{
			name:    "deliveries",
			line:    "deliveries failed",
			usage:   "deliveries failed",
			summary: text.N("the messages I could not deliver, and why (admins see everyone's)"),
			brief:   text.N("The messages I could not deliver, and why (admins see everyone's)"),
			run:     (*Bot).deliveries,
		},
		{
			name:    "feeds",
			usage:   "feeds [poll [n]]",
			summary: text.N("list the feeds I read and how their last reads went; admins: `feeds poll [n]` reads feed #n (or every feed) now"),
			brief:   text.N("The feeds I read and how their last reads went; admins: poll [n] reads one now"),
			options: []CommandOption{textOption("do", text.N("poll, or poll and a feed's number, to read it now (admins)"))},
			run: func(b *Bot, ctx context.Context, c Command, args string) (Message, error) {
				return b.withPartners(ctx, func(p Partners, read []Feed) (Message, error) { return p.Feeds(ctx, c, args, read) })
			},
		},
		{
			name:    "feed",
			usage:   text.N("feed add <url>|tenderned|de [name] [kind=tender] [confirm] | list | pause|resume|remove|stats <id>"),
			summary: text.N("partners: propose a feed (a preview first), manage your feeds, see their reach"),
			brief:   text.N("Partners: propose a feed (previewed first), manage your feeds, see their reach"),
			options: []CommandOption{
				{Name: "action", Description: text.N("What to do"), Kind: OptionChoice, Required: true, Choices: []string{"add", "list", "pause", "resume", "remove", "stats"}},
				textOption("target", text.N("The feed's URL (add) or id (pause, resume, remove, stats)")),
				textOption("label", text.N("A name for a feed you add")),
				{Name: "confirm", Description: text.N("Add the feed after its preview"), Kind: OptionFlag},
			},
			run: func(b *Bot, ctx context.Context, c Command, args string) (Message, error) {
				return b.withPartners(ctx, func(p Partners, read []Feed) (Message, error) { return p.Feed(ctx, c, args, read) })
			},
		},
		{
			name:    "role",
			usage:   text.N("role [grant|revoke <user> admin|partner|staff]"),
			summary: text.N("your roles; admins grant and revoke them"),
			brief:   text.N("Your roles; admins grant and revoke them"),
			options: []CommandOption{
				{Name: "action", Description: text.N("Grant or revoke"), Kind: OptionChoice, Choices: []string{"grant", "revoke"}},
				{Name: "user", Description: text.N("Whose role"), Kind: OptionUser},
				{Name: "role", Description: text.N("Which role"), Kind: OptionChoice, Choices: []string{"admin", "partner", "staff"}},
			},
			run: func(b *Bot, ctx context.Context, c Command, args string) (Message, error) {
				return b.withRoles(func(r Roles) (Message, error) { return r.Role(ctx, c, args) })
			},
		},
		{
			name:    "roles",
			usage:   "roles",
			summary: text.N("admins and staff: who holds which role"),
			brief:   text.N("Admins and staff: who holds which role"),
			run: func(b *Bot, ctx context.Context, c Command, _ string) (Message, error) {
				return b.withRoles(func(r Roles) (Message, error) { return r.Holders(ctx, c) })
			},
		},
		{
			name:    "my-data",
			line:    "my data",
			usage:   "my data",
			summary: text.N("everything I hold about you, as a JSON file"),
			brief:   text.N("Everything I hold about you, as a JSON file"),
			run: func(b *Bot, ctx context.Context, c Command, args string) (Message, error) {
				if !strings.EqualFold(strings.TrimSpace(args), "data") {
					return Message{}, Errorf(EINVALID, "Write `my data` for everything I hold about you.")
				}
				return b.myData(ctx, c, args)
			},
		},
		{
			name:    "forget-me",
			line:    "forget me",
			usage:   "forget me [confirm]",
			summary: text.N("erase everything I hold about you (asks first)"),
			brief:   text.N("Erase everything I hold about you (asks first)"),
			options: []CommandOption{{Name: "confirm", Description: text.N("Erase it now, without asking"), Kind: OptionFlag}},
			run:     (*Bot).forgetMe,
		},
		{
			name:    "help",
			usage:   text.N("help [command]"),
			summary: text.N("list the commands, or explain one"),
			brief:   text.N("What I can do"),
			options: []CommandOption{textOption("command", text.N("A command to explain, e.g. subscribe"))},
			run:     (*Bot).help,
		},
	}
	commands = make(map[string]command, len(commandTable))
	for _, c := range commandTable {
		commands[c.word()] = c
	}
}

// word is the command word its line starts with, by which Handle finds it.
func (c command) word() string {
	word, _, _ := strings.Cut(c.info().Line, " ")
	return word
}

// Handle runs one command and returns the reply for the person who typed it.
// Bad input gets a reply that says what was wrong and what would work; an
// internal failure is logged and answered with an apology, never with detail.
func (b *Bot) Handle(ctx context.Context, c Command) Message {
	c.Language = b.commandLanguage(ctx, c)
	reply := b.handle(ctx, c)
	if reply.Language == "" {
		reply.Language = c.Language
	}
	return reply
}

func (b *Bot) handle(ctx context.Context, c Command) Message {
	if b.events != nil {
		if reply, ok := b.events.Continue(ctx, c); ok {
			return reply
		}
	}
	p := c.Printer()
	name, args := SplitCommand(c.Text)
	if name == "" {
		return Message{Text: p.Sprintf("Type `help` to see what I can do.")}
	}
	cmd, ok := commands[name]
	if !ok {
		return Message{Text: p.Sprintf("I don't know the command %q. %s", quote(name), suggestCommand(p, name))}
	}
	if err := c.From.Validate(); err != nil {
		b.log.Error("command from invalid subscriber", "err", err)
		return Message{Text: ErrorText(p, err)}
	}
	reply, err := cmd.run(b, ctx, c, args)
	if err != nil {
		if ErrorCode(err) == EINTERNAL {
			b.log.Error("command failed", "command", name, "subscriber", c.From.Key(), "err", err)
		}
		return Message{Text: ErrorText(p, err)}
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

// maxQuoted is how much of a person's input a reply quotes back: enough
// to recognise it, never a wall of text.
const maxQuoted = 40

// quote is s as a reply quotes it: at most maxQuoted characters, an
// ellipsis marking the cut.
func quote(s string) string { return Truncate(s, maxQuoted+1) }

// suggestCommand names the closest known command, or points at help.
func suggestCommand(p text.Printer, name string) string {
	return p.DidYouMean(name, slices.Collect(maps.Keys(commands)))
}

// EditDistance is the Levenshtein distance between a and b, by runes: how
// near a mistyped word is to a known one, for suggestions.
func EditDistance(a, b string) int { return text.EditDistance(a, b) }

func (b *Bot) help(_ context.Context, c Command, args string) (Message, error) {
	p := c.Printer()
	if name := strings.ToLower(strings.TrimSpace(args)); name != "" {
		cmd, ok := commands[name]
		if !ok {
			return Message{}, Errorf(EINVALID, "There is no command %q. %s", quote(name), suggestCommand(p, name))
		}
		text := fmt.Sprintf("`%s` — %s", p.Text(cmd.usage), p.Text(cmd.summary))
		if name == "subscribe" || name == "search" {
			text += "\n\n" + p.QueryHelp()
		}
		return Message{Text: text + p.ChatHelp(string(c.From.Platform))}, nil
	}
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	var sb strings.Builder
	sb.WriteString(p.Sprintf("I find public tenders and market consultations that fit your business.\n\nCommands:\n"))
	for _, name := range names {
		fmt.Fprintf(&sb, "  `%s` — %s\n", p.Text(commands[name].usage), p.Text(commands[name].summary))
	}
	sb.WriteString("\n" + p.QueryHelp())
	return Message{Text: sb.String() + p.ChatHelp(string(c.From.Platform))}, nil
}

// EventUsage lists the event subcommands, for help and for mistakes; say
// it with Printer.Text.
var EventUsage = text.N("event <id> | new [key=value …] | publish <id> | update <id> key=value … | cancel <id> [reason] | " +
	"rsvp <id> going|maybe|no [name=\"…\" company=\"…\"] | ask <id> <question> | answer <id> <n> <text> | " +
	"material <id> <url> [title] | involve <id> <user> <note> | attendees <id> | export <id>")

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
