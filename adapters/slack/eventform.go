package slack

import (
	"context"
	"strings"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/engage"
	"github.com/tenderbot/tenderbot/bot/text"
)

// The event form: "/tender event new" with nothing after it opens a modal
// with the core's event fields; its submission is checked field by field
// and saved as a draft. The Ask a question button on an event opens a
// modal with one input. Both carry what they need in private_metadata.
const (
	eventCallback = "tb_event_form"
	askCallback   = "tb_event_ask"
	inputQuestion = "question"
)

// Slack's limits on what the modals hold.
const (
	placeholderLimit = 150  // characters of an input's placeholder
	inputLabelLimit  = 2000 // characters of an input block's label
	textInputLimit   = 3000 // the most max_length a plain_text_input takes
)

// eventFormRequest reports whether text asks for the event form: "event
// new" and nothing more. With fields it stays a command for the core.
func eventFormRequest(text string) bool {
	words := strings.Fields(text)
	return len(words) == 2 && strings.EqualFold(words[0], "event") && strings.EqualFold(words[1], "new")
}

// openEventForm opens the event form with a trigger_id. People the core
// will not let post events are told so at once rather than after filling
// the form in: an empty form is refused for them without a field, and for
// staff only for its missing fields.
func (s *Slack) openEventForm(ctx context.Context, core Core, from bot.Subscriber, triggerID string, meta formMeta, to replyTo) {
	p := s.userPrinter(ctx, to.team, to.user)
	if err := core.CheckEventForm(ctx, from, nil); err != nil && bot.ErrorField(err) == "" && bot.ErrorCode(err) != bot.EINTERNAL {
		s.reply(ctx, to, bot.Message{Text: bot.ErrorText(p, err), Language: p.Language()})
		return
	}
	if err := s.openView(ctx, to.team, triggerID, eventView(p, meta)); err != nil {
		s.log.Warn("could not open the event form", "user", to.user, "err", err)
		s.reply(ctx, to, bot.Message{Text: p.Sprintf("I could not open the event form just now. Please try again, or type the event: " +
			"`/tender event new title=\"…\" kind=consultation start=2027-02-10T14:00+01:00 end=16:00 place=\"…\"`."), Language: p.Language()})
	}
}

// eventView is the event form: one text input per field of the core's
// form, optional where the core does not require it, with the field's
// example as placeholder.
func eventView(p text.Printer, meta formMeta) slackapi.ModalViewRequest {
	blocks := []slackapi.Block{
		slackapi.NewSectionBlock(mrkdwnText(p.Sprintf("The event is saved as a draft: you see whom it would reach, and publish it when you are ready. "+
			"Give times with their zone, e.g. 2027-02-10T14:00+01:00.")), nil, nil),
	}
	for _, f := range engage.EventFormFields() {
		input := slackapi.NewPlainTextInputBlockElement(placeholder(p.Text(f.Hint)), f.Key)
		input.Multiline = f.Long
		input.MaxLength = f.MaxLength
		block := slackapi.NewInputBlock(f.Key, plainText(truncate(p.Text(f.Label), inputLabelLimit)), nil, input)
		if !f.Required {
			block = block.WithOptional(true)
		}
		blocks = append(blocks, block)
	}
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plainText(p.Sprintf("New event")),
		Submit:          plainText(p.Sprintf("Save draft")),
		Close:           plainText(p.Sprintf("Cancel")),
		Blocks:          slackapi.Blocks{BlockSet: blocks},
		CallbackID:      eventCallback,
		PrivateMetadata: meta.encode(),
	}
}

// placeholder is an input's placeholder, nil for none: Slack refuses an
// empty one.
func placeholder(hint string) *slackapi.TextBlockObject {
	if strings.TrimSpace(hint) == "" {
		return nil
	}
	return plainText(truncate(hint, placeholderLimit))
}

// eventValues reads the event form's inputs, by field key.
func eventValues(state *slackapi.ViewState) map[string]string {
	values := map[string]string{}
	if state == nil {
		return values
	}
	for _, f := range engage.EventFormFields() {
		if v := strings.TrimSpace(state.Values[f.Key][f.Key].Value); v != "" {
			values[f.Key] = v
		}
	}
	return values
}

