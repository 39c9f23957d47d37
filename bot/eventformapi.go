package bot

import (
	"context"
	"fmt"
	"strings"
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

// EventFormFields are the event form's fields, required ones first.
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
func (b *Bot) CheckEventForm(ctx context.Context, from Subscriber, values map[string]string) error {
	if err := b.require(ctx, from, RoleStaff, "post events"); err != nil {
		return err
	}
	_, err := b.eventFromForm(values)
	return err
}

// eventFromForm reads and checks a form's values as an event.
func (b *Bot) eventFromForm(values map[string]string) (Event, error) {
	var e Event
	if err := b.applyEventFields(&e, formFields(values)); err != nil {
		return Event{}, err
	}
	if f, missing := missingEventField(e); missing {
		return Event{}, &Error{Code: EINVALID, Field: f.key, Message: f.label + " is required."}
	}
	if err := checkEvent(e, b.clock.Now()); err != nil {
		return Event{}, err
	}
	return e, nil
}

// SubmitEventForm saves a filled-in event form as a draft and answers with
// its reach and the Publish button, as `event new` does.
func (b *Bot) SubmitEventForm(ctx context.Context, from Subscriber, values map[string]string) Message {
	reply, err := b.submitEventForm(ctx, from, values)
	if err != nil {
		if ErrorCode(err) == EINTERNAL {
			b.log.Error("event form failed", "subscriber", from.Key(), "err", err)
		}
		return Message{Text: ErrorMessage(err)}
	}
	return reply
}

func (b *Bot) submitEventForm(ctx context.Context, from Subscriber, values map[string]string) (Message, error) {
	if err := b.require(ctx, from, RoleStaff, "post events"); err != nil {
		return Message{}, err
	}
	e, err := b.eventFromForm(values)
	if err != nil {
		return Message{}, err
	}
	return b.saveDraft(ctx, from, e)
}

// Ask sends a question about an event from a form (the Ask a question
// button), as `event ask` does.
func (b *Bot) Ask(ctx context.Context, from Subscriber, eventID int64, question string) Message {
	reply, err := b.askQuestion(ctx, Command{From: from}, eventID, strings.TrimSpace(question))
	if err != nil {
		if ErrorCode(err) == EINTERNAL {
			b.log.Error("question failed", "subscriber", from.Key(), "err", err)
		}
		return Message{Text: ErrorMessage(err)}
	}
	return reply
}

// askInstructions answers the Ask a question button where the chat has no
// form for it.
func askInstructions(eventID int64) Message {
	return Message{Text: fmt.Sprintf("Write `event ask %d <your question>`: it reaches the organisers without your name, and the answer goes to every registrant and on the event page.", eventID)}
}
