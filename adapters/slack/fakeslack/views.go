package fakeslack

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Slack's limits on views, from the Block Kit reference.
const (
	maxViewBlocks      = 100
	maxMetadata        = 3000
	maxModalTitle      = 24 // title, submit and close
	maxCallbackID      = 255
	maxBlockID         = 255
	maxActionID        = 255
	maxInputLabel      = 2000
	maxInputHint       = 2000
	maxPlaceholder     = 150
	maxPlainTextLength = 3000 // a plain_text_input's max_length, min_length and initial_value
)

// textObject is a plain_text or mrkdwn text object.
type textObject struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// viewBlock is the part of a block the fake checks.
type viewBlock struct {
	Type     string          `json:"type"`
	BlockID  string          `json:"block_id"`
	Label    *textObject     `json:"label"`
	Hint     *textObject     `json:"hint"`
	Element  json.RawMessage `json:"element"`
	Optional bool            `json:"optional"`
}

// inputElement is the part of an input block's element the fake checks.
type inputElement struct {
	Type         string      `json:"type"`
	ActionID     string      `json:"action_id"`
	Placeholder  *textObject `json:"placeholder"`
	InitialValue string      `json:"initial_value"`
	MinLength    int         `json:"min_length"`
	MaxLength    int         `json:"max_length"`
}

// CheckView reports why Slack would refuse a view (views.open, views.push,
// views.update, views.publish, or a push or update in a view submission's
// answer) with invalid_arguments: a modal without a title or with one too
// long, a modal with inputs and no submit button, repeated or too long
// block_ids and action_ids, input blocks without a label or element,
// placeholders and lengths beyond Slack's limits, empty text objects. The
// fake refuses such views; tests may check views with it directly.
func CheckView(raw json.RawMessage) error {
	if why := checkView(raw); why != "" {
		return fmt.Errorf("fakeslack: Slack would refuse the view: %s", why)
	}
	return nil
}

func checkView(raw json.RawMessage) string {
	var v struct {
		Type            string      `json:"type"`
		Title           *textObject `json:"title"`
		Submit          *textObject `json:"submit"`
		Close           *textObject `json:"close"`
		CallbackID      string      `json:"callback_id"`
		PrivateMetadata string      `json:"private_metadata"`
		Blocks          []viewBlock `json:"blocks"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "the view is not a JSON object: " + err.Error()
	}
	if v.Type != "modal" && v.Type != "home" {
		return fmt.Sprintf("view type %q is neither modal nor home", v.Type)
	}
	if len(v.Blocks) > maxViewBlocks {
		return fmt.Sprintf("%d blocks, more than %d", len(v.Blocks), maxViewBlocks)
	}
	if len(v.PrivateMetadata) > maxMetadata {
		return fmt.Sprintf("private_metadata of %d characters, more than %d", len(v.PrivateMetadata), maxMetadata)
	}
	if len(v.CallbackID) > maxCallbackID {
		return "callback_id longer than 255"
	}
	if v.Type == "modal" {
		if v.Title == nil {
			return "a modal needs a title"
		}
		for name, t := range map[string]*textObject{"title": v.Title, "submit": v.Submit, "close": v.Close} {
			if t == nil {
				continue
			}
			if t.Type != "plain_text" {
				return name + " must be plain_text"
			}
			if n := utf8.RuneCountInString(t.Text); n < 1 || n > maxModalTitle {
				return fmt.Sprintf("%s %q must be 1-%d characters", name, t.Text, maxModalTitle)
			}
		}
	}
	ids := map[string]bool{}
	inputs := 0
	for i, b := range v.Blocks {
		if len(b.BlockID) > maxBlockID {
			return fmt.Sprintf("block %d: block_id longer than %d", i, maxBlockID)
		}
		if b.BlockID != "" {
			if ids[b.BlockID] {
				return fmt.Sprintf("block_id %q is repeated", b.BlockID)
			}
			ids[b.BlockID] = true
		}
		if b.Type != "input" {
			continue
		}
		inputs++
		if e := checkInput(b); e != "" {
			return fmt.Sprintf("input block %d (%s): %s", i, b.BlockID, e)
		}
	}
	if v.Type == "modal" && inputs > 0 && v.Submit == nil {
		return "a modal with input blocks needs a submit button"
	}
	return ""
}

// checkInput checks an input block and its element.
func checkInput(b viewBlock) string {
	if b.Label == nil || b.Label.Type != "plain_text" {
		return "the label must be plain_text"
	}
	if n := utf8.RuneCountInString(b.Label.Text); n < 1 || n > maxInputLabel {
		return fmt.Sprintf("label must be 1-%d characters", maxInputLabel)
	}
	if b.Hint != nil {
		if n := utf8.RuneCountInString(b.Hint.Text); n < 1 || n > maxInputHint {
			return fmt.Sprintf("hint must be 1-%d characters", maxInputHint)
		}
	}
	if len(b.Element) == 0 {
		return "no element"
	}
	var e inputElement
	if err := json.Unmarshal(b.Element, &e); err != nil {
		return "element: " + err.Error()
	}
	if len(e.ActionID) > maxActionID {
		return fmt.Sprintf("action_id longer than %d", maxActionID)
	}
	if e.Placeholder != nil {
		if e.Placeholder.Type != "plain_text" {
			return "placeholder must be plain_text"
		}
		if n := utf8.RuneCountInString(e.Placeholder.Text); n < 1 || n > maxPlaceholder {
			return fmt.Sprintf("placeholder %q must be 1-%d characters", e.Placeholder.Text, maxPlaceholder)
		}
	}
	if e.Type != "plain_text_input" {
		return ""
	}
	if e.MaxLength < 0 || e.MaxLength > maxPlainTextLength || e.MinLength < 0 || e.MinLength > maxPlainTextLength {
		return fmt.Sprintf("min_length and max_length must be 0-%d", maxPlainTextLength)
	}
	if e.MaxLength > 0 && e.MinLength > e.MaxLength {
		return "min_length above max_length"
	}
	limit := maxPlainTextLength
	if e.MaxLength > 0 {
		limit = e.MaxLength
	}
	if utf8.RuneCountInString(e.InitialValue) > limit {
		return fmt.Sprintf("initial_value longer than %d", limit)
	}
	return ""
}