// eventInputFor names the input an error from the core is about: the
// field it names when the form has it, else the title, which heads the
// form.
func eventInputFor(err error) string {
	field := bot.ErrorField(err)
	for _, f := range engage.EventFormFields() {
		if f.Key == field {
			return f.Key
		}
	}
	return engage.EventFormFields()[0].Key
}

// submitEventForm answers the event form's submission: its errors under
// the inputs they are about, or the modal closed and the draft saved, the
// core's answer going where the command was typed.
func (s *Slack) submitEventForm(ctx context.Context, core Core, from bot.Subscriber, ic slackapi.InteractionCallback, p text.Printer) handled {
	meta := decodeMeta(ic.View.PrivateMetadata)
	values := eventValues(ic.View.State)
	if err := core.CheckEventForm(ctx, from, values); err != nil {
		if bot.ErrorCode(err) == bot.EINTERNAL {
			s.log.Error("event form check failed", "user", from.User, "err", err)
		}
		return handled{ack: fieldError(eventInputFor(err), bot.ErrorText(p, err))}
	}
	to := replyTo{team: from.Workspace, responseURL: meta.ResponseURL, user: from.User}
	return handled{ack: slackapi.NewClearViewSubmissionResponse(), then: func(ctx context.Context) {
		s.reply(ctx, to, core.SubmitEventForm(ctx, from, values))
	}}
}

// openAsk opens the question modal for an event's Ask a question button;
// when Slack will not, the core's answer to the button explains how to ask
// in words.
func (s *Slack) openAsk(ctx context.Context, core Core, from bot.Subscriber, triggerID string, a bot.Action, meta formMeta, to replyTo) {
	if err := s.openView(ctx, to.team, triggerID, askView(s.userPrinter(ctx, to.team, to.user), meta)); err != nil {
		s.log.Warn("could not open the question form", "user", to.user, "event", a.EventID, "err", err)
		s.reply(ctx, to, core.HandleAction(ctx, bot.Click{From: from, Action: a}))
	}
}

// askView is the question modal for the event in meta.
func askView(p text.Printer, meta formMeta) slackapi.ModalViewRequest {
	input := slackapi.NewPlainTextInputBlockElement(plainText(p.Sprintf("e.g. May a consortium register?")), inputQuestion)
	input.Multiline = true
	input.MaxLength = engage.MaxQuestionLength
	blocks := []slackapi.Block{
		slackapi.NewSectionBlock(mrkdwnText(p.Sprintf("Your question reaches the organisers without your name. "+
			"The answer goes to every registrant, you included, and onto the event's public page.")), nil, nil),
		slackapi.NewInputBlock(inputQuestion, plainText(p.Sprintf("Your question")), nil, input),
	}
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plainText(p.Sprintf("Ask a question")),
		Submit:          plainText(p.Sprintf("Send")),
		Close:           plainText(p.Sprintf("Cancel")),
		Blocks:          slackapi.Blocks{BlockSet: blocks},
		CallbackID:      askCallback,
		PrivateMetadata: meta.encode(),
	}
}

// submitAsk sends the question in the modal to the core, answering the
// asker where they pressed the button.
func (s *Slack) submitAsk(core Core, from bot.Subscriber, ic slackapi.InteractionCallback, p text.Printer) handled {
	meta := decodeMeta(ic.View.PrivateMetadata)
	question := ""
	if ic.View.State != nil {
		question = strings.TrimSpace(ic.View.State.Values[inputQuestion][inputQuestion].Value)
	}
	if question == "" {
		return handled{ack: fieldError(inputQuestion, p.Sprintf("Write your question."))}
	}
	to := replyTo{team: from.Workspace, responseURL: meta.ResponseURL, user: from.User}
	if meta.Event <= 0 {
		return handled{ack: slackapi.NewClearViewSubmissionResponse(), then: func(ctx context.Context) {
			s.reply(ctx, to, bot.Message{Text: p.Sprintf("The form got lost on the way; press Ask a question again."), Language: p.Language()})
		}}
	}
	return handled{ack: slackapi.NewClearViewSubmissionResponse(), then: func(ctx context.Context) {
		s.reply(ctx, to, core.Ask(ctx, from, meta.Event, question))
	}}
}
