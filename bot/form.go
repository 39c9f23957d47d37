package bot

import (
	"context"
	"fmt"
	"strings"
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

// validate checks what Query cannot express.
func (f ProfileForm) validate() error {
	if strings.TrimSpace(f.Query()) == "" {
		return Errorf(EINVALID, "Fill in at least what you sell, a CPV code or a region.")
	}
	if f.Delivery != "" && f.Delivery != DeliverInstant {
		return Errorf(EINVALID, "Only instant alerts can be chosen for now; digests come in a later version.")
	}
	return nil
}

// PreviewForm shows the profile a form would make: its query in canonical
// form, and what it already matches. Nothing is saved.
func (b *Bot) PreviewForm(ctx context.Context, from Subscriber, f ProfileForm) (Message, error) {
	if err := f.validate(); err != nil {
		return Message{}, err
	}
	q, err := b.matcher.Compile(f.Query())
	if err != nil {
		return Message{}, err
	}
	name := strings.TrimSpace(f.Name)
	if name == "" {
		name = truncate(q.String(), maxProfileNameLength)
	}
	msg, err := b.preview(ctx, Profile{Subscriber: from, Name: name, Query: q.String()}, q, nil)
	if err != nil {
		return Message{}, fmt.Errorf("preview form: %w", err)
	}
	msg.Text = fmt.Sprintf("Your profile %q will be `%s`.\n%s", name, q.String(), msg.Text)
	return msg, nil
}

// SubscribeForm saves the profile a form makes, for the person from or,
// with channel set, for that channel, exactly as the subscribe command does.
func (b *Bot) SubscribeForm(ctx context.Context, from Subscriber, channel string, f ProfileForm) Message {
	if err := f.validate(); err != nil {
		return Message{Text: ErrorMessage(err)}
	}
	var text strings.Builder
	text.WriteString("subscribe ")
	if channel != "" {
		text.WriteString("here ")
	}
	if name := strings.TrimSpace(strings.ReplaceAll(f.Name, `"`, "'")); name != "" {
		fmt.Fprintf(&text, "name=%q ", name)
	}
	text.WriteString(f.Query())
	return b.Handle(ctx, Command{From: from, Channel: channel, Text: text.String()})
}
