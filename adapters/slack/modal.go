package slack

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/profileform"
	"github.com/tenderbot/tenderbot/bot/text"
)

// The profile form: two modals, the form and its preview, and the button
// that opens the form where no trigger is at hand.
const (
	formCallback    = "tb_profile_form"
	previewCallback = "tb_profile_preview"
	openFormAction  = "tb_open_form"
)

// The form's inputs are the core's profile form fields, each input's
// block_id and action_id the field's key.
const (
	inputWords = bot.FieldWords
	inputCPV   = bot.FieldCPV
	inputNUTS  = bot.FieldRegions
)

// profileFields are the core's profile form fields by key.
var profileFields = func() map[string]profileform.Field {
	m := map[string]profileform.Field{}
	for _, f := range profileform.Fields() {
		m[f.Key] = f
	}
	return m
}()

// inputFor names the input an error from the core is about: the form
// field it names, else what you sell.
func inputFor(err error) string {
	var e *bot.Error
	if errors.As(err, &e) {
		if _, ok := profileFields[e.Field]; ok {
			return e.Field
		}
	}
	return inputWords
}

const (
	maxSuggestions    = 50 // options offered for typed text (Slack takes 100)
	optionTextLimit   = 75 // characters of an option's text
	maxCodesChosen    = 20 // CPV or NUTS codes one form may pick
	maxMetadataLength = 3000
	fieldErrorLimit   = 300
)

// formMeta is what the form's modals carry in private_metadata between
// steps. The adapter remembers nothing itself.
type formMeta struct {
	Channel     string           `json:"c,omitempty"` // save a profile for this channel; "" for the person
	ResponseURL string           `json:"r,omitempty"` // where to confirm; "" for a direct message
	Form        *bot.ProfileForm `json:"f,omitempty"` // the form being previewed
	Event       int64            `json:"e,omitempty"` // the event a question is about
}

func (m formMeta) encode() string {
	b, _ := json.Marshal(m) // cannot fail: strings and slices only
	return string(b)
}

// decodeMeta reads private_metadata; a damaged value gives an empty one.
func decodeMeta(s string) formMeta {
	var m formMeta
	if s == "" || json.Unmarshal([]byte(s), &m) != nil {
		return formMeta{}
	}
	return m
}

// openForm opens the profile form with a trigger_id, answering in words
// when Slack will not.
func (s *Slack) openForm(ctx context.Context, triggerID string, meta formMeta, to replyTo) {
	p := s.userPrinter(ctx, to.team, to.user)
	if err := s.openView(ctx, to.team, triggerID, formView(p, meta)); err != nil {
		s.log.Warn("could not open the profile form", "user", to.user, "err", err)
		s.reply(ctx, to, bot.Message{Text: p.Sprintf("I could not open the profile form just now. Please try again, or type the profile as a query, e.g. `/tender subscribe cpv:45 nuts:NL21`."), Language: p.Language()})
	}
}

// formView is the first step: the core's profile form fields as inputs.
// Submitting it asks for the preview.
func formView(p text.Printer, meta formMeta) slackapi.ModalViewRequest {
	where := p.Sprintf("Alerts come to you in a direct message.")
	if meta.Channel != "" {
		where = p.Sprintf("Alerts go to <#%s>.", meta.Channel)
	}
	blocks := []slackapi.Block{
		slackapi.NewSectionBlock(mrkdwnText(p.Sprintf("Describe what you sell. I turn it into a search and show you what it already matches; nothing is saved until you press *Save*.")+" "+where), nil, nil),
	}
	for _, f := range profileform.Fields() {
		blocks = append(blocks, formInput(p, f))
	}
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plainText(p.Sprintf("New tender profile")),
		Submit:          plainText(p.Sprintf("Preview")),
		Close:           plainText(p.Sprintf("Cancel")),
		Blocks:          slackapi.Blocks{BlockSet: blocks},
		CallbackID:      formCallback,
		PrivateMetadata: meta.encode(),
	}
}

