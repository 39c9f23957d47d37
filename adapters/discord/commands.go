package discord

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// commandName is the one application command; its subcommands are the
// core's commands.
const commandName = "tender"

// Option names with a meaning beyond "append my value to the line".
const (
	optHere   = "here"   // boolean: for this channel ("subscribe here …")
	optName   = "name"   // a profile's name: name="…"
	optQuery  = "query"  // the query, as typed
	optCPV    = "cpv"    // autocompleted CPV code: cpv:<code>
	optRegion = "region" // autocompleted NUTS code: nuts:<code>
	optDo     = "do"     // what to do with events: "new", "publish 1", …
)

// autocompleted maps the options that autocomplete to the core's
// vocabulary field, and prefixes maps options to the query word prefix
// their value gets.
var (
	autocompleted = map[string]string{optCPV: "cpv", optRegion: "nuts"}
	prefixes      = map[string]string{optCPV: "cpv:", optRegion: "nuts:"}
)

// subcommands are /tender's subcommands, in the order Discord lists them.
// Each becomes the core command of the same name (or its line in lines);
// its options become the command's arguments in the order declared (see
// commandText).
var subcommands = []*discordgo.ApplicationCommandOption{
	sub("subscribe", "Get alerts for notices that match a profile; without a query a form opens",
		text(optQuery, "What to look for, e.g. renovatie sporthal cpv:45 nuts:NL21", false),
		text(optName, "A name for the profile", false),
		codeOption(optCPV, "A CPV code: type words or digits to pick one"),
		codeOption(optRegion, "A region (NUTS code): type a name or code to pick one"),
		flag(optHere, "For this channel rather than for you")),
	sub("profiles", "List your profiles", flag(optHere, "This channel's profiles rather than yours")),
	sub("unsubscribe", "Delete a profile",
		text("which", "Its number in /tender profiles, or its name", true),
		flag(optHere, "One of this channel's profiles")),
	sub("search", "Search the notices I have read",
		text(optQuery, "What to look for, e.g. zonnepanelen nuts:NL21", true),
		codeOption(optCPV, "A CPV code: type words or digits to pick one"),
		codeOption(optRegion, "A region (NUTS code): type a name or code to pick one")),
	sub("home", "Your profiles and the tenders you follow"),
	sub("follow", "Follow a tender by the ref shown on its notice", text("ref", "The notice's ref, e.g. 3f2a9c0d1e4b5a6f", true)),
	sub("why", "Why a notice matches each of your profiles, or why not",
		text("ref", "The notice's ref, e.g. 3f2a9c0d1e4b5a6f", true),
		flag(optHere, "This channel's profiles rather than yours")),
	sub("events", "Upcoming engagement events (staff see their drafts too)"),
	sub("event", "An engagement event: new (a form), publish, update, rsvp, ask, answer…",
		long(optDo, "e.g. new, 1, rsvp 1 going, ask 1 <question>, publish 1, update 1 capacity=30", 4000)),
	sub("digest", "Show or change how a profile's matches come: one by one, daily or weekly",
		text("profile", "The profile's number or name", false),
		choice("mode", "How its matches come", "instant", "daily", "weekly"),
		flag(optHere, "One of this channel's profiles")),
	sub("quiet", "Show or set quiet hours: instant alerts in them wait until they end",
		text("hours", "From-to, e.g. 22:00-07:00, or off", false),
		flag(optHere, "This channel's quiet hours")),
	sub("deliveries", "The messages I could not deliver, and why (admins see everyone's)"),
	sub("feeds", "The feeds I read and how their last reads went"),
	sub("feed", "Partners: propose a feed (previewed first), manage your feeds, see their reach",
		choiceRequired("action", "What to do", "add", "list", "pause", "resume", "remove", "stats"),
		text("target", "The feed's URL (add) or id (pause, resume, remove, stats)", false),
		text("label", "A name for a feed you add", false),
		flag("confirm", "Add the feed after its preview")),
	sub("role", "Your roles; admins grant and revoke them",
		choice("action", "Grant or revoke", "grant", "revoke"),
		userOption("user", "Whose role"),
		choice("role", "Which role", "admin", "partner", "staff")),
	sub("roles", "Admins and staff: who holds which role"),
	sub("my-data", "Everything I hold about you, as a JSON file"),
	sub("forget-me", "Erase everything I hold about you (asks first)", flag("confirm", "Erase it now, without asking")),
	sub("help", "What I can do", text("command", "A command to explain, e.g. subscribe", false)),
}

// lines are the core command lines of subcommands whose name differs.
var lines = map[string]string{
	"deliveries": "deliveries failed",
	"my-data":    "my data",
	"forget-me":  "forget me",
}

