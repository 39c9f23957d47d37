package discord

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/profileform"
)

// The profile form: /tender subscribe without a query opens a modal; its
// submission is previewed with Save, Edit and Cancel buttons; Save makes
// the profile. Between the steps the form waits here, in memory, under a
// random id that the modal's and the buttons' custom ids carry. Discord's
// custom ids hold 100 characters, too few for a whole form.
const (
	formPrefix = "tbform"
	stepSubmit = "submit" // the modal's custom id
	stepSave   = "save"
	stepEdit   = "edit"
	stepCancel = "cancel"
	// formTTL is how long an untouched form waits; a restart forgets forms
	// too, and the person is asked to start again.
	formTTL  = 30 * time.Minute
	maxForms = 1000
)

// maxFormInputs is the most text inputs a Discord modal holds.
const maxFormInputs = 5

// formFields are the core's profile form fields the modal asks for, as
// text inputs: all but the name, which /tender subscribe takes as an
// option, and single choices, which a modal cannot show and which keep
// their default (the delivery: instant; /tender digest changes it).
var formFields = func() []profileform.Field {
	var out []profileform.Field
	for _, f := range profileform.Fields() {
		if f.Key != bot.FieldName && f.Input != profileform.PickOne && len(out) < maxFormInputs {
			out = append(out, f)
		}
	}
	return out
}()

// pendingForm is a form between its steps.
type pendingForm struct {
	owner   string            // the user filling it in
	channel string            // the channel it is for; "" for the person
	name    string            // the profile name given with the command
	values  map[string]string // what was typed, by field id
	touched time.Time
}

// forms holds the forms being filled in.
type forms struct {
	mu      sync.Mutex
	pending map[string]*pendingForm
}

func newForms() *forms { return &forms{pending: map[string]*pendingForm{}} }

// open starts a form and returns its id.
func (f *forms) open(owner, channel, name string, now time.Time) string {
	b := make([]byte, 12)
	rand.Read(b)
	id := hex.EncodeToString(b)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sweepLocked(now)
	f.pending[id] = &pendingForm{owner: owner, channel: channel, name: name, values: map[string]string{}, touched: now}
	return id
}

// get returns the owner's form with that id, if it is still waiting.
func (f *forms) get(id, owner string, now time.Time) (pendingForm, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.pending[id]
	if !ok || p.owner != owner || now.Sub(p.touched) > formTTL {
		return pendingForm{}, false
	}
	p.touched = now
	cp := *p
	cp.values = make(map[string]string, len(p.values))
	for k, v := range p.values {
		cp.values[k] = v
	}
	return cp, true
}

// fill records what was typed into the owner's form; it reports false when
// the form is gone.
func (f *forms) fill(id, owner string, values map[string]string, now time.Time) (pendingForm, bool) {
	f.mu.Lock()
	p, ok := f.pending[id]
	if ok && p.owner == owner && now.Sub(p.touched) <= formTTL {
		p.values = values
	}
	f.mu.Unlock()
	return f.get(id, owner, now)
}

// take removes the owner's form and returns it, so it is saved once
// however often Save is pressed.
func (f *forms) take(id, owner string, now time.Time) (pendingForm, bool) {
	p, ok := f.get(id, owner, now)
	if ok {
		f.mu.Lock()
		delete(f.pending, id)
		f.mu.Unlock()
	}
	return p, ok
}

// remove forgets the owner's form.
func (f *forms) remove(id, owner string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.pending[id]; ok && p.owner == owner {
		delete(f.pending, id)
	}
}

// sweepLocked drops expired forms and, when still full, the oldest.
func (f *forms) sweepLocked(now time.Time) {
	for id, p := range f.pending {
		if now.Sub(p.touched) > formTTL {
			delete(f.pending, id)
		}
	}
	for len(f.pending) >= maxForms {
		oldest := ""
		for id, p := range f.pending {
			if oldest == "" || p.touched.Before(f.pending[oldest].touched) {
				oldest = id
			}
		}
		delete(f.pending, oldest)
	}
}

// formID is the custom id of a form step.
func formID(step, id string) string { return formPrefix + ":" + step + ":" + id }

// parseFormID splits a custom id made by formID.
func parseFormID(customID string) (step, id string, ok bool) {
	parts := strings.Split(customID, ":")
	if len(parts) != 3 || parts[0] != formPrefix || parts[2] == "" {
		return "", "", false
	}
	return parts[1], parts[2], true
}

// formModal is the modal asking for a profile, filled with what was typed
// before when the person comes back to edit it.
func formModal(id string, p pendingForm) *discordgo.InteractionResponse {
	title := "New profile"
	if p.channel != "" {
		title = "New profile for this channel"
	}
	rows := make([]discordgo.MessageComponent, len(formFields))
	for i, f := range formFields {
		style := discordgo.TextInputShort
		if f.Input == profileform.LongText {
			style = discordgo.TextInputParagraph
		}
		rows[i] = discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: f.Key, Label: f.Label, Style: style, Placeholder: f.Placeholder,
			Value: p.values[f.Key], MaxLength: f.MaxLength,
		}}}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: formID(stepSubmit, id), Title: title, Components: rows},
	}
}

// submittedValues reads a modal submission's text inputs by custom id.
func submittedValues(data discordgo.ModalSubmitInteractionData) map[string]string {
	values := map[string]string{}
	for _, c := range data.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, inner := range row.Components {
			if in, ok := inner.(*discordgo.TextInput); ok {
				values[in.CustomID] = strings.TrimSpace(in.Value)
			}
		}
	}
	return values
}

// profileForm is what was typed, with the name given with the command,
// read by the core.
func profileForm(p pendingForm) bot.ProfileForm {
	values := map[string]string{bot.FieldName: p.name}
	for k, v := range p.values {
		if k != bot.FieldName {
			values[k] = v
		}
	}
	return profileform.Parse(values)
}

// formButtons are the buttons under a form's preview: Save only when the
// preview succeeded.
func formButtons(id string, canSave bool) []discordgo.MessageComponent {
	var buttons []discordgo.MessageComponent
	if canSave {
		buttons = append(buttons, discordgo.Button{Label: "Save profile", Style: discordgo.SuccessButton, CustomID: formID(stepSave, id)})
	}
	buttons = append(buttons,
		discordgo.Button{Label: "Edit", Style: discordgo.SecondaryButton, CustomID: formID(stepEdit, id)},
		discordgo.Button{Label: "Cancel", Style: discordgo.SecondaryButton, CustomID: formID(stepCancel, id)})
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: buttons}}
}