// formInput is a form field as a Block Kit input: a text input, a select
// that completes codes, checkboxes or radio buttons.
func formInput(p text.Printer, f profileform.Field) *slackapi.InputBlock {
	var element slackapi.BlockElement
	switch f.Input {
	case profileform.Codes:
		e := slackapi.NewOptionsMultiSelectBlockElement(slackapi.MultiOptTypeExternal, plainText(p.Text(f.Placeholder)), f.Key)
		element = e.WithMinQueryLength(1).WithMaxSelectedItems(maxCodesChosen)
	case profileform.PickAny:
		element = slackapi.NewCheckboxGroupsBlockElement(f.Key, choiceOptions(p, f)...)
	case profileform.PickOne:
		options := choiceOptions(p, f)
		radio := slackapi.NewRadioButtonsBlockElement(f.Key, options...)
		for _, o := range options {
			if o.Value == f.Default {
				radio.InitialOption = o
			}
		}
		element = radio
	default:
		e := slackapi.NewPlainTextInputBlockElement(plainText(p.Text(f.Placeholder)), f.Key)
		e.MaxLength = f.MaxLength
		e.Multiline = f.Input == profileform.LongText
		element = e
	}
	var hint *slackapi.TextBlockObject
	if f.Hint != "" {
		hint = plainText(p.Text(f.Hint))
	}
	return slackapi.NewInputBlock(f.Key, plainText(p.Text(f.Label)), hint, element).WithOptional(!f.Required)
}

func choiceOptions(p text.Printer, f profileform.Field) []*slackapi.OptionBlockObject {
	options := make([]*slackapi.OptionBlockObject, len(f.Choices))
	for i, c := range f.Choices {
		options[i] = option(c.Value, p.Text(c.Label))
	}
	return options
}

// previewView is the second step: the query the form makes and what it
// already matches. Submitting it saves the profile; closing it goes back to
// the form.
func previewView(p text.Printer, preview bot.Message, meta formMeta, loc *time.Location) slackapi.ModalViewRequest {
	r := render(preview, loc, renderOptions{actions: false, limit: viewBlockLimit})
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plainText(p.Sprintf("Check your profile")),
		Submit:          plainText(p.Sprintf("Save")),
		Close:           plainText(p.Sprintf("Back")),
		Blocks:          slackapi.Blocks{BlockSet: r.blocks},
		CallbackID:      previewCallback,
		PrivateMetadata: meta.encode(),
	}
}

// handleViewSubmission moves the forms along: the profile form's
// submission is answered with its preview (or field errors), the preview's
// with closing the modals and saving the profile; the event form and the
// question modal are checked and passed to the core.
func (s *Slack) handleViewSubmission(ctx context.Context, core Core, from bot.Subscriber, ic slackapi.InteractionCallback) handled {
	meta := decodeMeta(ic.View.PrivateMetadata)
	p := s.userPrinter(ctx, from.Workspace, from.User)
	switch ic.View.CallbackID {
	case formCallback:
		form := formFromState(ic.View.State)
		preview, err := core.PreviewForm(ctx, from, form)
		if err != nil {
			if bot.ErrorCode(err) == bot.EINTERNAL {
				s.log.Error("profile form preview failed", "user", from.User, "err", err)
			}
			return handled{ack: fieldError(inputFor(err), bot.ErrorText(p, err))}
		}
		meta.Form = &form
		if len(meta.encode()) > maxMetadataLength {
			return handled{ack: fieldError(inputWords, p.Sprintf("This profile is too long to save from the form; shorten what you sell, or pick fewer codes."))}
		}
		if preview.Language != "" {
			p = preview.Printer()
		}
		view := previewView(p, preview, meta, s.location)
		return handled{ack: slackapi.NewPushViewSubmissionResponse(&view)}
	case previewCallback:
		to := replyTo{team: from.Workspace, responseURL: meta.ResponseURL, user: from.User}
		if meta.Form == nil {
			return handled{ack: slackapi.NewClearViewSubmissionResponse(), then: func(ctx context.Context) {
				s.reply(ctx, to, bot.Message{Text: p.Sprintf("The form got lost on the way; please open it again."), Language: p.Language()})
			}}
		}
		form := *meta.Form
		return handled{ack: slackapi.NewClearViewSubmissionResponse(), then: func(ctx context.Context) {
			s.reply(ctx, to, core.SubscribeForm(ctx, from, meta.Channel, form))
		}}
	case eventCallback:
		return s.submitEventForm(ctx, core, from, ic, p)
	case askCallback:
		return s.submitAsk(core, from, ic, p)
	}
	return handled{}
}

