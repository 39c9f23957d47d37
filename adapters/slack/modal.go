package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/bot"
)

// The profile form: two modals, the form and its preview, and the button
// that opens the form where no trigger is at hand.
const (
	formCallback    = "tb_profile_form"
	previewCallback = "tb_profile_preview"
	openFormAction  = "tb_open_form"
)

// The form's inputs; each input's action_id is its block_id.
const (
	inputName     = "name"
	inputWords    = "words"
	inputCPV      = "cpv"
	inputNUTS     = "nuts"
	inputValueMin = "value_min"
	inputValueMax = "value_max"
	inputKinds    = "kinds"
	inputDelivery = "delivery"
)

// inputFor names the input an error from the core is about: the form
// field it names, else what you sell.
func inputFor(err error) string {
	var e *bot.Error
	if !errors.As(err, &e) {
		return inputWords
	}
	switch e.Field {
	case bot.FieldCPV:
		return inputCPV
	case bot.FieldRegions:
		return inputNUTS
	case bot.FieldValue:
		return inputValueMin
	case bot.FieldKinds:
		return inputKinds
	case bot.FieldDelivery:
		return inputDelivery
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
	if _, err := s.api.OpenViewContext(ctx, triggerID, formView(meta)); err != nil {
		s.log.Warn("could not open the profile form", "user", to.user, "err", err)
		s.reply(ctx, to, bot.Message{Text: "I could not open the profile form just now. Please try again, or type the profile as a query, e.g. `/tender subscribe cpv:45 nuts:NL21`."})
	}
}

// formView is the first step: the form's inputs, all optional but the
// delivery. Submitting it asks for the preview.
func formView(meta formMeta) slackapi.ModalViewRequest {
	where := "Alerts come to you in a direct message."
	if meta.Channel != "" {
		where = fmt.Sprintf("Alerts go to <#%s>.", meta.Channel)
	}
	kinds := slackapi.NewCheckboxGroupsBlockElement(inputKinds,
		option(string(bot.KindEarly), "Early engagement: market consultations, prior information"),
		option(string(bot.KindTender), "Tenders: calls for competition with a deadline"))
	instant := option(string(bot.DeliverInstant), "Instant: one message per matching notice")
	delivery := slackapi.NewRadioButtonsBlockElement(inputDelivery, instant,
		option(string(bot.DeliverDaily), "Daily: one digest a day"),
		option(string(bot.DeliverWeekly), "Weekly: one digest a week"))
	delivery.InitialOption = instant
	blocks := []slackapi.Block{
		slackapi.NewSectionBlock(mrkdwnText("Describe what you sell. I turn it into a search and show you what it already matches; nothing is saved until you press *Save*. "+where), nil, nil),
		optionalInput(inputName, "Name",
			"Shown in your list of profiles. Leave it empty to name the profile after its search.",
			textInput(inputName, "e.g. Sports halls in Twente", 60)),
		optionalInput(inputWords, "What you sell, in plain words",
			`Words to find in a notice's title, description or buyer. "Quotes" for a phrase, -word to leave a word out, OR for either.`,
			textInput(inputWords, "e.g. renovatie sporthal", 500)),
		optionalInput(inputCPV, "CPV codes",
			"Type a code or a word. A code covers everything under it: 45 is all construction work.",
			codeSelect(inputCPV, "e.g. 45 or bouw")),
		optionalInput(inputNUTS, "Regions",
			"Type a NUTS code or a region's name. NL21 covers Overijssel and its parts; NL, the whole country.",
			codeSelect(inputNUTS, "e.g. NL21 or Twente")),
		optionalInput(inputValueMin, "Value at least", "", textInput(inputValueMin, "e.g. 50k", 20)),
		optionalInput(inputValueMax, "Value at most",
			"Amounts such as 50000, 50k or 2m, in the notice's currency. Notices that state no value always pass.",
			textInput(inputValueMax, "e.g. 2m", 20)),
		optionalInput(inputKinds, "Kinds of notice", "Tick none for every kind.", kinds),
		slackapi.NewInputBlock(inputDelivery, plainText("Delivery"),
			plainText("Instant alerts, or the matches of a day or a week in one message. /tender digest changes it later."), delivery),
	}
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plainText("New tender profile"),
		Submit:          plainText("Preview"),
		Close:           plainText("Cancel"),
		Blocks:          slackapi.Blocks{BlockSet: blocks},
		CallbackID:      formCallback,
		PrivateMetadata: meta.encode(),
	}
}