// applicationCommands is what is registered at start: /tender, usable in
// servers and in the bot's DMs.
func applicationCommands() []*discordgo.ApplicationCommand {
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	return []*discordgo.ApplicationCommand{{
		Type:        discordgo.ChatApplicationCommand,
		Name:        commandName,
		Description: "Public tenders and market consultations that fit your business",
		Contexts:    &contexts,
		Options:     subcommands,
	}}
}

// registerCommands replaces the application's commands with /tender: in
// the configured guild, or globally.
func (d *Discord) registerCommands(ctx context.Context) error {
	cmds, err := d.session.ApplicationCommandBulkOverwrite(d.appID, d.guildID, applicationCommands(), discordgo.WithContext(ctx))
	if err != nil {
		return err
	}
	scope := "globally"
	if d.guildID != "" {
		scope = "in guild " + d.guildID
	}
	d.log.Info("registered application commands", "count", len(cmds), "scope", scope)
	return nil
}

func sub(name, description string, options ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: description, Options: options}
}

func text(name, description string, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: description, Required: required, MaxLength: 1000}
}

// long is a string option for whole command lines, which may run longer
// than text's.
func long(name, description string, maxLength int) *discordgo.ApplicationCommandOption {
	o := text(name, description, false)
	o.MaxLength = maxLength
	return o
}

func codeOption(name, description string) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: description, Autocomplete: true, MaxLength: 100}
}

func choice(name, description string, values ...string) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: description}
	for _, v := range values {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
	}
	return o
}

func choiceRequired(name, description string, values ...string) *discordgo.ApplicationCommandOption {
	o := choice(name, description, values...)
	o.Required = true
	return o
}

func userOption(name, description string) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionUser, Name: name, Description: description}
}

func flag(name, description string) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: name, Description: description}
}

// invocation is a /tender subcommand as invoked: its name and the values
// of its options, by name.
type invocation struct {
	name    string
	values  map[string]any
	focused string // the option being typed, in an autocomplete
}

// parseInvocation reads the subcommand out of a /tender interaction.
func parseInvocation(data discordgo.ApplicationCommandInteractionData) (invocation, error) {
	if data.Name != commandName {
		return invocation{}, fmt.Errorf("unknown command /%s", data.Name)
	}
	if len(data.Options) != 1 || data.Options[0] == nil || data.Options[0].Type != discordgo.ApplicationCommandOptionSubCommand {
		return invocation{}, fmt.Errorf("/%s without a subcommand", data.Name)
	}
	s := data.Options[0]
	inv := invocation{name: s.Name, values: map[string]any{}}
	for _, o := range s.Options {
		if o == nil {
			continue
		}
		inv.values[o.Name] = o.Value
		if o.Focused {
			inv.focused = o.Name
		}
	}
	return inv, nil
}

// str is the string value of an option, "" when absent or not a string.
func (inv invocation) str(name string) string {
	s, _ := inv.values[name].(string)
	return strings.TrimSpace(s)
}

// isSet reports whether a boolean option is true.
func (inv invocation) isSet(name string) bool {
	b, _ := inv.values[name].(bool)
	return b
}

// wantsForm reports whether the invocation is a subscribe with nothing to
// look for: the form asks for it.
func (inv invocation) wantsForm() bool {
	return inv.name == "subscribe" && inv.str(optQuery) == "" && inv.str(optCPV) == "" && inv.str(optRegion) == ""
}

// wantsEventForm reports whether the invocation is "event new" with no
// fields: the event form asks for them.
func (inv invocation) wantsEventForm() bool {
	return inv.name == "event" && strings.EqualFold(inv.str(optDo), eventFormCommand)
}

// commandText is the core command line for an invocation: the
// subcommand's line, "here" when asked, name="…", then the other options
// in the order the subcommand declares them — a string's or a user's value
// (with the query prefix of cpv and region), a true boolean's name. ok is
// false for a subcommand /tender does not have.
func commandText(inv invocation) (string, bool) {
	var decl *discordgo.ApplicationCommandOption
	for _, s := range subcommands {
		if s.Name == inv.name {
			decl = s
		}
	}
	if decl == nil {
		return "", false
	}
	line, ok := lines[inv.name]
	if !ok {
		line = inv.name
	}
	words := []string{line}
	if inv.isSet(optHere) {
		words = append(words, "here")
	}
	if name := inv.str(optName); name != "" {
		words = append(words, `name="`+strings.ReplaceAll(name, `"`, "'")+`"`)
	}
	for _, o := range decl.Options {
		switch {
		case o.Name == optHere || o.Name == optName:
		case o.Type == discordgo.ApplicationCommandOptionBoolean:
			if inv.isSet(o.Name) {
				words = append(words, o.Name)
			}
		default:
			if v := inv.str(o.Name); v != "" {
				words = append(words, prefixes[o.Name]+v)
			}
		}
	}
	return strings.Join(words, " "), true
}
