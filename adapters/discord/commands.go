package discord

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// commandName is the one application command; its subcommands are the
// core's commands.
const commandName = "tender"

// Option names with a meaning beyond "append my value to the line".
const (
	optHere  = "here"  // boolean: for this channel ("subscribe here …")
	optName  = "name"  // a profile's name: name="…"
	optQuery = "query" // the query, as typed
	optCPV   = "cpv"   // autocompleted CPV code: cpv:<code>
	optDo    = "do"    // what to do with events: "new", "publish 1", …
	// optRegion is the option for a NUTS code: nuts:<code>.
	optRegion = "region"
)

// Discord's longest option values, unless the core's catalogue says.
const (
	maxTextOption = 1000
	maxCodeOption = 100
)

// catalogue is the core's commands by their menu name, and subcommands
// the same as /tender's subcommands, in the core's order. Each subcommand
// stands for the command's line; its options become the line's arguments
// in the order declared (see commandText).
var (
	catalogue   = byName(bot.Commands())
	subcommands = buildSubcommands(bot.Commands())
)

func byName(cmds []bot.CommandInfo) map[string]bot.CommandInfo {
	m := make(map[string]bot.CommandInfo, len(cmds))
	for _, c := range cmds {
		m[c.Name] = c
	}
	return m
}

// buildSubcommands declares the core's commands as subcommands, but for
// those typed only: a command holds at most 25, and what those do is a
// button on each card here.
func buildSubcommands(cmds []bot.CommandInfo) []*discordgo.ApplicationCommandOption {
	var out []*discordgo.ApplicationCommandOption
	for _, c := range menuCommands(cmds) {
		s := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: c.Name, Description: c.Brief, DescriptionLocalizations: inDutch(c.Brief)}
		for _, o := range c.Options {
			s.Options = append(s.Options, option(o))
		}
		out = append(out, s)
	}
	return out
}

// menuCommands are the commands /tender offers as subcommands.
func menuCommands(cmds []bot.CommandInfo) []bot.CommandInfo {
	var out []bot.CommandInfo
	for _, c := range cmds {
		if !c.TypedOnly {
			out = append(out, c)
		}
	}
	return out
}

// option declares a command option as Discord's kind of option.
func option(o bot.CommandOption) *discordgo.ApplicationCommandOption {
	d := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: o.Name, Description: o.Description, DescriptionLocalizations: inDutch(o.Description), Required: o.Required, MaxLength: o.MaxLength}
	switch o.Kind {
	case bot.OptionFlag:
		d.Type = discordgo.ApplicationCommandOptionBoolean
	case bot.OptionUser:
		d.Type = discordgo.ApplicationCommandOptionUser
	case bot.OptionChoice:
		for _, v := range o.Choices {
			d.Choices = append(d.Choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
		}
	case bot.OptionCode:
		d.Autocomplete = true
		if d.MaxLength == 0 {
			d.MaxLength = maxCodeOption
		}
	default:
		if d.MaxLength == 0 {
			d.MaxLength = maxTextOption
		}
	}
	return d
}

// maxDescription is the longest description Discord takes.
const maxDescription = 100

// inDutch is a description as Discord shows it to people whose client is
// in Dutch, from the catalogue; nil while the catalogue has no Dutch for
// it, and Discord shows the English.
func inDutch(description string) map[discordgo.Locale]string {
	nl := text.For(text.Dutch).Text(description)
	if nl == description {
		return nil
	}
	return map[discordgo.Locale]string{discordgo.Dutch: truncate(nl, maxDescription)}
}

// vocabulary is the core's vocabulary field that completes an option of a
// subcommand, "" when the option is not a code.
func vocabulary(subcommand, name string) string {
	for _, o := range catalogue[subcommand].Options {
		if o.Name == name && o.Kind == bot.OptionCode {
			return o.Vocabulary
		}
	}
	return ""
}

// commandDescription describes /tender in Discord's command list.
var commandDescription = text.N("Public tenders and market consultations that fit your business")

// applicationCommands is what is registered at start: /tender, usable in
// servers and in the bot's DMs.
func applicationCommands() []*discordgo.ApplicationCommand {
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	dutch := inDutch(commandDescription)
	return []*discordgo.ApplicationCommand{{
		Type:                     discordgo.ChatApplicationCommand,
		Name:                     commandName,
		Description:              commandDescription,
		DescriptionLocalizations: &dutch,
		Contexts:                 &contexts,
		Options:                  subcommands,
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
	c, ok := catalogue[inv.name]
	if !ok {
		return "", false
	}
	words := []string{c.Line}
	if inv.isSet(optHere) {
		words = append(words, "here")
	}
	if name := inv.str(optName); name != "" {
		words = append(words, `name="`+strings.ReplaceAll(name, `"`, "'")+`"`)
	}
	for _, o := range c.Options {
		switch {
		case o.Name == optHere || o.Name == optName:
		case o.Kind == bot.OptionFlag:
			if inv.isSet(o.Name) {
				words = append(words, o.Name)
			}
		case o.Kind == bot.OptionCode:
			if v := inv.str(o.Name); v != "" {
				words = append(words, o.Vocabulary+":"+v)
			}
		default:
			if v := inv.str(o.Name); v != "" {
				words = append(words, v)
			}
		}
	}
	return strings.Join(words, " "), true
}
