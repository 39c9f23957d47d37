package fakediscord

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// Origin is where a person triggers an interaction: a channel of a guild,
// or their DM with the bot (Guild "", Channel the DM channel's id).
type Origin struct {
	Guild   string
	Channel string
	User    string
	// Permissions are the member's permissions in the channel, as Discord
	// computes them into an interaction's member (guilds only).
	Permissions int64
	// Locale is the language of the person's Discord client, as the
	// interaction's locale says it; "": en-US, Discord's default.
	Locale discordgo.Locale
}

// Option is an option of a slash command as Discord sends it.
type Option = discordgo.ApplicationCommandInteractionDataOption

// Field is the value a person typed into a modal's text input.
type Field struct {
	ID    string // the text input's custom_id
	Value string
}

// Subcommand is a subcommand with its options.
func Subcommand(name string, options ...*Option) *Option {
	return &Option{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: options}
}

// String is a string option.
func String(name, value string) *Option {
	return &Option{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

// Bool is a boolean option.
func Bool(name string, value bool) *Option {
	return &Option{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: value}
}

// Focused marks the option being typed in an autocomplete interaction.
func Focused(o *Option) *Option {
	o.Focused = true
	return o
}

// Command is a slash command, e.g. Command(o, "tender",
// Subcommand("subscribe", String("query", "cpv:45"))).
func Command(o Origin, name string, options ...*Option) *discordgo.Interaction {
	i := base(o, discordgo.InteractionApplicationCommand)
	i.Data = discordgo.ApplicationCommandInteractionData{Name: name, CommandType: discordgo.ChatApplicationCommand, Options: options}
	return i
}

// Autocomplete is what Discord sends while a person types an option with
// autocomplete; mark the option being typed with Focused.
func Autocomplete(o Origin, name string, options ...*Option) *discordgo.Interaction {
	i := Command(o, name, options...)
	i.Type = discordgo.InteractionApplicationCommandAutocomplete
	return i
}

// Click is a button click on a message the bot sent.
func Click(o Origin, messageID, customID string) *discordgo.Interaction {
	i := base(o, discordgo.InteractionMessageComponent)
	i.Data = discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent}
	i.Message = &discordgo.Message{ID: messageID, ChannelID: o.Channel}
	return i
}

// ModalSubmit is the submission of a modal with what was typed into it.
func ModalSubmit(o Origin, customID string, fields ...Field) *discordgo.Interaction {
	i := base(o, discordgo.InteractionModalSubmit)
	data := discordgo.ModalSubmitInteractionData{CustomID: customID}
	for _, f := range fields {
		data.Components = append(data.Components, &discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			&discordgo.TextInput{CustomID: f.ID, Value: f.Value},
		}})
	}
	i.Data = data
	return i
}

// Ping is the PING Discord sends to check an HTTP interactions endpoint.
func Ping() *discordgo.Interaction {
	return &discordgo.Interaction{Type: discordgo.InteractionPing}
}

func base(o Origin, t discordgo.InteractionType) *discordgo.Interaction {
	user := &discordgo.User{ID: o.User, Username: "user" + o.User, GlobalName: "User " + o.User}
	locale := o.Locale
	if locale == "" {
		locale = discordgo.EnglishUS
	}
	i := &discordgo.Interaction{Type: t, GuildID: o.Guild, ChannelID: o.Channel, Locale: locale}
	if o.Guild != "" {
		i.Member = &discordgo.Member{User: user, GuildID: o.Guild, Permissions: o.Permissions}
		i.Context = discordgo.InteractionContextGuild
	} else {
		i.User = user
		i.Context = discordgo.InteractionContextBotDM
	}
	return i
}

// Interact dispatches i as INTERACTION_CREATE to the gateway sessions and
// returns its exchange, to wait for the bot's answers. A slash command must
// name a registered command and fit its options.
func (s *Server) Interact(ctx context.Context, i *discordgo.Interaction) (*Exchange, error) {
	ex, payload, err := s.Prepare(i)
	if err != nil {
		return nil, err
	}
	if err := s.dispatch(ctx, "INTERACTION_CREATE", payload); err != nil {
		return nil, err
	}
	return ex, nil
}

// Prepare gives i an id, a token and the application id, registers it so
// the bot's callbacks find it, and returns it encoded as Discord sends it.
func (s *Server) Prepare(i *discordgo.Interaction) (*Exchange, json.RawMessage, error) {
	if i.Type == discordgo.InteractionApplicationCommand || i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		if err := s.resolveCommand(i); err != nil {
			return nil, nil, err
		}
	}
	token := make([]byte, 24)
	rand.Read(token)
	s.mu.Lock()
	i.ID = s.newIDLocked()
	i.AppID = s.opts.AppID
	i.Token = "aW50ZXJhY3Rpb24" + hex.EncodeToString(token)
	i.Version = 1
	ex := &Exchange{s: s, interaction: i}
	s.exchanges[i.ID] = ex
	s.byToken[i.Token] = ex
	s.mu.Unlock()
	payload, err := encode(i)
	if err != nil {
		return nil, nil, err
	}
	return ex, payload, nil
}

