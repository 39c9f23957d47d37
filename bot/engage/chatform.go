package engage

import (
	"context"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// EventFormField is one field of the event form as a chat form (a Slack
// modal, a Discord modal) shows it. Key is what Error.Field names and what
// the form's values are keyed by.
type EventFormField struct {
	Key       string
	Label     string
	Hint      string
	Required  bool
	Long      bool // several lines of text
	MaxLength int  // the longest value the core takes, in characters
}

// EventFormFields are the event form's fields, required ones first. Label
// and Hint are message ids: a chat says them with text.Printer.Text.
func EventFormFields() []EventFormField {
	out := make([]EventFormField, len(eventFields))
	for i, f := range eventFields {
		out[i] = EventFormField{Key: f.key, Label: f.label, Hint: f.hint, Required: f.required, Long: f.key == "description", MaxLength: f.maxLen}
	}
	return out
}

// formFields turns a form's values into fields, leaving out empty ones.
func formFields(values map[string]string) []field {
	var out []field
	for _, f := range eventFields {
		if v := strings.TrimSpace(values[f.key]); v != "" {
			out = append(out, field{Key: f.key, Value: v})
		}
	}
	return out
}

// CheckEventForm checks a filled-in event form without saving it. A bad or
// missing field is an *Error whose Field names it.
func (svc *Service) CheckEventForm(ctx context.Context, from bot.Subscriber, values map[string]string) error {
	p := svc.printerOf(ctx, from)
	if err := svc.rights.Require(ctx, from, bot.RoleStaff, text.N("post events")); err != nil {
		return err
	}
	_, err := svc.eventFromForm(p, values)
	return err
}

// eventFromForm reads and checks a form's values as an event; p is the
// language of what is said inside its errors.
func (svc *Service) eventFromForm(p text.Printer, values map[string]string) (bot.Event, error) {
	var e bot.Event
	if err := svc.applyEventFields(p, &e, formFields(values)); err != nil {
		return bot.Event{}, err
	}
	if f, missing := missingEventField(e); missing {
		return bot.Event{}, onField(f.key, bot.Errorf(bot.EINVALID, "%s is required.", p.Text(f.label)))
	}
	if err := checkEvent(e, svc.clock.Now()); err != nil {
		return bot.Event{}, err
	}
	return e, nil
}

// SubmitEventForm saves a filled-in event form as a draft and answers with
// its reach and the Publish button, as `event new` does, in the language
// of the person who sent it.
func (svc *Service) SubmitEventForm(ctx context.Context, from bot.Subscriber, values map[string]string) bot.Message {
	p := svc.printerOf(ctx, from)
	reply, err := svc.submitEventForm(ctx, p, from, values)
	if err != nil {
		if bot.ErrorCode(err) == bot.EINTERNAL {
			svc.log.Error("event form failed", "subscriber", from.Key(), "err", err)
		}
		return bot.Message{Text: bot.ErrorText(p, err), Language: p.Language()}
	}
	return reply
}

func (svc *Service) submitEventForm(ctx context.Context, p text.Printer, from bot.Subscriber, values map[string]string) (bot.Message, error) {
	if err := svc.rights.Require(ctx, from, bot.RoleStaff, text.N("post events")); err != nil {
		return bot.Message{}, err
	}
	e, err := svc.eventFromForm(p, values)
	if err != nil {
		return bot.Message{}, err
	}
	return svc.saveDraft(ctx, p, from, e)
}

// Ask sends a question about an event from a form (the Ask a question
// button), as `event ask` does, answering in the asker's language.
func (svc *Service) Ask(ctx context.Context, from bot.Subscriber, eventID int64, question string) bot.Message {
	p := svc.printerOf(ctx, from)
	reply, err := svc.askQuestion(ctx, bot.Command{From: from, Language: p.Language()}, eventID, strings.TrimSpace(question))
	if err != nil {
		if bot.ErrorCode(err) == bot.EINTERNAL {
			svc.log.Error("question failed", "subscriber", from.Key(), "err", err)
		}
		return bot.Message{Text: bot.ErrorText(p, err), Language: p.Language()}
	}
	return reply
}

// askInstructions answers the Ask a question button where the chat has no
// form for it, in p's language.
func askInstructions(p text.Printer, eventID int64) bot.Message {
	return bot.Message{Text: p.Sprintf("Write `event ask %d <your question>`: it reaches the organisers without your name, and the answer goes to every registrant and on the event page.", eventID), Language: p.Language()}
}