// previewView is the second step: the query the form makes and what it
// already matches. Submitting it saves the profile; closing it goes back to
// the form.
func previewView(preview bot.Message, meta formMeta, loc *time.Location) slackapi.ModalViewRequest {
	r := render(preview, loc, renderOptions{actions: false, limit: viewBlockLimit})
	return slackapi.ModalViewRequest{
		Type:            slackapi.VTModal,
		Title:           plainText("Check your profile"),
		Submit:          plainText("Save"),
		Close:           plainText("Back"),
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
	switch ic.View.CallbackID {
	case formCallback:
		form := formFromState(ic.View.State)
		preview, err := core.PreviewForm(ctx, from, form)
		if err != nil {
			if bot.ErrorCode(err) == bot.EINTERNAL {
				s.log.Error("profile form preview failed", "user", from.User, "err", err)
			}
			return handled{ack: fieldError(inputFor(err), bot.ErrorMessage(err))}
		}
		meta.Form = &form
		if len(meta.encode()) > maxMetadataLength {
			return handled{ack: fieldError(inputWords, "This profile is too long to save from the form; shorten what you sell, or pick fewer codes.")}
		}
		view := previewView(preview, meta, s.location)
		return handled{ack: slackapi.NewPushViewSubmissionResponse(&view)}
	case previewCallback:
		to := replyTo{responseURL: meta.ResponseURL, user: from.User}
		if meta.Form == nil {
			return handled{ack: slackapi.NewClearViewSubmissionResponse(), then: func(ctx context.Context) {
				s.reply(ctx, to, bot.Message{Text: "The form got lost on the way; please open it again."})
			}}
		}
		form := *meta.Form
		return handled{ack: slackapi.NewClearViewSubmissionResponse(), then: func(ctx context.Context) {
			s.reply(ctx, to, core.SubscribeForm(ctx, from, meta.Channel, form))
		}}
	case eventCallback:
		return s.submitEventForm(ctx, core, from, ic)
	case askCallback:
		return s.submitAsk(core, from, ic)
	}
	return handled{}
}

// fieldError answers a submission with an error shown under one input.
func fieldError(input, message string) *slackapi.ViewSubmissionResponse {
	return slackapi.NewErrorsViewSubmissionResponse(map[string]string{input: truncate(message, fieldErrorLimit)})
}

// formFromState reads the form's inputs.
func formFromState(state *slackapi.ViewState) bot.ProfileForm {
	var f bot.ProfileForm
	if state == nil {
		return f
	}
	value := func(input string) slackapi.BlockAction { return state.Values[input][input] }
	chosen := func(input string) []string {
		var out []string
		for _, o := range value(input).SelectedOptions {
			if o.Value != "" {
				out = append(out, o.Value)
			}
		}
		return out
	}
	f.Name = strings.TrimSpace(value(inputName).Value)
	f.Words = strings.TrimSpace(value(inputWords).Value)
	f.CPV = chosen(inputCPV)
	f.Regions = chosen(inputNUTS)
	f.ValueMin = strings.TrimSpace(value(inputValueMin).Value)
	f.ValueMax = strings.TrimSpace(value(inputValueMax).Value)
	for _, k := range chosen(inputKinds) {
		f.Kinds = append(f.Kinds, bot.Kind(k))
	}
	f.Delivery = bot.DeliveryMode(value(inputDelivery).SelectedOption.Value)
	return f
}

// optionsPayload answers a block_suggestion; options must be present even
// when empty.
type optionsPayload struct {
	Options []*slackapi.OptionBlockObject `json:"options"`
}

// suggestions offers codes for text typed into the CPV or regions select.
// With nothing to suggest, a code typed in full is offered as typed.
func suggestions(core Core, input, typed string) optionsPayload {
	out := optionsPayload{Options: []*slackapi.OptionBlockObject{}}
	if input != inputCPV && input != inputNUTS {
		return out
	}
	typed = strings.TrimSpace(typed)
	for _, cn := range core.Suggest(input, typed, maxSuggestions) {
		out.Options = append(out.Options, option(cn.Code, cn.Text()))
	}
	if len(out.Options) == 0 && looksLikeCode(input, typed) {
		code := strings.ToUpper(typed)
		out.Options = append(out.Options, option(code, code+" (as typed)"))
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
func formInvite() rendered {
	button := slackapi.NewButtonBlockElement(openFormAction, "", plainText("Describe what you sell"))
	button.Style = slackapi.StylePrimary
	text := "I'll ask what you sell and where, show you what that already matches, and save it when you say so. Or type the profile as a query, e.g. `subscribe cpv:45 nuts:NL21`."
	return rendered{
		blocks: []slackapi.Block{
			slackapi.NewSectionBlock(mrkdwnText(text), nil, nil),
			slackapi.NewActionBlock("tb_open_form", button),
		},
		fallback: "Describe what you sell to make a profile.",
	}
}

func optionalInput(id, label, hint string, element slackapi.BlockElement) *slackapi.InputBlock {
	var h *slackapi.TextBlockObject
	if hint != "" {
		h = plainText(hint)
	}
	return slackapi.NewInputBlock(id, plainText(label), h, element).WithOptional(true)
}

func textInput(id, placeholder string, maxLength int) *slackapi.PlainTextInputBlockElement {
	e := slackapi.NewPlainTextInputBlockElement(plainText(placeholder), id)
	e.MaxLength = maxLength
	return e
}

func codeSelect(id, placeholder string) *slackapi.MultiSelectBlockElement {
	e := slackapi.NewOptionsMultiSelectBlockElement(slackapi.MultiOptTypeExternal, plainText(placeholder), id)
	return e.WithMinQueryLength(1).WithMaxSelectedItems(maxCodesChosen)
}

func option(value, text string) *slackapi.OptionBlockObject {
	return slackapi.NewOptionBlockObject(value, plainText(truncate(text, optionTextLimit)), nil)
}
