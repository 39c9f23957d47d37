package discord

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/text"
)

// The event form: "/tender event do:new" opens a modal with the core's
// event fields, as many as a modal holds (the required ones come first);
// the rest are added afterwards with "event update". A submission the core
// refuses is answered with the field and the problem, and an Edit button
// that reopens the modal with what was typed (waiting in forms, as the
// profile form does). The Ask a question button on an event opens a modal
// with one input, whose custom id carries the event id.
const (
	stepEvent     = "event"     // the event modal's custom id
	stepEventEdit = "eventedit" // reopen it after a refusal
	stepAsk       = "ask"       // the question modal's; the id is the event's
	inputQuestion = "question"
)

// Discord's limits on modals.
const (
	maxModalInputs   = 5
	maxModalTitle    = 45
	maxInputLabel    = 45
	maxPlaceholder   = 100
	eventFormCommand = "new"
)

// eventModalFields are the event fields the modal asks for.
func eventModalFields() []engage.EventFormField {
	fields := engage.EventFormFields()
	return fields[:min(len(fields), maxModalInputs)]
}

// eventModal is the modal asking for an event, filled with what was typed
// before when the person comes back to correct it.
func eventModal(lang text.Printer, id string, p pendingForm) *discordgo.InteractionResponse {
	fields := eventModalFields()
	rows := make([]discordgo.MessageComponent, len(fields))
	for i, f := range fields {
		style := discordgo.TextInputShort
		if f.Long {
			style = discordgo.TextInputParagraph
		}
		rows[i] = discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: f.Key, Label: truncate(lang.Text(f.Label), maxInputLabel), Style: style,
			Placeholder: truncate(lang.Text(f.Hint), maxPlaceholder), Value: p.values[f.Key], Required: f.Required, MaxLength: f.MaxLength,
		}}}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: formID(stepEvent, id), Title: lang.Sprintf("New event"), Components: rows},
	}
}

// eventFormButtons are the buttons under a refused event form.
func eventFormButtons(p text.Printer, id string) []discordgo.MessageComponent {
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: p.Sprintf("Edit"), Style: discordgo.PrimaryButton, CustomID: formID(stepEventEdit, id)},
		discordgo.Button{Label: p.Sprintf("Cancel"), Style: discordgo.SecondaryButton, CustomID: formID(stepCancel, id)},
	}}}
}

// planEventSubmit checks a submitted event form and saves it as a draft;
// a refused form is answered with the field and the problem, and Edit to
// correct it. The values come with the submission: a form forgotten in
// between (a restart) is still saved, and kept anew for Edit.
func (d *Discord) planEventSubmit(core Core, i *discordgo.Interaction, from bot.Subscriber, id string, values map[string]string) (*discordgo.InteractionResponse, work) {
	now := d.now()
	ctx, cancel := context.WithTimeout(context.Background(), formStoreTimeout)
	defer cancel()
	if _, ok := d.forms.fill(ctx, id, from.User, values, now); !ok {
		id = d.forms.open(ctx, from.User, "", "", now)
		d.forms.fill(ctx, id, from.User, values, now)
	}
	p := printer(core, i)
	return deferReply(), func(ctx context.Context) {
		if err := core.CheckEventForm(ctx, from, values); err != nil {
			if bot.ErrorCode(err) == bot.EINTERNAL {
				d.log.Error("check event form", "user", from.User, "err", err)
			}
			field := bot.ErrorField(err)
			if field == "" { // refused, or failed: nothing to correct
				d.forms.remove(ctx, id, from.User)
				d.reply(ctx, i, bot.Message{Text: bot.ErrorText(p, err), Language: p.Language()}, nil)
				return
			}
			d.reply(ctx, i, bot.Message{Text: fieldProblem(p, field, bot.ErrorText(p, err)), Language: p.Language()}, eventFormButtons(p, id))
			return
		}
		d.forms.remove(ctx, id, from.User)
		d.reply(ctx, i, withOtherFields(core.SubmitEventForm(ctx, from, values), p), nil)
	}
}

// fieldProblem names the field a problem is with, by its label in the form.
func fieldProblem(p text.Printer, key, problem string) string {
	for _, f := range engage.EventFormFields() {
		if f.Key == key {
			return fmt.Sprintf("**%s**: %s", p.Text(f.Label), problem)
		}
	}
	return fmt.Sprintf("**%s**: %s", key, problem)
}

// withOtherFields adds to a saved draft's answer how to give the fields
// the modal had no room for, in the language of the answer (else p's).
func withOtherFields(m bot.Message, p text.Printer) bot.Message {
	var id int64
	for _, a := range m.Actions {
		if a.Kind == bot.ActionPublish {
			id = a.EventID
		}
	}
	asked := map[string]bool{}
	for _, f := range eventModalFields() {
		asked[f.Key] = true
	}
	var rest []string
	for _, f := range engage.EventFormFields() {
		if !asked[f.Key] {
			rest = append(rest, f.Key)
		}
	}
	if id == 0 || len(rest) == 0 {
		return m
	}
	if m.Language != "" {
		p = m.Printer()
	}
	m.Text += "\n\n" + p.Sprintf("The form asks only for the essentials. Add the other fields (%s) with `/tender event do: update %d key=value`, e.g. `update %d capacity=30`.",
		strings.Join(rest, ", "), id, id)
	return m
}

// askModal is the modal asking a question about an event.
func askModal(p text.Printer, eventID int64) *discordgo.InteractionResponse {
	title := p.Sprintf("Ask a question (event %d)", eventID)
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: formID(stepAsk, strconv.FormatInt(eventID, 10)),
			Title:    truncate(title, maxModalTitle),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
				CustomID: inputQuestion, Label: p.Sprintf("Your question"), Style: discordgo.TextInputParagraph,
				Placeholder: p.Sprintf("Reaches the organisers without your name; every registrant gets the answer"),
				Required:    true, MaxLength: engage.MaxQuestionLength,
			}}}},
		},
	}
}

// planAskSubmit sends the question in the modal to the core.
func (d *Discord) planAskSubmit(core Core, i *discordgo.Interaction, from bot.Subscriber, id string, values map[string]string) (*discordgo.InteractionResponse, work) {
	p := printer(core, i)
	eventID, err := strconv.ParseInt(id, 10, 64)
	if err != nil || eventID <= 0 {
		return say(p.Sprintf("I don't know that form.")), nil
	}
	question := values[inputQuestion]
	if question == "" {
		return say(p.Sprintf("Your question was empty; press Ask a question again to write it.")), nil
	}
	return deferReply(), func(ctx context.Context) {
		d.reply(ctx, i, core.Ask(ctx, from, eventID, question), nil)
	}
}
