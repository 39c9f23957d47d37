package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tenderbot/tenderbot/bot/text"
)

// ProfileForm is a profile as a chat form (a Slack or Discord modal) asks
// for it, field by field. Query turns it into the profile language, so
// forms and typed commands make the same profiles.
type ProfileForm struct {
	Name     string
	Words    string   // what you sell, in plain words (query syntax allowed)
	CPV      []string // CPV codes
	Regions  []string // NUTS codes
	ValueMin string   // "50k", "1m", "" for no bound
	ValueMax string
	Kinds    []Kind
	Delivery DeliveryMode // "" means instant
}

// Query is the form in the profile language.
func (f ProfileForm) Query() string {
	var parts []string
	if w := strings.TrimSpace(f.Words); w != "" {
		parts = append(parts, w)
	}
	if codes := cleanCodes(f.CPV); len(codes) > 0 {
		parts = append(parts, "cpv:"+strings.Join(codes, ","))
	}
	if codes := cleanCodes(f.Regions); len(codes) > 0 {
		parts = append(parts, "nuts:"+strings.Join(codes, ","))
	}
	lo, hi := strings.TrimSpace(f.ValueMin), strings.TrimSpace(f.ValueMax)
	switch {
	case lo != "" && hi != "":
		parts = append(parts, "value:"+lo+".."+hi)
	case lo != "":
		parts = append(parts, "value:>="+lo)
	case hi != "":
		parts = append(parts, "value:<="+hi)
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			kinds[i] = string(k)
		}
		parts = append(parts, "kind:"+strings.Join(kinds, ","))
	}
	return strings.Join(parts, " ")
}

// cleanCodes trims codes, drops empty ones and a label after the code
// ("45000000 Construction work" → "45000000").
func cleanCodes(codes []string) []string {
	var out []string
	for _, c := range codes {
		if code, _, _ := strings.Cut(strings.TrimSpace(c), " "); code != "" {
			out = append(out, code)
		}
	}
	return out
}

// validate checks the form field by field, so that an error can be shown
// next to the field that caused it.
func (f ProfileForm) validate(m Matcher) error {
	if strings.TrimSpace(f.Query()) == "" {
		e := Errorf(EINVALID, "Fill in at least what you sell, a CPV code or a region.")
		e.Field = FieldWords
		return e
	}
	switch f.Delivery {
	case "", DeliverInstant, DeliverDaily, DeliverWeekly:
	default:
		e := Errorf(EINVALID, "%q is not a delivery mode; choose instant, daily or weekly.", f.Delivery)
		e.Field = FieldDelivery
		return e
	}
	parts := []struct {
		field string
		form  ProfileForm
	}{
		{FieldWords, ProfileForm{Words: f.Words}},
		{FieldCPV, ProfileForm{CPV: f.CPV}},
		{FieldRegions, ProfileForm{Regions: f.Regions}},
		{FieldValue, ProfileForm{ValueMin: f.ValueMin, ValueMax: f.ValueMax}},
		{FieldKinds, ProfileForm{Kinds: f.Kinds}},
	}
	for _, part := range parts {
		if q := part.form.Query(); q != "" {
			if _, err := m.Compile(q); err != nil {
				var e *Error
				if errors.As(err, &e) {
					return &Error{Code: e.Code, Field: part.field, Message: e.Message, format: e.format, args: e.args}
				}
				return err
			}
		}
	}
	return nil
}

// The fields of a ProfileForm, as Error.Field names them.
const (
	FieldName     = "name"
	FieldWords    = "words"
	FieldCPV      = "cpv"
	FieldRegions  = "regions"
	FieldValue    = "value"
	FieldKinds    = "kinds"
	FieldDelivery = "delivery"
)

// PreviewForm shows the profile a form would make: its query in canonical
// form, and what it already matches. Nothing is saved. A bad field is an
// *Error whose Field names it.
func (b *Bot) PreviewForm(ctx context.Context, from Subscriber, f ProfileForm) (Message, error) {
	if err := f.validate(b.matcher); err != nil {
		return Message{}, err
	}
	if err := checkQueryLength(f.Query()); err != nil {
		return Message{}, err
	}
	q, err := b.matcher.CompileProfile(f.Query())
	if err != nil {
		return Message{}, err
	}
	name := strings.TrimSpace(f.Name)
	if name == "" {
		if name, err = b.defaultName(f.Query()); err != nil {
			return Message{}, err
		}
	}
	pr := b.printerOf(ctx, from)
	msg, err := b.preview(ctx, pr, Profile{Subscriber: from, Name: name, Query: q.String()}, q, nil)
	if err != nil {
		return Message{}, fmt.Errorf("preview form: %w", err)
	}
	msg.Text = pr.Sprintf("Your profile %q will be `%s`.\n%s", name, q.String(), msg.Text)
	return msg, nil
}

// SubscribeForm saves the profile a form makes, for the person from or,
// with channel set, for that channel, as the subscribe command does, with
// the form's delivery mode.
func (b *Bot) SubscribeForm(ctx context.Context, from Subscriber, channel string, f ProfileForm) Message {
	pr := b.printerOf(ctx, from)
	reply, err := b.subscribeForm(ctx, pr, from, channel, f)
	if err != nil {
		if ErrorCode(err) == EINTERNAL {
			b.log.Error("subscribe form failed", "subscriber", from.Key(), "err", err)
		}
		return Message{Text: ErrorText(pr, err), Language: pr.Language()}
	}
	return reply
}

func (b *Bot) subscribeForm(ctx context.Context, pr text.Printer, from Subscriber, channel string, f ProfileForm) (Message, error) {
	if err := f.validate(b.matcher); err != nil {
		return Message{}, err
	}
	to := from
	if channel != "" {
		to = Subscriber{Platform: from.Platform, Workspace: from.Workspace, Channel: channel}
	}
	mode := f.Delivery
	if mode == "" {
		mode = DeliverInstant
	}
	name := strings.TrimSpace(f.Name)
	if len([]rune(name)) > MaxProfileNameLength {
		return Message{}, Errorf(EINVALID, "The profile name is longer than %d characters; please shorten it.", MaxProfileNameLength)
	}
	return b.saveProfile(ctx, pr, Profile{Subscriber: to, Name: name, Delivery: mode}, from, f.Query())
}