// fieldError answers a submission with an error shown under one input.
func fieldError(input, message string) *slackapi.ViewSubmissionResponse {
	return slackapi.NewErrorsViewSubmissionResponse(map[string]string{input: truncate(message, fieldErrorLimit)})
}

// formFromState reads the form's inputs by field key, a list of choices
// joined with commas, and leaves their reading to the core.
func formFromState(state *slackapi.ViewState) bot.ProfileForm {
	values := map[string]string{}
	if state == nil {
		return profileform.Parse(values)
	}
	for key := range profileFields {
		v := state.Values[key][key]
		chosen := []string{v.Value, v.SelectedOption.Value}
		for _, o := range v.SelectedOptions {
			chosen = append(chosen, o.Value)
		}
		values[key] = strings.Join(slices.DeleteFunc(chosen, func(s string) bool { return s == "" }), ",")
	}
	return profileform.Parse(values)
}

// optionsPayload answers a block_suggestion; options must be present even
// when empty.
type optionsPayload struct {
	Options []*slackapi.OptionBlockObject `json:"options"`
}

// suggestions offers codes for text typed into the CPV or regions select.
// With nothing to suggest, a code typed in full is offered as typed.
func suggestions(p text.Printer, core Core, input, typed string) optionsPayload {
	out := optionsPayload{Options: []*slackapi.OptionBlockObject{}}
	if input != inputCPV && input != inputNUTS {
		return out
	}
	typed = strings.TrimSpace(typed)
	for _, cn := range core.Suggest(profileFields[input].Vocabulary, typed, maxSuggestions) {
		out.Options = append(out.Options, option(cn.Code, cn.Text(p)))
	}
	if len(out.Options) == 0 && looksLikeCode(input, typed) {
		code := strings.ToUpper(typed)
		out.Options = append(out.Options, option(code, p.Sprintf("%s (as typed)", code)))
	}
	return out
}

// looksLikeCode reports whether typed could be a code of the field: digits
// for CPV (a check digit allowed), letters then letters or digits for NUTS.
func looksLikeCode(input, typed string) bool {
	if len(typed) < 2 || len(typed) > 10 {
		return false
	}
	for i, r := range typed {
		switch {
		case input == inputCPV && (unicode.IsDigit(r) || r == '-' && i == 8):
		case input == inputNUTS && r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) && i >= 2):
		default:
			return false
		}
	}
	return true
}

// formInvite is the answer to "subscribe" in a direct message: a button
// that opens the form.
func formInvite(p text.Printer) rendered {
	button := slackapi.NewButtonBlockElement(openFormAction, "", plainText(p.Sprintf("Describe what you sell")))
	button.Style = slackapi.StylePrimary
	invite := p.Sprintf("I'll ask what you sell and where, show you what that already matches, and save it when you say so. Or type the profile as a query, e.g. `subscribe cpv:45 nuts:NL21`.")
	return rendered{
		blocks: []slackapi.Block{
			slackapi.NewSectionBlock(mrkdwnText(invite), nil, nil),
			slackapi.NewActionBlock("tb_open_form", button),
		},
		fallback: p.Sprintf("Describe what you sell to make a profile."),
	}
}

func option(value, text string) *slackapi.OptionBlockObject {
	return slackapi.NewOptionBlockObject(value, plainText(truncate(text, optionTextLimit)), nil)
}

// openView opens a modal in workspace team with a trigger_id.
func (s *Slack) openView(ctx context.Context, team, triggerID string, view slackapi.ModalViewRequest) error {
	api, err := s.web(ctx, team)
	if err != nil {
		return err
	}
	_, err = api.OpenViewContext(ctx, triggerID, view)
	return err
}