// resolveCommand sets the id of the registered command a slash command
// names, and checks its options against the registration.
func (s *Server) resolveCommand(i *discordgo.Interaction) error {
	data := i.Data.(discordgo.ApplicationCommandInteractionData)
	s.mu.Lock()
	var cmd *discordgo.ApplicationCommand
	for _, scope := range []string{i.GuildID, ""} {
		for _, c := range s.commands[scope] {
			if c.Name == data.Name {
				cmd = c
			}
		}
		if cmd != nil {
			break
		}
	}
	s.mu.Unlock()
	if cmd == nil {
		return fmt.Errorf("fakediscord: /%s is not registered (globally or in guild %q)", data.Name, i.GuildID)
	}
	if err := checkOptions("/"+data.Name, cmd.Options, data.Options, i.Type == discordgo.InteractionApplicationCommandAutocomplete); err != nil {
		return err
	}
	data.ID = cmd.ID
	i.Data = data
	return nil
}

// checkOptions checks given options against declared ones: known names,
// matching types, required ones present (unless autocompleting).
func checkOptions(path string, declared []*discordgo.ApplicationCommandOption, given []*Option, partial bool) error {
	byName := map[string]*discordgo.ApplicationCommandOption{}
	for _, d := range declared {
		byName[d.Name] = d
	}
	present := map[string]bool{}
	for _, g := range given {
		d, ok := byName[g.Name]
		if !ok {
			return fmt.Errorf("fakediscord: %s has no option %q", path, g.Name)
		}
		if d.Type != g.Type {
			return fmt.Errorf("fakediscord: %s %s is a %s, not a %s", path, g.Name, d.Type, g.Type)
		}
		if g.Focused && !d.Autocomplete {
			return fmt.Errorf("fakediscord: %s %s has no autocomplete", path, g.Name)
		}
		present[g.Name] = true
		if err := checkOptions(path+" "+g.Name, d.Options, g.Options, partial); err != nil {
			return err
		}
	}
	for _, d := range declared {
		if d.Required && !present[d.Name] && !partial {
			return fmt.Errorf("fakediscord: %s needs option %q", path, d.Name)
		}
	}
	return nil
}

// wireInteraction is an interaction as Discord encodes it.
type wireInteraction struct {
	ID             string                           `json:"id"`
	ApplicationID  string                           `json:"application_id"`
	Type           discordgo.InteractionType        `json:"type"`
	Data           any                              `json:"data,omitempty"`
	GuildID        string                           `json:"guild_id,omitempty"`
	ChannelID      string                           `json:"channel_id,omitempty"`
	Member         *discordgo.Member                `json:"member,omitempty"`
	User           *discordgo.User                  `json:"user,omitempty"`
	Message        *discordgo.Message               `json:"message,omitempty"`
	Token          string                           `json:"token"`
	Version        int                              `json:"version"`
	Locale         discordgo.Locale                 `json:"locale,omitempty"`
	AppPermissions string                           `json:"app_permissions"`
	Context        discordgo.InteractionContextType `json:"context"`
}

// encode writes i as Discord does. discordgo does not marshal a modal
// submission's components, so those are written here.
func encode(i *discordgo.Interaction) (json.RawMessage, error) {
	w := wireInteraction{
		ID: i.ID, ApplicationID: i.AppID, Type: i.Type, GuildID: i.GuildID, ChannelID: i.ChannelID,
		Member: i.Member, User: i.User, Message: i.Message, Token: i.Token, Version: i.Version,
		Locale: i.Locale, AppPermissions: "2147483648", Context: i.Context,
	}
	switch d := i.Data.(type) {
	case nil:
	case discordgo.ModalSubmitInteractionData:
		var rows []any
		for _, c := range d.Components {
			row, ok := asRow(c)
			if !ok {
				return nil, errors.New("fakediscord: a modal submission holds action rows")
			}
			var inputs []any
			for _, inner := range row.Components {
				if t, ok := asTextInput(inner); ok {
					inputs = append(inputs, map[string]any{"type": discordgo.TextInputComponent, "custom_id": t.CustomID, "value": t.Value})
				}
			}
			rows = append(rows, map[string]any{"type": discordgo.ActionsRowComponent, "components": inputs})
		}
		w.Data = map[string]any{"custom_id": d.CustomID, "components": rows}
	default:
		w.Data = d
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("fakediscord: encode interaction: %w", err)
	}
	return b, nil
}
