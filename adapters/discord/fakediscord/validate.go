package fakediscord

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits, from its API reference.
const (
	maxContent        = 2000
	maxEmbeds         = 10
	maxEmbedTitle     = 256
	maxEmbedDesc      = 4096
	maxEmbedFields    = 25
	maxFieldName      = 256
	maxFieldValue     = 1024
	maxFooter         = 2048
	maxEmbedTotal     = 6000
	maxRows           = 5
	maxRowButtons     = 5
	maxCustomID       = 100
	maxButtonLabel    = 80
	maxChoices        = 25
	maxOptions        = 25
	maxDescription    = 100
	maxModalTitle     = 45
	maxTextInputLabel = 45
	maxTextInputValue = 4000
)

// commandName is what Discord accepts as a chat command or option name.
var commandName = regexp.MustCompile(`^[-_\p{Ll}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// validateCommands checks a bulk overwrite as Discord would.
func validateCommands(cmds []*discordgo.ApplicationCommand) error {
	seen := map[string]bool{}
	for _, c := range cmds {
		if c.Type != 0 && c.Type != discordgo.ChatApplicationCommand {
			continue
		}
		if !commandName.MatchString(c.Name) {
			return fmt.Errorf("command name %q: lower case letters, digits, - and _ only, 1-32", c.Name)
		}
		if seen[c.Name] {
			return fmt.Errorf("command name %q is used twice", c.Name)
		}
		seen[c.Name] = true
		if n := utf8.RuneCountInString(c.Description); n < 1 || n > maxDescription {
			return fmt.Errorf("command %q: description must be 1-100 characters", c.Name)
		}
		if err := validateOptions(c.Name, c.Options, 0); err != nil {
			return err
		}
	}
	return nil
}

// validateOptions checks one level of options: names, descriptions, the
// order of required ones, subcommands not mixed with values, choices and
// autocomplete exclusive.
func validateOptions(path string, opts []*discordgo.ApplicationCommandOption, depth int) error {
	if len(opts) > maxOptions {
		return fmt.Errorf("%s: more than %d options", path, maxOptions)
	}
	optional, subs, values := false, 0, 0
	names := map[string]bool{}
	for _, o := range opts {
		p := path + " " + o.Name
		if !commandName.MatchString(o.Name) || names[o.Name] {
			return fmt.Errorf("%s: bad or repeated option name", p)
		}
		names[o.Name] = true
		if n := utf8.RuneCountInString(o.Description); n < 1 || n > maxDescription {
			return fmt.Errorf("%s: description must be 1-100 characters", p)
		}
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
			subs++
			if depth >= 2 || o.Required {
				return fmt.Errorf("%s: a subcommand cannot be nested this deep or be required", p)
			}
			if err := validateOptions(p, o.Options, depth+1); err != nil {
				return err
			}
			continue
		case 0:
			return fmt.Errorf("%s: option type is missing", p)
		}
		values++
		if o.Required && optional {
			return fmt.Errorf("%s: required options must come before optional ones", p)
		}
		optional = optional || !o.Required
		if o.Autocomplete && len(o.Choices) > 0 {
			return fmt.Errorf("%s: autocomplete and choices exclude each other", p)
		}
		if len(o.Choices) > maxChoices {
			return fmt.Errorf("%s: more than %d choices", p, maxChoices)
		}
		if o.MaxLength > 6000 {
			return fmt.Errorf("%s: max_length above 6000", p)
		}
	}
	if subs > 0 && values > 0 {
		return fmt.Errorf("%s: subcommands cannot be mixed with other options", path)
	}
	return nil
}

// ValidateMessage checks a message the bot would post against Discord's
// limits on content, embeds and components, as the fake does when it is
// posted.
func ValidateMessage(m *discordgo.Message) error { return validateMessage(m, true) }

// ValidateResponse checks an interaction response, as JSON, the way the
// fake does when the bot sends it for an interaction of type t.
func ValidateResponse(t discordgo.InteractionType, body []byte) error {
	r, err := decodeResponse(body)
	if err != nil {
		return err
	}
	return checkResponse(t, r)
}

// validateMessage checks a message's content, embeds and components
// against Discord's limits; whole says the message is being created, not
// edited, so it may not be empty.
func validateMessage(m *discordgo.Message, whole bool) error {
	if utf8.RuneCountInString(m.Content) > maxContent {
		return fmt.Errorf("content is longer than %d characters", maxContent)
	}
	if whole && m.Content == "" && len(m.Embeds) == 0 && len(m.Attachments) == 0 {
		return errors.New("cannot send an empty message")
	}
	if err := validateEmbeds(m.Embeds); err != nil {
		return err
	}
	return validateComponents(m.Components)
}

func validateEmbeds(embeds []*discordgo.MessageEmbed) error {
	if len(embeds) > maxEmbeds {
		return fmt.Errorf("more than %d embeds", maxEmbeds)
	}
	total := 0
	for i, e := range embeds {
		count := func(s string, limit int, what string) error {
			n := utf8.RuneCountInString(s)
			total += n
			if n > limit {
				return fmt.Errorf("embed %d: %s longer than %d characters", i, what, limit)
			}
			return nil
		}
		if err := errors.Join(count(e.Title, maxEmbedTitle, "title"), count(e.Description, maxEmbedDesc, "description")); err != nil {
			return err
		}
		if e.Footer != nil {
			if err := count(e.Footer.Text, maxFooter, "footer"); err != nil {
				return err
			}
		}
		if e.URL != "" {
			if u, err := url.Parse(e.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				return fmt.Errorf("embed %d: url %q is not http(s)", i, e.URL)
			}
		}
		if len(e.Fields) > maxEmbedFields {
			return fmt.Errorf("embed %d: more than %d fields", i, maxEmbedFields)
		}
		for _, f := range e.Fields {
			if f.Name == "" || f.Value == "" {
				return fmt.Errorf("embed %d: a field needs a name and a value", i)
			}
			if err := errors.Join(count(f.Name, maxFieldName, "field name"), count(f.Value, maxFieldValue, "field value")); err != nil {
				return err
			}
		}
	}
	if total > maxEmbedTotal {
		return fmt.Errorf("embeds hold %d characters, more than %d", total, maxEmbedTotal)
	}
	return nil
}

// validateComponents checks action rows of buttons (and select menus).
func validateComponents(rows []discordgo.MessageComponent) error {
	if len(rows) > maxRows {
		return fmt.Errorf("more than %d action rows", maxRows)
	}
	ids := map[string]bool{}
	for i, c := range rows {
		row, ok := asRow(c)
		if !ok {
			return fmt.Errorf("component %d is not an action row", i)
		}
		if len(row.Components) == 0 || len(row.Components) > maxRowButtons {
			return fmt.Errorf("action row %d holds %d components, want 1-%d", i, len(row.Components), maxRowButtons)
		}
		for _, inner := range row.Components {
			b, ok := asButton(inner)
			if !ok {
				continue
			}
			if utf8.RuneCountInString(b.Label) > maxButtonLabel {
				return fmt.Errorf("button label %q longer than %d", b.Label, maxButtonLabel)
			}
			if b.Style == discordgo.LinkButton {
				if b.URL == "" || b.CustomID != "" {
					return fmt.Errorf("link button %q needs a url and no custom_id", b.Label)
				}
				continue
			}
			if b.CustomID == "" || len(b.CustomID) > maxCustomID || ids[b.CustomID] {
				return fmt.Errorf("button %q: custom_id %q missing, longer than %d or repeated", b.Label, b.CustomID, maxCustomID)
			}
			ids[b.CustomID] = true
		}
	}
	return nil
}

// validateModal checks a modal response: a title, a custom id, and 1-5
// rows of one text input each.
func validateModal(d *ResponseData) error {
	if n := utf8.RuneCountInString(d.Title); n < 1 || n > maxModalTitle {
		return fmt.Errorf("modal title must be 1-%d characters", maxModalTitle)
	}
	if d.CustomID == "" || len(d.CustomID) > maxCustomID {
		return errors.New("modal custom_id must be 1-100 characters")
	}
	if len(d.Components) < 1 || len(d.Components) > maxRows {
		return fmt.Errorf("modal holds %d rows, want 1-%d", len(d.Components), maxRows)
	}
	for i, c := range d.Components {
		row, ok := asRow(c)
		if !ok || len(row.Components) != 1 {
			return fmt.Errorf("modal row %d must hold exactly one text input", i)
		}
		in, ok := asTextInput(row.Components[0])
		if !ok {
			return fmt.Errorf("modal row %d must hold a text input", i)
		}
		if n := utf8.RuneCountInString(in.Label); n < 1 || n > maxTextInputLabel {
			return fmt.Errorf("text input %q: label must be 1-%d characters", in.CustomID, maxTextInputLabel)
		}
		if in.CustomID == "" || len(in.CustomID) > maxCustomID || (in.Style != discordgo.TextInputShort && in.Style != discordgo.TextInputParagraph) {
			return fmt.Errorf("text input %q: bad custom_id or style", in.CustomID)
		}
		if utf8.RuneCountInString(in.Value) > maxTextInputValue || utf8.RuneCountInString(in.Placeholder) > 100 {
			return fmt.Errorf("text input %q: value or placeholder too long", in.CustomID)
		}
		if in.MinLength < 0 || in.MinLength > maxTextInputValue || in.MaxLength < 0 || in.MaxLength > maxTextInputValue ||
			(in.MaxLength > 0 && (in.MinLength > in.MaxLength || utf8.RuneCountInString(in.Value) > in.MaxLength)) {
			return fmt.Errorf("text input %q: min_length and max_length must be 0-%d, in order, and hold the value", in.CustomID, maxTextInputValue)
		}
	}
	return nil
}

// validateChoices checks an autocomplete result.
func validateChoices(choices []*discordgo.ApplicationCommandOptionChoice) error {
	if len(choices) > maxChoices {
		return fmt.Errorf("more than %d choices", maxChoices)
	}
	for _, c := range choices {
		if n := utf8.RuneCountInString(c.Name); n < 1 || n > 100 {
			return fmt.Errorf("choice name %q must be 1-100 characters", c.Name)
		}
		if s, ok := c.Value.(string); ok && utf8.RuneCountInString(s) > 100 {
			return fmt.Errorf("choice value %q longer than 100", s)
		}
	}
	return nil
}

func asRow(c discordgo.MessageComponent) (*discordgo.ActionsRow, bool) {
	switch r := c.(type) {
	case *discordgo.ActionsRow:
		return r, true
	case discordgo.ActionsRow:
		return &r, true
	}
	return nil, false
}

func asButton(c discordgo.MessageComponent) (*discordgo.Button, bool) {
	switch b := c.(type) {
	case *discordgo.Button:
		return b, true
	case discordgo.Button:
		return &b, true
	}
	return nil, false
}

func asTextInput(c discordgo.MessageComponent) (*discordgo.TextInput, bool) {
	switch t := c.(type) {
	case *discordgo.TextInput:
		return t, true
	case discordgo.TextInput:
		return &t, true
	}
	return nil, false
}
